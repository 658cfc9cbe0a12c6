"""Expected claims still to come on a part position already in the field, given its claims so far.

A position is a renewal process (:mod:`.failures`): its first life from the first-life law F
(early defects mixed with the main life), every replacement a fresh main life F_m, a claim at
every failure inside the warranty W. At a review its unit has age a ≤ W.

- No claim yet: the first part is still in place at age a. The next failure comes at x > a with
  dF(x) / (1 − F(a)), and after it a fresh renewal process runs for W − x:

      R₀(a) = ∫_a^W (1 + M(W − x)) dF(x) / (1 − F(a))

- Last claim at unit age t: a main-life part of age u = a − t is in place and r = W − a is left:

      R₁(u, r) = H(u, u + r) / (1 − F_m(u)),   H(u, v) = ∫_u^v (1 + M(v − x)) dF_m(x)

M is the main life's ordinary renewal function (:mod:`.renewal`). Both are the residual-life
renewal equation for a process started at a part's age (Ross, *Stochastic Processes*, 2nd ed.,
§3.3 and §3.5, delayed renewal processes). Averaged over all positions, R₀ for those without a
claim and R₁ for the others give back M_D(W) − M_D(a) per position (tested).

R₀ depends on the unit's age alone: it is a curve over [0, W] per part and cohort scale, a
Stieltjes sum over the first life (2,000 cells). R₁ depends on two ages: one table of
K(u, v) = H(u, v) / (1 − F_m(u)) per main-life shape serves every cohort, since for Weibull
F_m(t) = F₁(t/η) and M(t) = M₁(t/η): K is tabulated in the standard unit t/η (reliability growth
only moves η) and read by bilinear interpolation.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from warrantysim.scenario import Part
from warrantysim.sim.renewal import renewal_function

FloatArray = NDArray[np.float64]

TABLE_STEPS = 400
"""Cells of the H table per axis: at W/η = X the step is X/400 (a tenth of a month at W = 40)."""
CURVE_STEPS = 2000
"""Points of R₀ over the warranty (a unit's age; 0.018 months at W = 36)."""


def _weibull_cdf(t: FloatArray, shape: float) -> FloatArray:
    return np.asarray(-np.expm1(-np.power(np.maximum(t, 0.0), shape)), dtype=np.float64)


@lru_cache(maxsize=64)
def _h_table(shape: float, x_max: float) -> FloatArray:
    """H(x_k, x_l) on the grid x_i = i·h, h = x_max / TABLE_STEPS, for Weibull(shape, 1).

    H(x_k, x_l) = Σ_{j=k}^{l−1} (1 + M((l − j − ½)h)) ΔF_j (a Stieltjes sum with M at the cell's
    midpoint, as in :func:`.renewal._delayed_renewal`); zero on and below the diagonal.
    """
    n = TABLE_STEPS
    h = x_max / n
    d_cdf = np.diff(_weibull_cdf(np.arange(n + 1, dtype=np.float64) * h, shape))
    lag = np.arange(n)[:, None] - np.arange(n)[None, :]  # l − 1 − j for l = 1..n
    m_mid = 1.0 + renewal_function((np.arange(n, dtype=np.float64) + 0.5) * h, shape, 1.0)
    terms = np.where(lag >= 0, m_mid[np.maximum(lag, 0)], 0.0) * d_cdf[None, :]  # [l − 1, j]
    tail = np.cumsum(terms[:, ::-1], axis=1)[:, ::-1]  # Σ_{j ≥ k}, row l − 1
    table = np.zeros((n + 1, n + 1))
    table[:n, 1:] = tail.T  # H[k, l]; rows k = n and columns l = 0 stay 0
    return np.asarray(np.triu(table), dtype=np.float64)


@lru_cache(maxsize=64)
def _k_table(shape: float, x_max: float) -> FloatArray:
    """K(u, v) = H(u, v) / (1 − F(u)): expected failures in (u, v] of a part that survived to u,
    tabulated as H is (so R₁ is one bilinear look-up)."""
    n = TABLE_STEPS
    survival = np.exp(-np.power(np.arange(n + 1, dtype=np.float64) * (x_max / n), shape))
    return np.asarray(_h_table(shape, x_max) / np.maximum(survival, 1e-300)[:, None], np.float64)


def _bilinear(table: FloatArray, step: float, u: FloatArray, v: FloatArray) -> FloatArray:
    """Bilinear interpolation of a square grid table at (u, v), in the grid's units (flat
    look-ups: the review interpolates tens of thousands of positions)."""
    n = table.shape[0] - 1
    iu, du = _cell(u, step, n)
    iv, dv = _cell(v, step, n)
    flat = table.ravel()
    at = iu * (n + 1) + iv
    a, b = flat.take(at), flat.take(at + n + 1)
    c, d = flat.take(at + 1), flat.take(at + n + 2)
    return np.asarray(a + du * (b - a) + dv * (c - a) + du * dv * (a - b - c + d), np.float64)


def _cell(x: FloatArray, step: float, n: int) -> tuple[NDArray[np.intp], FloatArray]:
    """The grid cell of each x (clipped to [0, n·step]) and the fraction inside it."""
    f = np.clip(np.asarray(x, dtype=np.float64) / step, 0.0, float(n))
    i = np.minimum(f.astype(np.intp), n - 1)
    return i, f - i


def _uniform_interp(values: FloatArray, step: float, x: FloatArray) -> FloatArray:
    """np.interp on the grid 0, step, 2·step, … without its binary search."""
    i, frac = _cell(x, step, len(values) - 1)
    low = values.take(i)
    return np.asarray(low + frac * (values.take(i + 1) - low), dtype=np.float64)


def table_end(warranty_months: float, smallest_scale: float) -> float:
    """The H table's end in t/η, snapped up to a power of two so cohorts share one table."""
    x = max(warranty_months / smallest_scale, 1e-12)
    return float(2.0 ** np.ceil(np.log2(x)))


def after_last_claim(
    part: Part,
    part_age_months: FloatArray,
    left_months: FloatArray,
    *,
    scale: float | FloatArray,
    x_max: float,
) -> FloatArray:
    """R₁(u, r): expected failures in the next ``left_months`` of a position whose main-life part
    is ``part_age_months`` old (its last claim that long ago)."""
    u = np.asarray(part_age_months, dtype=np.float64) / scale
    r = np.maximum(np.asarray(left_months, dtype=np.float64), 0.0) / scale
    return _bilinear(_k_table(float(part.life.shape), x_max), x_max / TABLE_STEPS, u, u + r)


def without_claim(
    part: Part,
    age_months: FloatArray,
    warranty_months: float,
    *,
    scale: float,
    defect_share: float,
) -> FloatArray:
    """R₀(a): expected failures in (a, W] of a position with no claim by unit age a; the first
    life is early-defect with probability ``defect_share`` (after screening), else main."""
    curve = _without_claim_curve(part, float(scale), float(warranty_months), defect_share)
    return _uniform_interp(curve, warranty_months / CURVE_STEPS, np.asarray(age_months))


@lru_cache(maxsize=4096)
def _without_claim_curve(
    part: Part, scale: float, warranty_months: float, defect_share: float
) -> FloatArray:
    """R₀ on the grid a_k = k·W/CURVE_STEPS (a function of the unit's age alone)."""
    a = np.arange(CURVE_STEPS + 1, dtype=np.float64) * (warranty_months / CURVE_STEPS)
    life = part.life
    main_h = _first_life_tail(part, scale, warranty_months, life.shape, scale)
    main_survival = np.exp(-np.power(a / scale, life.shape))
    if part.early_defects is None or defect_share == 0.0:
        return np.asarray(main_h / np.maximum(main_survival, 1e-300), dtype=np.float64)
    d = part.early_defects
    defect_h = _first_life_tail(part, scale, warranty_months, d.shape, d.scale_months)
    defect_survival = np.exp(-np.power(a / d.scale_months, d.shape))
    numerator = (1.0 - defect_share) * main_h + defect_share * defect_h
    survival = (1.0 - defect_share) * main_survival + defect_share * defect_survival
    return np.asarray(numerator / np.maximum(survival, 1e-300), dtype=np.float64)


def _first_life_tail(
    part: Part, scale: float, warranty_months: float, first_shape: float, first_scale: float
) -> FloatArray:
    """G(a) = ∫_a^W (1 + M(W − x)) dF₁(x) on the grid a_k = k·W/CURVE_STEPS, F₁ the first
    life's Weibull(first_shape, first_scale), M the main life's renewal function at ``scale``:
    a Stieltjes sum with M at each cell's midpoint, as in :func:`.renewal._delayed_renewal`."""
    h = warranty_months / CURVE_STEPS
    t = np.arange(CURVE_STEPS + 1, dtype=np.float64) * h
    d_cdf = np.diff(_weibull_cdf(t / first_scale, first_shape))
    after = 1.0 + renewal_function(warranty_months - (t[:-1] + 0.5 * h), part.life.shape, scale)
    g = np.concatenate([np.cumsum((after * d_cdf)[::-1])[::-1], [0.0]])
    return np.asarray(g, dtype=np.float64)
