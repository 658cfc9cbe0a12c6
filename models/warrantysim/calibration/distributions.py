"""The life models, as weighted sums of Weibull components: F(t) = Σ wᵢ Fᵢ(t).

- ``weibull``:     F = F_W(β, η)                           (params shape, scale_months)
- ``exponential``: F = F_W(1, η)                            (scale_months = the mean life)
- ``defective``:   F = p·F_W(β, η); a share 1 − p never fails in the window (Meeker 1987,
  "Limited failure population life tests"; reliability's ``Fit_Weibull_DS``)
- ``mixture``:     F = p·F_W(β₁, η₁) + (1 − p)·F_W(β₂, η₂)  (component 1 = the early defects)

Weibull pieces: z = (t/η)^β, F = 1 − e^(−z), ln f = ln(β/η) + (β−1) ln(t/η) − z, and
G(x) = ∫₀ˣ F dt = x·F(x) − η Γ(1 + 1/β) P(1 + 1/β, z) (integration by parts; P is the regularised
lower incomplete gamma), which the ``period`` likelihood needs (see :mod:`.lifedata`).
Parameters are optimised on an unbounded scale: log for shapes and scales, logit for shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray
from scipy import special

from warrantysim.calibration.lifedata import FloatArray, Grouping, LifeData


class ModelKind(StrEnum):
    EXPONENTIAL = "exponential"
    WEIBULL = "weibull"
    DEFECTIVE = "defective"
    MIXTURE = "mixture"


PARAMETER_NAMES: dict[ModelKind, tuple[str, ...]] = {
    ModelKind.EXPONENTIAL: ("scale_months",),
    ModelKind.WEIBULL: ("shape", "scale_months"),
    ModelKind.DEFECTIVE: ("share", "shape", "scale_months"),
    ModelKind.MIXTURE: (
        "share", "early_shape", "early_scale_months", "shape", "scale_months",
    ),
}  # fmt: skip
"""Natural parameters of each model, in the order of every parameter vector."""


@dataclass(frozen=True)
class Components:
    """Weights, shapes and scales of shape (batch, components)."""

    weight: FloatArray
    shape: FloatArray
    scale: FloatArray
    immortal: FloatArray
    """The share that never fails (1 − Σ weight), per batch row."""


def is_share(name: str) -> bool:
    return name == "share"


def _share_column(kind: ModelKind) -> FloatArray:
    return np.array([is_share(n) for n in PARAMETER_NAMES[kind]])


def to_free(kind: ModelKind, theta: FloatArray) -> FloatArray:
    """Natural parameters → unbounded ones (log, or logit for a share); last axis = parameters."""
    theta = np.asarray(theta, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.where(_share_column(kind), special.logit(theta), np.log(theta))


def from_free(kind: ModelKind, u: FloatArray) -> FloatArray:
    u = np.asarray(u, dtype=np.float64)
    with np.errstate(over="ignore"):
        return np.where(_share_column(kind), special.expit(u), np.exp(u))


def free_jacobian(kind: ModelKind, theta: FloatArray) -> FloatArray:
    """dθ/du on the diagonal: θ for log, θ(1 − θ) for logit (the delta method's J)."""
    theta = np.asarray(theta, dtype=np.float64)
    return np.where(_share_column(kind), theta * (1 - theta), theta)


def components(kind: ModelKind, theta: FloatArray) -> Components:
    """Components of one parameter vector (p,) or of a batch (m, p): arrays of shape (m, c)."""
    t = np.atleast_2d(np.asarray(theta, dtype=np.float64))
    ones, zeros = np.ones((len(t), 1)), np.zeros(len(t))
    if kind is ModelKind.EXPONENTIAL:
        return Components(ones, ones, t[:, :1], zeros)
    if kind is ModelKind.WEIBULL:
        return Components(ones, t[:, :1], t[:, 1:2], zeros)
    if kind is ModelKind.DEFECTIVE:
        return Components(t[:, :1], t[:, 1:2], t[:, 2:3], 1.0 - t[:, 0])
    share = t[:, :1]
    return Components(np.hstack([share, 1 - share]), t[:, [1, 3]], t[:, [2, 4]], zeros)


def log_sum_exp(terms: FloatArray, axis: int) -> FloatArray:
    """ln Σ e^terms along ``axis``, shifted by the maximum (SciPy's ``logsumexp`` does the same
    with ~100 µs of array-API dispatch per call, which the optimiser's thousands of calls feel)."""
    top = np.max(terms, axis=axis, keepdims=True)
    shift = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        total = np.log(np.sum(np.exp(terms - shift), axis=axis, keepdims=True)) + shift
    return np.asarray(np.squeeze(total, axis=axis), dtype=np.float64)


def _z(c: Components, t: FloatArray) -> FloatArray:
    """(t/η)^β: shape (batch, components, len(t))."""
    with np.errstate(over="ignore"):  # z = inf is a survival of 0, which the caller handles
        return np.power(np.maximum(t, 0.0) / c.scale[..., None], c.shape[..., None])


def _one(values: FloatArray, theta: FloatArray) -> FloatArray:
    """A single parameter vector gets (n,) back, a batch (m, n)."""
    return values[0] if np.ndim(theta) == 1 else values


def cdf(kind: ModelKind, theta: FloatArray, t: FloatArray) -> FloatArray:
    c = components(kind, theta)
    f = np.einsum("mc,mcn->mn", c.weight, -np.expm1(-_z(c, np.atleast_1d(t))))
    return _one(f, theta)


def log_sf(kind: ModelKind, theta: FloatArray, t: FloatArray) -> FloatArray:
    c = components(kind, theta)
    z = _z(c, np.atleast_1d(t))
    with np.errstate(divide="ignore"):
        terms = np.log(c.weight)[..., None] - z
        immortal = np.broadcast_to(np.log(c.immortal)[:, None, None], (len(z), 1, z.shape[2]))
    return _one(log_sum_exp(np.concatenate([terms, immortal], axis=1), axis=1), theta)


def log_pdf(kind: ModelKind, theta: FloatArray, t: FloatArray) -> FloatArray:
    c = components(kind, theta)
    t = np.atleast_1d(t)
    z = _z(c, t)
    log_ratio = np.log(t) - np.log(c.scale)[..., None]
    with np.errstate(divide="ignore"):
        scale_term = np.log(c.weight * c.shape / c.scale)[..., None]
    terms = scale_term + (c.shape[..., None] - 1) * log_ratio - z
    return _one(log_sum_exp(terms, axis=1), theta)


def integrated_cdf(
    kind: ModelKind, theta: FloatArray, x: FloatArray, warranty_months: float | None = None
) -> FloatArray:
    """G_W(x) = ∫₀ˣ F(min(t, W)) dt: after the warranty's end F stays at F(W)."""
    x = np.maximum(np.atleast_1d(np.asarray(x, dtype=np.float64)), 0.0)
    if warranty_months is None:
        return _one(_integrated(kind, theta, x)[0], theta)
    w = float(warranty_months)
    g, f = _integrated(kind, theta, np.append(np.minimum(x, w), w))
    return _one(g[:, :-1] + np.maximum(x - w, 0.0) * f[:, -1:], theta)


def _integrated(kind: ModelKind, theta: FloatArray, x: FloatArray) -> tuple[FloatArray, ...]:
    """(G(x), F(x)) in one pass over the components, each (batch, len(x))."""
    c = components(kind, theta)
    z = _z(c, x)
    a = 1.0 + 1.0 / c.shape
    partial_mean = (c.scale * special.gamma(a))[..., None] * special.gammainc(a[..., None], z)
    f = -np.expm1(-z)
    weighted = np.einsum("mc,mcn->mn", c.weight, x * f - partial_mean)
    return weighted, np.einsum("mc,mcn->mn", c.weight, f)


def period_probability(
    kind: ModelKind, theta: FloatArray, k: FloatArray, period: float, warranty: float | None
) -> FloatArray:
    """P(returned in the k-th period after shipment), uniform times inside periods."""
    g = integrated_cdf(kind, theta, np.concatenate([k + 1, k, k - 1]) * period, warranty)
    up, mid, down = np.split(g, 3, axis=-1)
    return np.maximum((up - 2 * mid + down) / period, 0.0)


def period_survival(
    kind: ModelKind, theta: FloatArray, n: FloatArray, period: float, warranty: float | None
) -> FloatArray:
    """P(not returned through the n-th period after shipment)."""
    g = integrated_cdf(kind, theta, np.concatenate([n + 1, n]) * period, warranty)
    up, down = np.split(g, 2, axis=-1)
    return np.maximum(1.0 - (up - down) / period, 0.0)


def _period_log_terms(kind: ModelKind, theta: FloatArray, data: LifeData) -> tuple[FloatArray, ...]:
    """ln P_k and ln P(survive n) from one evaluation of G on all the points both need."""
    k = data.failure_months / data.period_months
    n = data.suspension_months / data.period_months
    points = np.maximum(np.concatenate([k + 1, k, k - 1, n + 1, n]) * data.period_months, 0.0)
    # Nevada ages are whole periods: the ~5·cells points are a few dozen distinct ones
    distinct, index = np.unique(points, return_inverse=True)
    g = integrated_cdf(kind, theta, distinct, data.warranty_months)[..., index] / data.period_months
    up, mid, down, s_up, s_down = np.split(g, np.cumsum([len(k)] * 3 + [len(n)]), axis=-1)
    return np.log(up - 2 * mid + down), np.log(1.0 - (s_up - s_down))


def log_likelihood_batch(kind: ModelKind, thetas: FloatArray, data: LifeData) -> FloatArray:
    """ℓ(θ) of the data under its grouping (formulas in :mod:`.lifedata`), for a batch (m, p):
    one vectorised pass, so finite-difference gradients and Hessians cost about one call."""
    thetas = np.atleast_2d(thetas)
    with np.errstate(divide="ignore", invalid="ignore"):
        if data.grouping is Grouping.EXACT:
            f = log_pdf(kind, thetas, data.failure_months)
            s = log_sf(kind, thetas, data.suspension_months)
        else:
            f, s = _period_log_terms(kind, thetas, data)
        total = f @ data.failure_count + s @ data.suspension_count
    return np.where(np.isfinite(total), total, -np.inf)


def log_likelihood(kind: ModelKind, theta: FloatArray, data: LifeData) -> float:
    return float(log_likelihood_batch(kind, np.asarray(theta)[None, :], data)[0])


def as_float_array(values: object) -> NDArray[np.float64]:
    return np.asarray(values, dtype=np.float64)
