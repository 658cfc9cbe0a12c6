"""Claims per unit against renewal theory.

Expected value: the renewal function M(W) = Σ_k F^{*k}(W) (Ross, *Stochastic Processes*, §3.3),
computed here independently of the package, by convolving the life distribution with itself on a
fine grid. Tolerance: 4 standard errors of the simulated mean, the standard error taken from the
spread between independent cohorts (12 sales months × replications), plus 2e-3 for the grid.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import signal

from factories import part, replicate, scenario
from warrantysim.sim.renewal import renewal_function

WARRANTY = 12.0
NUMERIC_TOLERANCE = 2e-3


def weibull_cdf(t: np.ndarray, shape: float, scale: float) -> np.ndarray:
    return -np.expm1(-np.power(np.maximum(t, 0) / scale, shape))


def renewal_by_convolution(shape: float, scale: float, w: float, cells: int = 6000) -> float:
    """M(w) = Σ_k F^{*k}(w): cell masses p_j at (j + ½)h, so the k-fold sum sits at (j + k/2)h."""
    h = w / cells
    p = np.diff(weibull_cdf(np.arange(cells + 1) * h, shape, scale))
    total, conv, k = 0.0, p, 1
    while True:
        j = np.arange(len(conv))
        f_k = conv[(j + k / 2) * h <= w].sum()
        total += f_k
        if f_k < 1e-12:
            return total
        conv, k = signal.fftconvolve(conv, p)[:cells].clip(min=0), k + 1


def delayed_by_convolution(
    shape: float, scale: float, d_shape: float, d_scale: float, w: float
) -> float:
    """M_D(w) = ∫ (1 + M(w − x)) dF_d(x): first life from the defect law, the rest ordinary."""
    x = np.linspace(0, w, 401)
    mass = np.diff(weibull_cdf(x, d_shape, d_scale))
    mid = 0.5 * (x[1:] + x[:-1])
    rest = [
        renewal_by_convolution(shape, scale, w - m, cells=1500) if w - m > 1e-9 else 0.0
        for m in mid
    ]
    return float(np.sum(mass * (1.0 + np.array(rest))))


def cohort_claims_per_unit(spec, replications: int, seed: int = 7) -> np.ndarray:
    """Claims per unit of each (replication, sales month): independent estimates of one mean."""
    out = []
    for r in range(replications):
        log = replicate(spec, seed, r)
        counts = np.bincount(log.claims.sale_month, minlength=spec.product.sales_months + 1)[1:]
        sold = log.units_sold[: spec.product.sales_months]
        out.append(counts / sold)
    return np.concatenate(out)


def assert_matches(estimates: np.ndarray, expected: float) -> None:
    se = estimates.std(ddof=1) / math.sqrt(len(estimates))
    assert abs(estimates.mean() - expected) <= 4 * se + NUMERIC_TOLERANCE, (
        estimates.mean(),
        expected,
        se,
    )


def scale_for(shape: float) -> float:
    """η with (W/η)^β = 0.5: about half a failure per position over the warranty, any shape."""
    return WARRANTY / 0.5 ** (1 / shape)


@pytest.mark.parametrize("shape", [0.7, 1.0, 1.5, 2.0, 3.0])
def test_claims_per_unit_is_the_renewal_function(shape: float) -> None:
    scale = scale_for(shape)
    spec = scenario([part(life={"shape": shape, "scale_months": scale})],
                    product={"units_per_month": 4000})  # fmt: skip
    expected = renewal_by_convolution(shape, scale, WARRANTY)
    assert_matches(cohort_claims_per_unit(spec, replications=3), expected)


@pytest.mark.parametrize("shape", [0.7, 1.0, 1.5, 2.0, 3.0])
def test_planning_renewal_function_agrees_with_convolution(shape: float) -> None:
    scale = scale_for(shape)
    for w in (3.0, 12.0, 36.0):
        independent = renewal_by_convolution(shape, scale, w)
        assert float(renewal_function(w, shape, scale)) == pytest.approx(
            independent, rel=2e-3, abs=1e-4
        )


def test_exponential_renewal_function_is_linear() -> None:
    # Poisson process: M(t) = t/η exactly.
    assert renewal_by_convolution(1.0, 24.0, 12.0) == pytest.approx(0.5, abs=1e-3)


def test_qty_per_unit_multiplies_claims() -> None:
    scale = scale_for(1.5)
    spec = scenario([part(qty_per_unit=2, life={"shape": 1.5, "scale_months": scale})],
                    product={"units_per_month": 2000})  # fmt: skip
    expected = 2 * renewal_by_convolution(1.5, scale, WARRANTY)
    assert_matches(cohort_claims_per_unit(spec, replications=3), expected)


EARLY = {"share": 0.05, "shape": 0.6, "scale_months": 2.0}


def test_early_defects_add_their_delayed_renewal() -> None:
    # E[N(W)] = (1 − p) M(W) + p M_D(W): the defective share's first life is the early-defect law.
    shape, scale = 1.5, scale_for(1.5)
    plain = renewal_by_convolution(shape, scale, WARRANTY)
    delayed = delayed_by_convolution(shape, scale, EARLY["shape"], EARLY["scale_months"], WARRANTY)
    expected = (1 - EARLY["share"]) * plain + EARLY["share"] * delayed
    assert expected > plain + 0.02  # the effect is big enough for the test to see its size
    spec = scenario([part(life={"shape": shape, "scale_months": scale}, early_defects=EARLY)],
                    product={"units_per_month": 4000})  # fmt: skip
    assert_matches(cohort_claims_per_unit(spec, replications=3), expected)


def test_screening_removes_its_coverage_of_the_defects() -> None:
    shape, scale = 1.5, scale_for(1.5)
    plain = renewal_by_convolution(shape, scale, WARRANTY)
    delayed = delayed_by_convolution(shape, scale, EARLY["shape"], EARLY["scale_months"], WARRANTY)
    share = EARLY["share"] * (1 - 0.8)
    expected = (1 - share) * plain + share * delayed
    spec = scenario(
        [part(life={"shape": shape, "scale_months": scale}, early_defects=EARLY)],
        product={"units_per_month": 4000},
        quality={"screening_coverage": 0.8},
    )
    assert_matches(cohort_claims_per_unit(spec, replications=3), expected)
    log = replicate(spec, 7, 0)
    caught = log.defects_screened_out.sum() / log.units_sold.sum()
    # Binomial(n, p·c): caught share within 4 standard errors of 0.05 × 0.8.
    p = EARLY["share"] * 0.8
    assert abs(caught - p) <= 4 * math.sqrt(p * (1 - p) / log.units_sold.sum())


def test_reliability_growth_lowers_later_cohorts_claims() -> None:
    # Cohort m's scale is η (1 + g)^((m − 1)/12): its expected claims are M(W; that scale).
    shape, scale, growth = 1.5, scale_for(1.5), 0.5
    spec = scenario([part(life={"shape": shape, "scale_months": scale})],
                    product={"units_per_month": 4000},
                    quality={"reliability_growth_per_year": growth})  # fmt: skip
    per_cohort = cohort_claims_per_unit(spec, replications=3).reshape(3, 12)
    expected = [renewal_by_convolution(shape, scale * (1 + growth) ** (m / 12), WARRANTY, 2000)
                for m in range(12)]  # fmt: skip
    first, last = per_cohort[:, :3].ravel(), per_cohort[:, -3:].ravel()
    assert_matches(first, float(np.mean(expected[:3])))
    assert_matches(last, float(np.mean(expected[-3:])))
    assert last.mean() < first.mean()
