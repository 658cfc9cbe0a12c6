"""Likelihood-ratio intervals (:mod:`warrantysim.calibration.profile`) against a brute-force
profile likelihood computed here, independently: the log-likelihood from ``scipy.stats``
(right-censored: Σ ln f + Σ ln S), the nuisance parameters maximised by Nelder–Mead or a bounded
scalar search at each value, the bound bracketed on a grid outward from the estimate and then
located by ``brentq`` where 2[ℓ̂ − ℓ_p(ψ)] = χ²₁(0.95) (Meeker & Escobar 1998, §8.2).

Tolerance 1e-4 relative: both locate the crossing of the same smooth profile; the brute force's
nuisance maximisation leaves ℓ_p within ~1e-8 and the profile's slope at a bound is of order one
per unit of ln ψ, so the two bounds agree to ~1e-6 relative (ours stops at 1e-6 on the log
scale); 1e-4 leaves a margin without letting a wrong profile (a bound off by a standard error,
~10 % here) through.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from scipy import optimize, stats

from warrantysim.calibration import distributions as dist
from warrantysim.calibration.distributions import ModelKind
from warrantysim.calibration.fitting import fitter
from warrantysim.calibration.lifedata import Grouping, life_data

WARRANTY = 24.0
DROP = stats.chi2.ppf(0.95, 1) / 2
GRID = 1.25
"""Bracketing grid: ψ̂·GRID^j (j = ±1, ±2, ...) until the profile drops by more than DROP."""


def _censored(lives: np.ndarray) -> tuple[np.ndarray, int]:
    failed = lives < WARRANTY
    return lives[failed], int((~failed).sum())


def _weibull_loglik(failures: np.ndarray, suspended: int) -> Callable[[np.ndarray], float]:
    def loglik(theta: np.ndarray) -> float:
        shape, scale = theta
        return float(
            stats.weibull_min.logpdf(failures, shape, scale=scale).sum()
            + suspended * stats.weibull_min.logsf(WARRANTY, shape, scale=scale)
        )

    return loglik


def _defective_loglik(failures: np.ndarray, suspended: int) -> Callable[[np.ndarray], float]:
    """F = p·F_W: failures ln p + ln f_W, suspensions ln(1 − p F_W(W))."""

    def loglik(theta: np.ndarray) -> float:
        share, shape, scale = theta
        if not 0 < share < 1:
            return -np.inf
        return float(
            len(failures) * np.log(share)
            + stats.weibull_min.logpdf(failures, shape, scale=scale).sum()
            + suspended * np.log1p(-share * stats.weibull_min.cdf(WARRANTY, shape, scale=scale))
        )

    return loglik


def _profile(loglik: Callable[[np.ndarray], float], theta_hat: np.ndarray, i: int):
    """ψ ↦ max over the other parameters of ℓ, Nelder–Mead on their logs from the estimate."""
    others = [j for j in range(len(theta_hat)) if j != i]

    def at(psi: float) -> float:
        def minus(log_rest: np.ndarray) -> float:
            theta = theta_hat.copy()
            theta[i], theta[others] = psi, np.exp(log_rest)
            value = loglik(theta)
            return -value if np.isfinite(value) else 1e300

        start = np.log(theta_hat[others])
        options = {"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000, "maxfev": 20000}
        found = optimize.minimize(minus, start, method="Nelder-Mead", options=options)
        return -float(found.fun)

    return at


def _brute_bounds(loglik, theta_hat: np.ndarray, i: int) -> tuple[float, float]:
    profile = _profile(loglik, theta_hat, i)
    top = loglik(theta_hat)

    def gap(psi: float) -> float:
        return top - profile(psi) - DROP

    bounds = []
    for direction in (-1, 1):
        inner = theta_hat[i]
        for j in range(1, 30):
            outer = theta_hat[i] * GRID ** (direction * j)
            if direction > 0 and i == 0 and len(theta_hat) == 3:
                outer = min(outer, 1 - 1e-9)  # a share stays below one
            if gap(outer) > 0:
                bounds.append(
                    optimize.brentq(gap, min(inner, outer), max(inner, outer), xtol=1e-12)
                )
                break
            inner = outer
        else:
            bounds.append(direction * np.inf)
    return bounds[0], bounds[1]


def _check(kind: str, loglik, lives: np.ndarray) -> None:
    failures, suspended = _censored(lives)
    data = life_data(failures, [WARRANTY], suspension_count=[suspended])
    fit = fitter(kind).fit(data)
    ours = fit.confidence_intervals(method="likelihood_ratio")
    for i, name in enumerate(fit.names):
        low, high = _brute_bounds(loglik(failures, suspended), fit.result.theta, i)
        np.testing.assert_allclose(ours.loc[name, ["lower", "upper"]], [low, high], rtol=1e-4)
        assert low < fit.params[name] < high


@pytest.mark.parametrize(("shape", "scale", "seed"), [(1.4, 60.0, 1), (0.7, 400.0, 2)])
def test_weibull_likelihood_ratio_intervals_match_a_brute_force_profile(shape, scale, seed):
    lives = scale * np.random.default_rng(seed).weibull(shape, 1500)
    _check("weibull", _weibull_loglik, lives)


@pytest.mark.slow
def test_defective_likelihood_ratio_intervals_match_a_brute_force_profile():
    rng = np.random.default_rng(4)
    lives = np.where(rng.random(3000) < 0.08, 5.0 * rng.weibull(0.8, 3000), np.inf)
    _check("defective", _defective_loglik, lives)


def test_period_likelihood_ratio_intervals_match_a_brute_force_profile():
    """The Nevada ``interval`` likelihood (checked against quadrature in
    ``test_calibration_fits``) profiled by the brute force above instead of :mod:`.profile`."""
    rng = np.random.default_rng(11)
    lives = 40.0 * rng.weibull(2.0, 5000)
    k = np.floor(rng.random(5000) + lives)
    failed = (k <= 24) & (lives < WARRANTY)
    data = life_data(
        k[failed], [24], suspension_count=[int((~failed).sum())],
        grouping=Grouping.PERIOD, warranty_months=WARRANTY,
    )  # fmt: skip
    fit = fitter("weibull").fit(data)
    ours = fit.confidence_intervals(method="likelihood_ratio")

    def loglik(theta: np.ndarray) -> float:
        return dist.log_likelihood(ModelKind.WEIBULL, theta, data)

    for i, name in enumerate(fit.names):
        low, high = _brute_bounds(loglik, fit.result.theta, i)
        np.testing.assert_allclose(ours.loc[name, ["lower", "upper"]], [low, high], rtol=1e-4)
