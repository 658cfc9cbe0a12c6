"""``simulation.parameter_uncertainty``: each replication draws its life parameters from the fit's
sampling distribution, on its own stream, and the profit spread widens as the delta method says.

Delta method (Casella & Berger, *Statistical Inference*, 2nd ed., §5.5.4): with u ~ N(û, Σ) and
process noise independent of u, Var(profit) ≈ Var(profit | û) + gᵀ Σ g, g = ∂E[profit | u]/∂u.
g comes from central differences under common random numbers (the same seeds, so the process
noise cancels in the difference).
"""

from __future__ import annotations

import numpy as np
import pytest

from factories import part, scenario
from warrantysim.api import prepare, simulate
from warrantysim.scenario import UncertainParameter
from warrantysim.sim.parameters import drawn_part
from warrantysim.sim.rng import Streams

SIGMA = np.array([0.08, 0.12])
"""Standard deviations of ln shape and ln scale (a fit from a few hundred failures)."""
COVARIANCE = np.diag(SIGMA**2) + np.array([[0, -0.3], [-0.3, 0]]) * SIGMA[0] * SIGMA[1]
PARAMETERS = [UncertainParameter.LIFE_SHAPE, UncertainParameter.LIFE_SCALE_MONTHS]


def _world(uncertain: bool, shape: float = 1.5, scale: float = 30.0, **fields: object) -> object:
    uncertainty = {"parameters": [p.value for p in PARAMETERS], "covariance": COVARIANCE.tolist()}
    return scenario(
        [
            part(
                life={"shape": shape, "scale_months": scale}, life_uncertainty=uncertainty, **fields
            )
        ],
        product={"units_per_month": 200},
        simulation={"parameter_uncertainty": uncertain, "replications": 1, "seed": 1},
    )


def test_draws_follow_the_covariance_on_their_own_stream():
    world = _world(True)
    draws = np.array([
        [np.log(p.life.shape), np.log(p.life.scale_months)]
        for p in (drawn_part(world, world.parts[0], Streams(5, r)) for r in range(4000))
    ])  # fmt: skip
    # mean within 4 standard errors σ/√n; covariance entries within 10 % (SE of a sample
    # variance is √(2/n) ≈ 2.2 % of it at n = 4000, so 10 % is more than 4 SE)
    np.testing.assert_allclose(draws.mean(axis=0), np.log([1.5, 30.0]), atol=4 * SIGMA.max() / 63)
    np.testing.assert_allclose(np.cov(draws.T), COVARIANCE, rtol=0.1, atol=2e-4)
    again = drawn_part(world, world.parts[0], Streams(5, 3))
    assert again == drawn_part(world, world.parts[0], Streams(5, 3))  # a stream, not global state
    assert drawn_part(_world(False), world.parts[0], Streams(5, 3)) == world.parts[0]


def test_planning_keeps_the_point_estimates():
    """Auto stock levels and the expected claims behind them use the point estimates."""
    auto = {"policy": "base_stock", "level": "auto"}
    plans = [prepare(_world(flag, stocking=auto)).plan for flag in (True, False)]
    np.testing.assert_array_equal(plans[0].expected_claims, plans[1].expected_claims)
    np.testing.assert_array_equal(plans[0].base_stock_level[0], plans[1].base_stock_level[0])


def test_off_by_default_gives_the_same_replications():
    plain = scenario(
        [part(life={"shape": 1.5, "scale_months": 30.0})], product={"units_per_month": 200}
    )
    a = simulate(plain, replications=2, seed=4).kpis.drop(columns="replication")
    b = simulate(_world(False), replications=2, seed=4).kpis.drop(columns="replication")
    assert a.equals(b)


@pytest.mark.slow
def test_profit_spread_widens_as_the_delta_method_implies():
    """Var(on) = Var(off) + gᵀ Σ̂ g, with Σ̂ the covariance of the parameters these replications
    actually drew (the first test holds Σ̂ to Σ with 4000 draws; 120 draws alone scatter Σ̂ by
    ±13 %, too much to test Σ itself here). What is left is the sampling noise of Var(off),
    √(2/(n−1))·Var(off), and of the cross term 2·cov(process noise, gᵀu), ≈ 2·sd_off·sd_g/√n;
    the tolerance is 4 of each."""
    n, fd_replications, step = 120, 12, 0.05
    world = _world(True)
    off = simulate(_world(False), replications=n, seed=11).kpis["lifetime_profit"]
    on = simulate(world, replications=n, seed=11).kpis["lifetime_profit"]
    drawn = np.array([
        [np.log(p.life.shape), np.log(p.life.scale_months)]
        for p in (drawn_part(world, world.parts[0], Streams(11, r)) for r in range(n))
    ])  # fmt: skip
    gradient = np.array([_slope(i, step, fd_replications) for i in range(2)])
    parameter_variance = gradient @ np.cov(drawn.T) @ gradient
    implied = off.var() + parameter_variance
    tolerance = 4 * (
        np.sqrt(2 / (n - 1)) * off.var() + 2 * off.std() * np.sqrt(parameter_variance / n)
    )
    assert on.var() > 5 * off.var()  # parameter uncertainty dominates here, by design
    assert abs(on.var() - implied) < tolerance, (on.var(), implied, tolerance)
    # and against Σ itself, the interval the delta method predicts for the spread's growth
    predicted = off.var() + gradient @ COVARIANCE @ gradient
    assert 0.5 < on.var() / predicted < 1.5


def _slope(index: int, step: float, replications: int) -> float:
    """∂E[profit]/∂u_index by central differences, common random numbers."""
    values = np.log([1.5, 30.0])
    means = []
    for sign in (1, -1):
        shifted = values.copy()
        shifted[index] += sign * step
        shape, scale = np.exp(shifted)
        world = _world(False, shape=shape, scale=scale)
        means.append(
            simulate(world, replications=replications, seed=11).kpis["lifetime_profit"].mean()
        )
    return (means[0] - means[1]) / (2 * step)
