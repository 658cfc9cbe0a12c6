"""Starting points for the optimiser: several per model, so a local optimum is not taken for the
maximum (mixtures in particular have more than one).

For a Weibull with shape β fixed, the censored MLE of the scale is closed-form,
η̂(β) = (Σ nᵢ tᵢ^β / r)^(1/β) over all ages, r = failures (Lawless, *Statistical Models and Methods
for Lifetime Data*, 2003, §5.2); a grid over β seeds the search.
"""

from __future__ import annotations

import numpy as np

from warrantysim.calibration import distributions as dist
from warrantysim.calibration.distributions import ModelKind
from warrantysim.calibration.lifedata import FloatArray, Grouping, LifeData

SHAPE_GRID = (0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0)
EARLY_FRACTIONS = (0.02, 0.05, 0.15, 0.4)
"""Early-component scales tried, as fractions of the oldest failure age."""
ALMOST_ALL = 0.999
"""The defective model's share next to the Weibull fit (a share of one is the Weibull itself)."""


def _ages(data: LifeData) -> tuple[FloatArray, FloatArray]:
    """Failure and suspension ages, a period's failures put mid-period for the start only."""
    if data.grouping is Grouping.PERIOD:
        return data.failure_months + data.period_months / 2, data.suspension_months
    return data.failure_months, data.suspension_months


def weibull_given_shape(data: LifeData, shape: float) -> float:
    failures, suspensions = _ages(data)
    total = data.failure_count @ np.power(failures, shape)
    total += data.suspension_count @ np.power(np.maximum(suspensions, 1e-9), shape)
    return float((total / data.failures) ** (1.0 / shape))


def weibull_start(data: LifeData) -> FloatArray:
    """The grid point of highest likelihood."""
    candidates = [np.array([b, weibull_given_shape(data, b)]) for b in SHAPE_GRID]
    scores = [dist.log_likelihood(ModelKind.WEIBULL, c, data) for c in candidates]
    return candidates[int(np.argmax(scores))]


def starting_points(
    kind: ModelKind, data: LifeData, weibull: FloatArray | None = None, keep: int = 2
) -> list[FloatArray]:
    """The ``keep`` most likely of a grid of candidates, scored in one vectorised likelihood call
    (a local optimisation costs ~50 calls, so scoring a grid is the cheap way not to miss a
    component), then the best candidate next to ``weibull``, the Weibull fit (β̂, η̂): the
    defective model at a share of almost one, the mixture with the fit as its main life."""
    near = weibull is not None and kind in (ModelKind.DEFECTIVE, ModelKind.MIXTURE)
    # the defective model's two best grid points ended in the same optimum on 19 of the 20
    # benchmark charts; with the Weibull neighbour beside it one grid start is enough
    keep = 1 if near and kind is ModelKind.DEFECTIVE else keep
    grid = _best(kind, data, _candidates(kind, data), keep)
    if not near or weibull is None:
        return grid
    return grid + _best(kind, data, _near_weibull(kind, data, np.asarray(weibull)), 1)


def _best(
    kind: ModelKind, data: LifeData, candidates: list[FloatArray], keep: int
) -> list[FloatArray]:
    if len(candidates) <= keep:
        return candidates
    scores = dist.log_likelihood_batch(kind, np.array(candidates), data)
    return [candidates[i] for i in np.argsort(-scores)[:keep]]


def _near_weibull(kind: ModelKind, data: LifeData, weibull: FloatArray) -> list[FloatArray]:
    if kind is ModelKind.DEFECTIVE:
        return [np.array([ALMOST_ALL, *weibull])]
    observed = min(max(data.failures / data.positions, 1e-6), 0.5)
    return [
        np.array([m * observed, b1, eta1, *weibull])
        for m in (0.05, 0.1, 0.25, 0.5) for b1 in (0.5, 0.8, 1.5) for eta1 in _early_scales(data)
    ]  # fmt: skip


def _candidates(kind: ModelKind, data: LifeData) -> list[FloatArray]:
    shape, scale = weibull_start(data)
    if kind is ModelKind.EXPONENTIAL:
        return [np.array([weibull_given_shape(data, 1.0)])]
    if kind is ModelKind.WEIBULL:
        return [np.array([shape, scale])]
    observed = min(max(data.failures / data.positions, 1e-6), 0.5)
    early_scales = _early_scales(data)
    if kind is ModelKind.DEFECTIVE:
        return [
            np.array([min(ALMOST_ALL, m * observed), b, eta])
            for m in (1.2, 2.0, 5.0, 20.0) for b in SHAPE_GRID
            for eta in [*early_scales, scale]
        ]  # fmt: skip
    mains = [np.array([b, weibull_given_shape(data, b)]) for b in (shape, 1.0, 1.5, 2.5)]
    return [
        np.array([m * observed, b1, eta1, *main])
        for m in (0.05, 0.1, 0.25, 0.5) for b1 in (0.5, 0.8, 1.5)
        for eta1 in early_scales for main in mains
    ]  # fmt: skip


def _early_scales(data: LifeData) -> list[float]:
    failures, _ = _ages(data)
    return [_early_quantile(data), *(float(np.max(failures)) * f for f in EARLY_FRACTIONS)]


def _early_quantile(data: LifeData) -> float:
    """The age by which a quarter of the failures happened: an early component's scale."""
    failures, _ = _ages(data)
    order = np.argsort(failures)
    cumulative = np.cumsum(data.failure_count[order])
    index = int(np.searchsorted(cumulative, 0.25 * cumulative[-1]))
    return float(max(failures[order][index], 1e-3))
