"""The log-likelihood and its analytic gradient in one pass, for the optimiser.

Every model is a weighted sum of Weibull components (:mod:`.distributions`), so the gradient is
taken with respect to each component's weight w, shape β and scale η and then mapped onto the
model's parameters (a fixed linear map, :func:`_component_map`). With z = (t/η)^β and
λ = ln(t/η), per component (Meeker & Escobar 1998, appendix B, for the Weibull pieces):

- ∂ln f_c/∂β = 1/β + λ(1 − z),   ∂ln f_c/∂η = (β/η)(z − 1);
- ∂S_c/∂β = −e^(−z) z λ,          ∂S_c/∂η = e^(−z) z β/η;   ∂S/∂w_c = −F_c (S = 1 − Σ w F);
- G_c(x) = ∫₀ˣ F_c = x F_c(x) − η γ(a, z), a = 1 + 1/β, γ the lower incomplete gamma, so
  ∂G_c/∂η = ∫₀ˣ ∂F_c/∂η = −γ(a, z) and ∂G_c/∂β = ∫₀ˣ ∂F_c/∂β = (η/β²) ∂γ(a, z)/∂a (substitute
  t = η s^(1/β) in ∫₀ˣ e^(−z) z λ dt). SciPy has no ∂γ/∂a; a central difference in a of the
  special function (step 1e-5·a: truncation ~1e-10, rounding ~1e-11, relative) stands in for it.

The ``period`` likelihood is linear in G at a few dozen distinct ages (:mod:`.lifedata`), so its
gradient is the chain rule through those points. Checked against central differences of
:func:`.distributions.log_likelihood` in ``tests/test_calibration_gradient.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special

from warrantysim.calibration import distributions as dist
from warrantysim.calibration.distributions import ModelKind
from warrantysim.calibration.lifedata import FloatArray, Grouping, LifeData

SHAPE_STEP = 1e-5
"""Relative step in a = 1 + 1/β for ∂γ(a, z)/∂a."""

Objective = Callable[[FloatArray], tuple[float, FloatArray]]


def _component_map(kind: ModelKind, p: int) -> FloatArray:
    """∂(w₁…w_C, β₁…β_C, η₁…η_C)/∂θ, shape (3C, p): the components' parameters are θ's entries
    (the mixture's second weight is 1 − share); a fixed entry (the exponential's shape, a lone
    component's weight) has a zero row."""
    if kind is ModelKind.EXPONENTIAL:
        return np.array([[0.0], [0.0], [1.0]])
    if kind is ModelKind.WEIBULL:
        return np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    if kind is ModelKind.DEFECTIVE:
        return np.eye(3)
    m = np.zeros((6, p))
    m[0, 0], m[1, 0] = 1.0, -1.0  # w = (share, 1 − share)
    m[2, 1], m[3, 3], m[4, 2], m[5, 4] = 1.0, 1.0, 1.0, 1.0  # β = (θ₁, θ₃), η = (θ₂, θ₄)
    return m


@dataclass(frozen=True)
class _Parts:
    w: FloatArray
    beta: FloatArray
    eta: FloatArray
    immortal: float


def _parts(kind: ModelKind, theta: FloatArray) -> _Parts:
    """The components of one parameter vector (as :func:`.distributions.components`, unbatched:
    this runs a few thousand times per fit)."""
    if kind is ModelKind.EXPONENTIAL:
        return _Parts(np.ones(1), np.ones(1), theta[:1], 0.0)
    if kind is ModelKind.WEIBULL:
        return _Parts(np.ones(1), theta[:1], theta[1:2], 0.0)
    if kind is ModelKind.DEFECTIVE:
        return _Parts(theta[:1], theta[1:2], theta[2:3], 1.0 - float(theta[0]))
    return _Parts(np.array([theta[0], 1 - theta[0]]), theta[[1, 3]], theta[[2, 4]], 0.0)


def _softmax(terms: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(log Σ e^terms over axis 0, each term's share of the sum)."""
    total = dist.log_sum_exp(terms, axis=0)
    return total, np.exp(terms - total)


def _exact(c: _Parts, data: LifeData) -> tuple[float, FloatArray]:
    """Σ n ln f(t) + Σ n ln S(t) and its gradient in (w, β, η)."""
    t = data.failure_months
    lam = np.log(t)[None, :] - np.log(c.eta)[:, None]
    z = np.exp(c.beta[:, None] * lam)
    with np.errstate(divide="ignore"):
        log_fc = (np.log(c.w * c.beta / c.eta)[:, None] + (c.beta[:, None] - 1) * lam) - z
    log_f, r = _softmax(log_fc)
    n = data.failure_count
    grad_w = r @ n / c.w
    grad_beta = (r * (1 / c.beta[:, None] + lam * (1 - z))) @ n
    grad_eta = (r * (c.beta / c.eta)[:, None] * (z - 1)) @ n
    total = float(log_f @ n)
    s_total, s_grad = _suspensions(c, data)
    return total + s_total, np.concatenate([grad_w, grad_beta, grad_eta]) + s_grad


def _suspensions(c: _Parts, data: LifeData) -> tuple[float, FloatArray]:
    alive = data.suspension_months > 0  # S(0) = 1: nothing to add
    t, n = data.suspension_months[alive], data.suspension_count[alive]
    lam = np.log(t)[None, :] - np.log(c.eta)[:, None]
    z = np.exp(c.beta[:, None] * lam)
    with np.errstate(divide="ignore"):
        terms = np.log(c.w)[:, None] - z
        immortal = np.full((1, len(t)), np.log(c.immortal) if c.immortal > 0 else -np.inf)
    log_s, q = _softmax(np.vstack([terms, immortal]))
    q = q[:-1]
    grad_w = (np.expm1(-z) * np.exp(-log_s)) @ n  # −F_c / S
    grad_beta = (-q * z * lam) @ n
    grad_eta = (q * z * (c.beta / c.eta)[:, None]) @ n
    return float(log_s @ n), np.concatenate([grad_w, grad_beta, grad_eta])


def _lower_gamma_and_slope(a: FloatArray, z: FloatArray) -> tuple[FloatArray, FloatArray]:
    """γ(a, z) and ∂γ(a, z)/∂a (central difference), a of shape (C, 1), z of shape (C, n)."""
    h = SHAPE_STEP * a
    up = special.gamma(a + h) * special.gammainc(a + h, z)
    down = special.gamma(a - h) * special.gammainc(a - h, z)
    return special.gamma(a) * special.gammainc(a, z), (up - down) / (2 * h)


def _integrated(c: _Parts, x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """G(x) = Σ w G_c(x) and F(x), with their gradients (3C, n) in (w, β, η)."""
    beta, eta = c.beta[:, None], c.eta[:, None]
    with np.errstate(divide="ignore"):
        lam = np.log(x)[None, :] - np.log(eta)
    z = np.exp(beta * lam)
    survival = np.exp(-z)
    f_c = -np.expm1(-z)
    a = 1 + 1 / beta
    gamma, slope = _lower_gamma_and_slope(a, z)
    g_c = x * f_c - eta * gamma
    w = c.w[:, None]
    g_grad = np.vstack([g_c, w * (eta / beta**2) * slope, -w * gamma])
    z_lam = np.where(z > 0, z * lam, 0.0)  # z λ → 0 as t → 0
    f_grad = np.vstack([f_c, w * survival * z_lam, -w * survival * z * beta / eta])
    return c.w @ g_c, c.w @ f_c, np.stack([g_grad, f_grad])


@dataclass(frozen=True)
class _PeriodIndex:
    """Where each likelihood row's points G is needed at sit among the distinct ages G is
    computed at: the points x = (k+1)Δ, kΔ, (k−1)Δ per failure row and (n+1)Δ, nΔ per
    suspension row, and G_W(x) = G(min(x, W)) + (x − W)⁺ F(W) (returns stop at the warranty's
    end), so every point past W shares G(W): a Nevada chart's few dozen ages are a handful."""

    ages: FloatArray
    """Distinct min(x, W), W last (when there is a warranty)."""
    age_of_point: NDArray[np.intp]
    beyond: FloatArray
    """(x − W)⁺ per point."""
    rows: NDArray[np.intp]
    """Point of each term: failures' up, mid, down, then suspensions' up, down."""
    failures: int
    suspensions: int


def _period_index(data: LifeData) -> _PeriodIndex:
    k = data.failure_months / data.period_months
    n = data.suspension_months / data.period_months
    raw = np.maximum(np.concatenate([k + 1, k, k - 1, n + 1, n]) * data.period_months, 0.0)
    points, rows = np.unique(raw, return_inverse=True)
    w = data.warranty_months
    capped = points if w is None else np.append(np.minimum(points, w), w)
    ages, age_of = np.unique(capped, return_inverse=True)
    beyond = np.zeros(len(points)) if w is None else np.maximum(points - w, 0.0)
    return _PeriodIndex(ages, age_of[: len(points)], beyond, rows, len(k), len(n))


def _period(c: _Parts, data: LifeData, ix: _PeriodIndex) -> tuple[float, FloatArray]:
    """ℓ = Σ n ln(g↑ − 2g + g↓) + Σ n ln(1 − (g↑ − g)), g = G_W / Δ, and its gradient by the
    chain rule through the distinct ages."""
    g_age, f_age, grads = _integrated(c, ix.ages)
    g = (g_age[ix.age_of_point] + ix.beyond * f_age[-1]) / data.period_months
    at = g[ix.rows]
    nf, ns = ix.failures, ix.suspensions
    up, mid, down = at[:nf], at[nf : 2 * nf], at[2 * nf : 3 * nf]
    s_up, s_down = at[3 * nf : 3 * nf + ns], at[3 * nf + ns :]
    with np.errstate(divide="ignore", invalid="ignore"):
        p_fail = up - 2 * mid + down
        p_alive = 1.0 - (s_up - s_down)
        total = float(np.log(p_fail) @ data.failure_count + np.log(p_alive) @ data.suspension_count)
        wf, ws = data.failure_count / p_fail, data.suspension_count / p_alive
    weights = np.concatenate([wf, -2 * wf, wf, -ws, ws]) / data.period_months
    d_point = np.bincount(ix.rows, weights, len(g)).astype(np.float64)
    d_age = np.bincount(ix.age_of_point, d_point, len(ix.ages)).astype(np.float64)
    # F(W) is the last age's F, so its gradient is the F-gradient's last column
    return total, grads[0] @ d_age + grads[1][:, -1] * (ix.beyond @ d_point)


def objective(kind: ModelKind, data: LifeData, scale: float = 1.0) -> Objective:
    """u ↦ (−ℓ/scale, ∇ᵤ of it) on the free scale (log, logit); ``scale`` keeps the numbers
    near one for the optimiser's tolerances. Outside the support: (1e300, 0)."""
    ix = _period_index(data) if data.grouping is Grouping.PERIOD else None
    names = dist.PARAMETER_NAMES[kind]
    p = len(names)
    mapping = _component_map(kind, p)
    share = np.array([dist.is_share(n) for n in names])

    def value_and_gradient(u: FloatArray) -> tuple[float, FloatArray]:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            # θ = e^u, or expit(u) for a share; dθ/du = θ, or θ(1 − θ) (as :mod:`.distributions`)
            theta = np.where(share, special.expit(u), np.exp(u))
            jacobian = np.where(share, theta * (1 - theta), theta)
            c = _parts(kind, theta)
            total, grad = _exact(c, data) if ix is None else _period(c, data, ix)
            grad_u = (grad @ mapping) * jacobian
        if not (np.isfinite(total) and np.all(np.isfinite(grad_u))):
            return 1e300, np.zeros(p)
        return -total / scale, -grad_u / scale

    return value_and_gradient
