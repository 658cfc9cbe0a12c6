"""Stocking plans: Palm sizing for ``level: auto`` and the last-buy cover."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from factories import ENGINES, part, replicate, scenario, with_engine
from warrantysim.scenario import DAYS_PER_MONTH, Scenario
from warrantysim.sim.stocking import palm_base_stock_level, palm_fill_rate, plan_stock


def test_palm_level_is_the_smallest_meeting_the_target() -> None:
    for mean in (0.3, 4.0, 49.3, 210.0):
        for target in (0.8, 0.95, 0.99):
            level = palm_base_stock_level(mean, target)
            assert stats.poisson.cdf(level - 1, mean) >= target
            assert level == 0 or stats.poisson.cdf(level - 2, mean) < target
            assert palm_fill_rate(level, mean) >= target
    assert palm_base_stock_level(0.0, 0.95) == 0


def auto_fleet(**product: object) -> object:
    stocking = {"policy": "base_stock", "level": "auto", "target_fill_rate": 0.9}
    spec = {"sales_months": 36, "units_per_month": 300} | product
    return scenario([part(life={"shape": 1.0, "scale_months": 24.0}, stocking=stocking)],
                    product=spec)  # fmt: skip


def test_auto_level_follows_the_fleet() -> None:
    spec = auto_fleet()
    levels = plan_stock(spec, 5600.0).base_stock_level[0]
    assert levels is not None
    assert len(levels) == spec.horizon_months
    # Units in warranty grow for 12 months, stay flat while sales go on, and run off after.
    assert levels[0] < levels[6] < levels[13]
    assert len(set(levels[14:34].tolist())) == 1
    assert levels[-1] < levels[30]


def steady_fills(spec: Scenario, seed: int, replications: int) -> tuple[float, float]:
    """Mean fill rate of claims in months 14..35 (12 × 300 units in warranty: λ constant) over
    replications, and its standard error (the spread between replications)."""
    fills = []
    for r in range(replications):
        c = replicate(spec, seed, r).claims
        steady = (c.claim_day >= 13 * DAYS_PER_MONTH) & (c.claim_day < 35 * DAYS_PER_MONTH)
        fills.append(c.filled_from_stock[steady].mean())
    return float(np.mean(fills)), float(np.std(fills, ddof=1) / math.sqrt(replications))


@pytest.mark.parametrize("engine", ENGINES)
def test_auto_level_meets_its_target_in_a_steady_fleet(engine: str) -> None:
    # Months 14..35: 12 × 300 units in warranty, so λ is constant and Palm promises ≥ 90 %.
    spec = with_engine(auto_fleet(), engine)
    mean_fill, se = steady_fills(spec, 5, 6)
    level = plan_stock(spec, 5600.0).base_stock_level[0][20]
    promised = palm_fill_rate(int(level), 12 * 300 / 24 / DAYS_PER_MONTH * 10.0)
    assert promised >= 0.9
    assert abs(mean_fill - promised) <= 4 * se


@pytest.mark.parametrize("engine", ENGINES)
def test_last_buy_covers_the_expected_rest_at_its_service_level(engine: str) -> None:
    spec = scenario(
        [
            part(
                life={"shape": 1.0, "scale_months": 24.0},
                last_buy={"month": 13, "service_level": 0.9},
            )
        ],
        product={"sales_months": 12, "units_per_month": 300},
        simulation={"engine": engine},
    )
    plan = plan_stock(spec, 5600.0)
    rest = plan.expected_claims[0, 12:].sum()
    assert plan.last_buy_cover[0] == stats.poisson.ppf(0.9, rest)
    # Claims after the last buy: ~ Poisson(rest), so the cover is enough about 90 % of the time.
    short = 0
    runs = 40
    for r in range(runs):
        log = replicate(spec, 9, r)
        short += int((log.purchases.kind == 3).any())  # an emergency order: the cover ran out
    assert short / runs <= 0.1 + 4 * math.sqrt(0.09 / runs)


def test_poisson_quantile_matches_scipy_stats() -> None:
    from warrantysim.sim.stocking import poisson_quantile

    for mean in (0.01, 0.3, 4.0, 49.3, 210.0, 5000.5):
        for q in (0.5, 0.8, 0.9, 0.95, 0.99, 0.999):
            assert poisson_quantile(q, mean) == int(stats.poisson.ppf(q, mean))
