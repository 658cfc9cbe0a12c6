"""The numbers behind the calibration charts (the charts themselves are in
:mod:`warrantysim.charts_calibration`): nonparametric probability-plot points and the fitted CDF
with its confidence band.

Points: the Kaplan–Meier estimate F̂(t) = 1 − Π (1 − dᵢ/nᵢ) over failure ages (Kaplan & Meier
1958), failures before suspensions at a tie, plotted on Weibull paper y = ln(−ln(1 − F)).
Band: the delta method on the free scale, Var ŷ(t) = ∇y(û)ᵀ H⁻¹ ∇y(û) with y = ln(−ln(1 − F(t)))
(Meeker & Escobar 1998, §8.4.3), ∇ by central differences; the band is ŷ ± z·se mapped back.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from warrantysim.calibration import distributions as dist
from warrantysim.calibration.fitting import LifeFitter
from warrantysim.calibration.lifedata import FloatArray, Grouping, LifeData

GRADIENT_STEP = 1e-5


def probability_points(data: LifeData) -> pd.DataFrame:
    """Kaplan–Meier F̂ at each failure age. Period data are plotted at k + ½ periods: with
    uniform times inside periods the returns through period k estimate E[F(k + 1 − U)] ≈
    F(k + ½) (and k = 0 stays on a log axis)."""
    ages = data.failure_months
    if data.grouping is Grouping.PERIOD:
        ages = ages + data.period_months / 2
    all_ages = np.concatenate([ages, data.suspension_months])
    leaving = np.concatenate([data.failure_count, data.suspension_count])
    order = np.lexsort((np.r_[np.zeros(len(ages)), np.ones(len(data.suspension_months))], all_ages))
    at_risk = data.positions - np.concatenate([[0.0], np.cumsum(leaving[order])[:-1]])
    is_failure = order < len(ages)
    factor = np.where(is_failure, 1 - leaving[order] / at_risk, 1.0)
    cdf = 1 - np.cumprod(factor)
    return pd.DataFrame({"age_months": all_ages[order][is_failure], "cdf": cdf[is_failure]})


def cdf_band(fit: LifeFitter, months: FloatArray, level: float = 0.95) -> pd.DataFrame:
    """The fitted F(t) with its pointwise confidence band, on a grid of ages."""
    months = np.asarray(months, dtype=np.float64)
    u = dist.to_free(fit.kind, fit.result.theta)
    y = _weibull_scale(fit, u, months)
    gradient = np.empty((len(u), len(months)))
    for i in range(len(u)):
        step = np.zeros(len(u))
        step[i] = GRADIENT_STEP
        gradient[i] = _weibull_scale(fit, u + step, months) - _weibull_scale(fit, u - step, months)
        gradient[i] /= 2 * GRADIENT_STEP
    se = np.sqrt(np.einsum("it,ij,jt->t", gradient, fit.result.covariance_free, gradient))
    z = stats.norm.ppf(0.5 + level / 2)
    return pd.DataFrame({
        "age_months": months, "cdf": _from_weibull_scale(y),
        "lower": _from_weibull_scale(y - z * se), "upper": _from_weibull_scale(y + z * se),
    })  # fmt: skip


def _weibull_scale(fit: LifeFitter, u: FloatArray, months: FloatArray) -> FloatArray:
    cdf = dist.cdf(fit.kind, dist.from_free(fit.kind, u), months)
    return np.log(-np.log1p(-np.clip(cdf, 1e-300, 1 - 1e-16)))


def _from_weibull_scale(y: FloatArray) -> FloatArray:
    return -np.expm1(-np.exp(y))
