"""Expected claims from renewal theory: what the model plans with, and what tests hold it to.

A part position whose replacements get fresh Weibull lives is an ordinary renewal process; its
expected number of failures by age t is the renewal function M(t), the solution of

    M(t) = F(t) + ∫₀ᵗ M(t − x) dF(x)                       (renewal equation; Ross, *Stochastic
                                                              Processes*, 2nd ed., §3.3)

An early-defect sub-population (share p) changes only the first life (a delayed renewal process):

    M_D(t) = F_d(t) + ∫₀ᵗ M(t − x) dF_d(x)

These feed ``level: auto`` (Palm), the last buy, and the accounting's ``accrual_per_unit: auto``.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from warrantysim.scenario import Part, Scenario

GRID_STEPS = 1200


def _weibull_cdf(t: NDArray[np.float64], shape: float) -> NDArray[np.float64]:
    return -np.expm1(-np.power(np.maximum(t, 0.0), shape))


@lru_cache(maxsize=256)
def _standard_renewal(
    shape: float, x_max: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """M on a grid of x = t/η for Weibull(shape, 1), by the Riemann-Stieltjes midpoint scheme.

    M_n = F_n + Σ_{j=1..n} ½(M_{n-j} + M_{n-j+1}) ΔF_j, solved for M_n (Xie 1989,
    "On the solution of renewal-type integral equations").
    """
    x = np.linspace(0.0, x_max, GRID_STEPS + 1)
    cdf = _weibull_cdf(x, shape)
    d_cdf = np.diff(cdf)
    m = np.zeros_like(x)
    for n in range(1, len(x)):
        j = np.arange(1, n + 1)
        inner = 0.5 * (m[n - j] + np.where(j > 1, m[n - j + 1], 0.0)) @ d_cdf[j - 1]
        m[n] = (cdf[n] + inner) / (1.0 - 0.5 * d_cdf[0])
    return x, m


def renewal_function(
    t: NDArray[np.float64] | float, shape: float, scale: float
) -> NDArray[np.float64]:
    """M(t) for Weibull(shape, scale), t in the unit of scale."""
    t_arr = np.asarray(t, dtype=np.float64) / scale
    x_max = max(float(np.max(t_arr, initial=0.0)), 1e-9) * 1.0001
    x, m = _standard_renewal(float(shape), _round_up(x_max))
    return np.interp(t_arr, x, m)


def _round_up(x: float) -> float:
    """Snap the grid's end upward so nearby calls share one cached solution."""
    exponent = math.floor(math.log2(x))
    return 2.0 ** (exponent + 1)


def expected_claims_by_age(
    part: Part,
    age_months: NDArray[np.float64],
    *,
    life_factor: float = 1.0,
    screening_coverage: float = 0.0,
) -> NDArray[np.float64]:
    """Expected claims per unit by age (months) for one part, all its positions together.

    ``life_factor`` multiplies the main life's scale (reliability growth); screening removes that
    share of the early-defect positions before shipment.
    """
    scale = part.life.scale_months * life_factor
    main = renewal_function(age_months, part.life.shape, scale)
    if part.early_defects is None or part.early_defects.share == 0:
        return part.qty_per_unit * main
    share = part.early_defects.share * (1.0 - screening_coverage)
    delayed = _delayed_renewal(part, np.atleast_1d(np.asarray(age_months, dtype=np.float64)), scale)
    return part.qty_per_unit * ((1.0 - share) * main + share * delayed.reshape(np.shape(main)))


def _delayed_renewal(
    part: Part, age: NDArray[np.float64], scale: float, steps: int = 2000
) -> NDArray[np.float64]:
    """M_D(t) = ∫₀ᵗ (1 + M(t − x)) dF_d(x), a Stieltjes sum over the defect life x.

    On a uniform grid t_i = i·h with midpoints x_j = (j + ½)h this is a discrete convolution,
    M_D(t_i) = Σ_{j<i} g_{i−j} ΔF_j with g_k = 1 + M((k − ½)h), evaluated once and interpolated.
    """
    assert part.early_defects is not None
    d = part.early_defects
    h = max(float(age.max(initial=0.0)), 1e-9) / steps
    t = np.arange(steps + 1, dtype=np.float64) * h
    d_cdf = np.diff(_weibull_cdf(t / d.scale_months, d.shape))
    g = np.concatenate(
        [
            [0.0],
            1.0 + renewal_function((np.arange(1.0, steps + 1) - 0.5) * h, part.life.shape, scale),
        ]
    )
    m_d = np.convolve(g, d_cdf)[: steps + 1]
    return np.interp(age, t, m_d)


def cohort_life_factor(
    scenario: Scenario, sale_month: NDArray[np.int64] | int
) -> NDArray[np.float64]:
    """Reliability growth: cohort of month m has scales × (1 + g)^((m − 1) / 12)."""
    g = scenario.quality.reliability_growth_per_year
    return np.power(1.0 + g, (np.asarray(sale_month, dtype=np.float64) - 1.0) / 12.0)


def expected_claims_per_unit(scenario: Scenario, part: Part, sale_month: int = 1) -> float:
    """M(W) for one unit of the given cohort: the expected claims of this part over the warranty."""
    w = np.array([scenario.product.warranty_months], dtype=np.float64)
    factor = float(cohort_life_factor(scenario, sale_month))
    coverage = scenario.quality.screening_coverage
    return float(
        expected_claims_by_age(part, w, life_factor=factor, screening_coverage=coverage)[0]
    )


@lru_cache(maxsize=4096)
def claims_curve(
    part: Part, life_factor: float, coverage: float, warranty: float, points: int = 481
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Expected cumulative claims per unit on an age grid over [0, W], for interpolation."""
    ages = np.linspace(0.0, warranty, points)
    return ages, expected_claims_by_age(
        part, ages, life_factor=life_factor, screening_coverage=coverage
    )


def expected_monthly_claims(
    scenario: Scenario, units_by_month: NDArray[np.float64], first_month: int = 0
) -> NDArray[np.float64]:
    """Expected claims per (part, month) for a sales plan, units spread evenly inside each month.

    Cohort m's units have age a = t − s at time t; its claims in month k are
    units_m · E_s[M(min(a_end, W)) − M(min(a_start, W))], averaged over sale times s in month m
    (eight points per month, enough for monthly planning). ``units_by_month[0]`` is sold in
    0-based month ``first_month`` (−history_months for the units sold before month 1).
    """
    horizon = scenario.horizon_months
    warranty = float(scenario.product.warranty_months)
    coverage = scenario.quality.screening_coverage
    out = np.zeros((len(scenario.parts), horizon))
    edges = np.arange(horizon + 1, dtype=np.float64)
    offsets = (np.arange(8) + 0.5) / 8
    for i in np.nonzero(units_by_month)[0]:
        m0 = int(i) + first_month
        factor = float(cohort_life_factor(scenario, m0 + 1))
        ages = np.clip(edges[None, :] - (m0 + offsets[:, None]), 0.0, warranty)
        for p, part in enumerate(scenario.parts):
            grid, cum = claims_curve(part, factor, coverage, warranty)
            per_month = np.diff(np.interp(ages, grid, cum), axis=1).mean(axis=0)
            out[p] += units_by_month[i] * per_month
    return out
