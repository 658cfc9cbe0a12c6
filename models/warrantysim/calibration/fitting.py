"""Maximum-likelihood fits with censoring: a fitter object per model, in the style of lifelines'
``WeibullFitter`` and reliability's ``Fit_Weibull_2P``: ``fit(data)`` returns the fitter, then
``params``, ``summary``, ``confidence_intervals(...)``, ``covariance``.

The optimiser works on the free scale u (log, logit; :mod:`.distributions`). Standard errors come
from the observed information: Cov(u) = H⁻¹ with H the Hessian of −ℓ at û (central differences),
and Fisher intervals are û ± z·se mapped back, so they stay inside the parameter space (Meeker &
Escobar 1998, §8.3). Likelihood-ratio intervals are in :mod:`.profile`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize, stats

from warrantysim.calibration import distributions as dist
from warrantysim.calibration.distributions import PARAMETER_NAMES, ModelKind
from warrantysim.calibration.gradient import objective
from warrantysim.calibration.lifedata import FloatArray, LifeData
from warrantysim.calibration.starts import starting_points

IntervalMethod = Literal["fisher", "likelihood_ratio"]
INTERVAL_NAMES: dict[str, str] = {
    "fisher": "Fisher-matrix (Wald on the log/logit scale)",
    "likelihood_ratio": "likelihood-ratio (profile likelihood)",
}
"""How each interval method is named wherever intervals are printed."""
HESSIAN_STEP = 1e-4
"""Step on the free scale for the numerical Hessian (relative 1e-4 in each parameter)."""


@dataclass(frozen=True)
class FitResult:
    kind: ModelKind
    theta: FloatArray
    log_likelihood: float
    covariance_free: FloatArray
    """Cov(û) on the free scale (log / logit), H⁻¹."""
    converged: bool


class LifeFitter:
    """Fits one model; subclasses fix ``kind``. Use :func:`fitter` to get one by kind."""

    kind: ModelKind = ModelKind.WEIBULL

    def __init__(self) -> None:
        self._result: FitResult | None = None
        self._data: LifeData | None = None

    def fit(self, data: LifeData, weibull: FloatArray | None = None) -> LifeFitter:
        """``weibull``: the Weibull fit's (β̂, η̂) of the same data, if known (the defective and
        mixture models start next to it; without it they fit it first)."""
        if data.failures == 0:
            raise ValueError("no failures in the data: a life cannot be fitted")
        self._data = data
        self._result = maximise(self.kind, data, weibull)
        return self

    @property
    def result(self) -> FitResult:
        if self._result is None:
            raise RuntimeError(f"{type(self).__name__} is not fitted; call fit(data) first")
        return self._result

    @property
    def data(self) -> LifeData:
        if self._data is None:
            raise RuntimeError(f"{type(self).__name__} is not fitted; call fit(data) first")
        return self._data

    @property
    def names(self) -> tuple[str, ...]:
        return PARAMETER_NAMES[self.kind]

    @property
    def params(self) -> dict[str, float]:
        return dict(zip(self.names, map(float, self.result.theta), strict=False))

    @property
    def log_likelihood(self) -> float:
        return self.result.log_likelihood

    @property
    def n_params(self) -> int:
        return len(self.names)

    @property
    def aic(self) -> float:
        """AIC = 2k − 2ℓ (Akaike 1974)."""
        return 2 * self.n_params - 2 * self.log_likelihood

    @property
    def bic(self) -> float:
        """BIC = k ln n − 2ℓ, n = positions observed (failed + suspended), as reliability does."""
        return self.n_params * float(np.log(self.data.positions)) - 2 * self.log_likelihood

    @property
    def covariance(self) -> pd.DataFrame:
        """Cov(θ̂) on the natural scale, by the delta method: J Cov(û) J, J = dθ/du."""
        j = np.diag(dist.free_jacobian(self.kind, self.result.theta))
        cov = j @ self.result.covariance_free @ j
        return pd.DataFrame(cov, index=list(self.names), columns=list(self.names))

    @property
    def standard_errors(self) -> dict[str, float]:
        return dict(zip(self.names, map(float, np.sqrt(np.diag(self.covariance))), strict=False))

    def confidence_intervals(
        self, level: float = 0.95, method: IntervalMethod = "fisher"
    ) -> pd.DataFrame:
        """A row per parameter: estimate, lower, upper."""
        if method == "likelihood_ratio":
            from warrantysim.calibration.profile import likelihood_ratio_intervals

            low, high = likelihood_ratio_intervals(self.kind, self.data, self.result, level)
        else:
            low, high = fisher_intervals(self.kind, self.result, level)
        return pd.DataFrame(
            {"estimate": self.result.theta, "lower": low, "upper": high}, index=list(self.names)
        )

    @property
    def summary(self) -> pd.DataFrame:
        """Estimates, standard errors and 95 % Fisher intervals, with ℓ, AIC and BIC as attrs."""
        return self.interval_summary("fisher")

    def interval_summary(self, method: IntervalMethod) -> pd.DataFrame:
        """:attr:`summary` with 95 % intervals of ``method`` (the ``interval`` attr names it);
        likelihood-ratio intervals profile the likelihood, so they are computed only here."""
        table = self.confidence_intervals(method=method).assign(
            standard_error=list(self.standard_errors.values())
        )
        table.attrs.update(
            model=self.kind.value, log_likelihood=self.log_likelihood, aic=self.aic, bic=self.bic,
            interval=method,
        )  # fmt: skip
        return table

    def cdf(self, months: object) -> FloatArray:
        return dist.cdf(self.kind, self.result.theta, dist.as_float_array(months))

    def sf(self, months: object) -> FloatArray:
        return np.exp(dist.log_sf(self.kind, self.result.theta, dist.as_float_array(months)))


class ExponentialFitter(LifeFitter):
    kind = ModelKind.EXPONENTIAL


class WeibullFitter(LifeFitter):
    kind = ModelKind.WEIBULL


class DefectiveFitter(LifeFitter):
    kind = ModelKind.DEFECTIVE


class MixtureFitter(LifeFitter):
    kind = ModelKind.MIXTURE


FITTERS: dict[ModelKind, type[LifeFitter]] = {
    f.kind: f for f in (ExponentialFitter, WeibullFitter, DefectiveFitter, MixtureFitter)
}


def fitter(kind: ModelKind | str) -> LifeFitter:
    return FITTERS[ModelKind(kind)]()


EDGE_LOGIT = 12.0
"""|logit(share)| beyond which a share counts as 0 or 1 (1 − expit(12) = 6e-6)."""
GRADIENT_TOLERANCE = 1e-8
"""BFGS stops when every |∂(−ℓ/r)/∂u| is below this (r = failures): on the free scale the
information per failure is of order one, so the parameters are then within ~1e-6 relative;
tighter runs into the rounding of ℓ (line searches fail without moving)."""


def _batch_nll(kind: ModelKind, data: LifeData, u: FloatArray) -> FloatArray:
    values = -dist.log_likelihood_batch(kind, dist.from_free(kind, u), data)
    return np.where(np.isfinite(values), values, 1e300)


def maximise(kind: ModelKind, data: LifeData, weibull: FloatArray | None = None) -> FitResult:
    """BFGS with the analytic gradient (:mod:`.gradient`) from the most likely starting points;
    the defective and mixture models also start next to the Weibull fit."""
    if weibull is None and kind in (ModelKind.DEFECTIVE, ModelKind.MIXTURE):
        weibull = dist.from_free(ModelKind.WEIBULL, _optimise(ModelKind.WEIBULL, data).x)
    best = _optimise(kind, data, weibull)
    theta = dist.from_free(kind, best.x)
    log_likelihood = dist.log_likelihood(kind, theta, data)
    cov, ok = _inverse_hessian(kind, data, best.x)
    return FitResult(kind, theta, log_likelihood, cov, ok and bool(np.isfinite(log_likelihood)))


def _optimise(
    kind: ModelKind, data: LifeData, weibull: FloatArray | None = None
) -> optimize.OptimizeResult:
    """The best of the local optimisations; the objective is −ℓ per failure, so ``gtol`` reads
    the same for 600 failures or 60,000."""
    value_and_gradient = objective(kind, data, scale=data.failures)
    shares = np.array([dist.is_share(n) for n in PARAMETER_NAMES[kind]])

    def at_the_edge(intermediate_result: optimize.OptimizeResult) -> None:
        """A share driven to 0 or 1 has become a simpler model (the defective one with a share
        of one is the Weibull): the likelihood there is flat and BFGS would walk on for
        hundreds of steps gaining nothing, so stop."""
        if np.any(np.abs(intermediate_result.x[shares]) > EDGE_LOGIT):
            raise StopIteration

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        found = [
            optimize.minimize(
                value_and_gradient, dist.to_free(kind, s), jac=True, method="BFGS",
                options={"gtol": GRADIENT_TOLERANCE}, callback=at_the_edge,
            )
            for s in starting_points(kind, data, weibull)
        ]  # fmt: skip
    return min(found, key=lambda r: r.fun)


def hessian(
    kind: ModelKind, data: LifeData, u: FloatArray, step: float = HESSIAN_STEP
) -> FloatArray:
    """Central-difference Hessian of −ℓ, (f(u+hᵢ+hⱼ) − f(u+hᵢ−hⱼ) − f(u−hᵢ+hⱼ) + f(u−hᵢ−hⱼ))/4h²,
    all points in one batched call."""
    k = len(u)
    eye = np.eye(k) * step
    pairs = [(i, j) for i in range(k) for j in range(i, k)]
    signs = ((1, 1), (1, -1), (-1, 1), (-1, -1))
    points = np.array([u + a * eye[i] + b * eye[j] for i, j in pairs for a, b in signs])
    values = _batch_nll(kind, data, points).reshape(len(pairs), 4) @ np.array([1, -1, -1, 1])
    h = np.empty((k, k))
    for (i, j), value in zip(pairs, values / (4 * step * step), strict=True):
        h[i, j] = h[j, i] = value
    return h


def _inverse_hessian(kind: ModelKind, data: LifeData, u: FloatArray) -> tuple[FloatArray, bool]:
    h = hessian(kind, data, u)
    try:
        cov = np.linalg.inv(h)
    except np.linalg.LinAlgError:
        return np.full_like(h, np.nan), False
    cov = (cov + cov.T) / 2
    return cov, bool(np.all(np.linalg.eigvalsh(cov) > 0))


def fisher_intervals(kind: ModelKind, result: FitResult, level: float) -> tuple[FloatArray, ...]:
    z = stats.norm.ppf(0.5 + level / 2)
    u = dist.to_free(kind, result.theta)
    se = np.sqrt(np.diag(result.covariance_free))
    return dist.from_free(kind, u - z * se), dist.from_free(kind, u + z * se)
