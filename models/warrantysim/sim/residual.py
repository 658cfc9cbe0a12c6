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

One table of H per main-life shape serves every cohort: for Weibull, F_m(t) = F₁(t/η) and
M(t) = M₁(t/η), so H is tabulated in the standard unit t/η (reliability growth only moves η).
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
DEFECT_STEPS = 2000


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


def _bilinear(table: FloatArray, step: float, u: FloatArray, v: FloatArray) -> FloatArray:
    """Bilinear interpolation of a square grid table at (u, v), in the grid's units."""
    n = table.shape[0] - 1
    fu, fv = np.clip(u / step, 0.0, n), np.clip(v / step, 0.0, n)
    iu, iv = np.minimum(fu.astype(np.int64), n - 1), np.minimum(fv.astype(np.int64), n - 1)
    du, dv = fu - iu, fv - iv
    return np.asarray(
        (1 - du) * (1 - dv) * table[iu, iv]
        + du * (1 - dv) * table[iu + 1, iv]
        + (1 - du) * dv * table[iu, iv + 1]
        + du * dv * table[iu + 1, iv + 1],
        dtype=np.float64,
    )


def _main_h(
    part: Part, scale: float | FloatArray, x_max: float, u: FloatArray, v: FloatArray
) -> FloatArray:
    """H(u, v) in months for the main life at scale η (``x_max``: the table's end, in t/η)."""
    table = _h_table(float(part.life.shape), float(x_max))
    return _bilinear(table, x_max / TABLE_STEPS, u / scale, v / scale)


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
    u = np.asarray(part_age_months, dtype=np.float64)
    r = np.maximum(np.asarray(left_months, dtype=np.float64), 0.0)
    survival = np.exp(-np.power(u / scale, part.life.shape))
    h = _main_h(part, scale, x_max, u, u + r)
    return np.asarray(np.where(r > 0, h / np.maximum(survival, 1e-300), 0.0), dtype=np.float64)


def without_claim(
    part: Part,
    age_months: FloatArray,
    warranty_months: float,
    *,
    scale: float,
    x_max: float,
    defect_share: float,
) -> FloatArray:
    """R₀(a): expected failures in (a, W] of a position with no claim by unit age a; the first
    life is early-defect with probability ``defect_share`` (after screening), else main."""
    a = np.minimum(np.asarray(age_months, dtype=np.float64), warranty_months)
    w = np.full_like(a, warranty_months)
    main_h = _main_h(part, scale, x_max, a, w)
    main_survival = np.exp(-np.power(a / scale, part.life.shape))
    if part.early_defects is None or defect_share == 0.0:
        return np.asarray(main_h / np.maximum(main_survival, 1e-300), dtype=np.float64)
    d = part.early_defects
    grid, g = _defect_tail(part, scale, warranty_months)
    defect_h = np.interp(a, grid, g)
    defect_survival = np.exp(-np.power(a / d.scale_months, d.shape))
    numerator = (1.0 - defect_share) * main_h + defect_share * defect_h
    survival = (1.0 - defect_share) * main_survival + defect_share * defect_survival
    return np.asarray(numerator / np.maximum(survival, 1e-300), dtype=np.float64)


@lru_cache(maxsize=4096)
def _defect_tail(part: Part, scale: float, warranty_months: float) -> tuple[FloatArray, FloatArray]:
    """G(a) = ∫_a^W (1 + M(W − x)) dF_d(x) on a grid over [0, W]: the defect life's share of R₀."""
    assert part.early_defects is not None
    d = part.early_defects
    h = warranty_months / DEFECT_STEPS
    t = np.arange(DEFECT_STEPS + 1, dtype=np.float64) * h
    d_cdf = np.diff(_weibull_cdf(t / d.scale_months, d.shape))
    after = 1.0 + renewal_function(warranty_months - (t[:-1] + 0.5 * h), part.life.shape, scale)
    g = np.concatenate([np.cumsum((after * d_cdf)[::-1])[::-1], [0.0]])
    return t, np.asarray(g, dtype=np.float64)
