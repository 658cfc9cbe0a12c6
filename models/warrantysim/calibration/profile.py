"""Likelihood-ratio confidence intervals by profiling: the set of values ψ of one parameter with
2[ℓ(θ̂) − max_{θ: θᵢ = ψ} ℓ(θ)] ≤ χ²₁(level) (Meeker & Escobar 1998, §8.2; Lawless 2003, §3.4).

Each bound is found on the free scale by bracketing outward from the estimate in steps of the
Fisher standard error, then ``brentq``; the nuisance parameters are re-optimised at every step
(BFGS on the analytic gradient, :mod:`.gradient`, to |∂ℓ| < 1e-6, which moves the profile by
~1e-12). Checked against a brute-force profile in ``tests/test_calibration_intervals.py``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
from scipy import optimize, stats

from warrantysim.calibration import distributions as dist
from warrantysim.calibration.distributions import ModelKind
from warrantysim.calibration.fitting import FitResult
from warrantysim.calibration.gradient import Objective, objective
from warrantysim.calibration.lifedata import FloatArray, LifeData

MAX_STEPS = 12
NUISANCE = {"gtol": 1e-6}
"""BFGS options for the nuisance parameters (|∂ℓ| on the unscaled log-likelihood)."""


def likelihood_ratio_intervals(
    kind: ModelKind, data: LifeData, result: FitResult, level: float
) -> tuple[FloatArray, FloatArray]:
    nll = objective(kind, data)
    u_hat = dist.to_free(kind, result.theta)
    threshold = -result.log_likelihood + stats.chi2.ppf(level, 1) / 2
    se = np.sqrt(np.abs(np.diag(result.covariance_free)))
    low, high = np.empty(len(u_hat)), np.empty(len(u_hat))
    for i in range(len(u_hat)):
        gap = _profile_gap(nll, u_hat, i, threshold)
        step = se[i] if np.isfinite(se[i]) and se[i] > 0 else 0.5
        low[i] = _bound(gap, u_hat[i], -step)
        high[i] = _bound(gap, u_hat[i], step)
    return _natural(kind, low, u_hat), _natural(kind, high, u_hat)


def _natural(kind: ModelKind, values: FloatArray, u_hat: FloatArray) -> FloatArray:
    """Map each bound back on its own (other coordinates do not matter for the transform)."""
    out = np.empty(len(values))
    for i, v in enumerate(values):
        u = u_hat.copy()
        u[i] = v
        out[i] = dist.from_free(kind, u)[i]
    return out


def _profile_gap(
    nll: Objective, u_hat: FloatArray, i: int, threshold: float
) -> Callable[[float], float]:
    """ψ ↦ min over the others of −ℓ, minus the threshold (negative inside the interval)."""
    others = [j for j in range(len(u_hat)) if j != i]
    warm: dict[float, FloatArray] = {}

    def starts(psi: float) -> list[FloatArray]:
        """The estimate's nuisance values and those of the nearest ψ profiled so far."""
        if not warm:
            return [u_hat[others]]
        nearest = min(warm, key=lambda v: abs(v - psi))
        return [u_hat[others], warm[nearest]]

    def gap(psi: float) -> float:
        def restricted(rest: FloatArray) -> tuple[float, FloatArray]:
            u = u_hat.copy()
            u[i], u[others] = psi, rest
            value, gradient = nll(u)
            return value, gradient[others]

        if not others:
            return restricted(np.empty(0))[0] - threshold
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            found = min(
                (
                    optimize.minimize(
                        restricted, x, jac=True, method="BFGS", options={"gtol": 1e-6}
                    )
                    for x in starts(psi)
                ),
                key=lambda r: r.fun,
            )
        warm[psi] = found.x
        return float(found.fun) - threshold

    return gap


def _bound(gap: Callable[[float], float], start: float, step: float) -> float:
    """The crossing of the threshold beyond ``start`` in the direction of ``step``; ±inf if the
    profile never rises enough (a parameter the data do not bound on that side)."""
    inner = start
    for m in range(1, MAX_STEPS + 1):
        outer = start + step * m * m
        if gap(outer) > 0:
            return float(optimize.brentq(gap, inner, outer, xtol=1e-6))
        inner = outer
    return float(np.sign(step) * np.inf)
