"""Returns forecasts per lot and period, with prediction intervals that include the fit's
parameter uncertainty, and the monitoring view that flags lots running above them.

For lot i, watched n periods, with m_i positions not yet returned, the returns j periods on are
Binomial(m_i, q) with q = P_{n+j}(θ) / S_n(θ), the chance a survivor of n periods comes back in
period n + j (the ``period`` cell probabilities of :mod:`.lifedata`). Parameter uncertainty enters
by drawing θ from the fit's sampling distribution, u ~ N(û, H⁻¹) on the free scale, once per
simulated count: the prediction interval is the (α/2, 1 − α/2) quantile pair of that mixture of
binomials (a parametric-bootstrap predictive, Meeker & Escobar 1998, §12.6; Escobar & Meeker 1999,
"Statistical prediction based on censored life data", Technometrics 41: 113–124).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from warrantysim.calibration import distributions as dist
from warrantysim.calibration.fitting import LifeFitter
from warrantysim.calibration.lifedata import FloatArray
from warrantysim.calibration.nevada import NevadaChart

PARAMETER_DRAWS = 200
COUNTS_PER_DRAW = 10
"""2000 simulated counts per cell (10 binomials for each of 200 parameter draws; q(θ) is smooth,
so 200 draws carry the parameter spread): the 2.5 % quantile's Monte Carlo error is about ±0.35
percentage points in probability (√(p(1−p)/n))."""


def conditional_probabilities(
    fit: LifeFitter, theta: FloatArray, watched: FloatArray, ahead: int, chart: NevadaChart
) -> FloatArray:
    """q[i, j−1] = P(a survivor of ``watched[i]`` periods returns in period watched[i] + j)."""
    period, warranty = chart.period_months, fit.data.warranty_months
    ages = (watched[:, None] + np.arange(1, ahead + 1)[None, :]).ravel()
    cells = dist.period_probability(fit.kind, theta, ages, period, warranty)
    survival = dist.period_survival(fit.kind, theta, watched, period, warranty)
    return cells.reshape(len(watched), ahead) / np.maximum(survival, 1e-300)[:, None]


def forecast_returns(
    fit: LifeFitter,
    chart: NevadaChart,
    periods: int,
    *,
    qty_per_unit: int = 1,
    level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """A row per lot and future period: expected returns and the prediction interval."""
    watched = chart.observed_periods.astype(np.float64)
    survivors = chart.shipped * qty_per_unit - chart.returns.sum(axis=1)
    expected = survivors[:, None] * conditional_probabilities(
        fit, fit.result.theta, watched, periods, chart
    )
    low, high = _prediction_interval(fit, chart, survivors, periods, level, seed)
    lots, ahead = np.meshgrid(chart.ship_period, np.arange(1, periods + 1), indexing="ij")
    return pd.DataFrame({
        "lot": lots.ravel(), "period": (chart.last_period + ahead).ravel(),
        "age_periods": (watched[:, None] + ahead).ravel().astype(int),
        "survivors": np.repeat(survivors, periods), "expected": expected.ravel(),
        "lower": low.ravel(), "upper": high.ravel(),
    })  # fmt: skip


def _prediction_interval(
    fit: LifeFitter,
    chart: NevadaChart,
    survivors: np.ndarray,
    periods: int,
    level: float,
    seed: int,
) -> tuple[FloatArray, FloatArray]:
    rng = np.random.default_rng(seed)
    watched = chart.observed_periods.astype(np.float64)
    u_hat = dist.to_free(fit.kind, fit.result.theta)
    cov = fit.result.covariance_free
    draws = rng.multivariate_normal(u_hat, cov, size=PARAMETER_DRAWS, method="eigh")
    counts = np.empty((PARAMETER_DRAWS, COUNTS_PER_DRAW, len(watched), periods))
    for d, u in enumerate(draws):
        q = conditional_probabilities(fit, dist.from_free(fit.kind, u), watched, periods, chart)
        size = (COUNTS_PER_DRAW, *q.shape)
        counts[d] = rng.binomial(survivors[:, None], np.clip(q, 0.0, 1.0), size=size)
    pooled = counts.reshape(-1, len(watched), periods)
    tail = (1 - level) / 2
    return np.quantile(pooled, tail, axis=0), np.quantile(pooled, 1 - tail, axis=0)


def monitor(forecast: pd.DataFrame, later: NevadaChart) -> pd.DataFrame:
    """The forecast with the returns that came in; ``flag`` where they exceed the upper bound
    (the early warning: a lot failing faster than the fitted life allows)."""
    period_index = forecast["period"].to_numpy() - later.first_return_period
    lot_index = np.searchsorted(later.ship_period, forecast["lot"].to_numpy())
    known = (period_index < later.returns.shape[1]) & (lot_index < len(later.ship_period))
    observed = np.full(len(forecast), np.nan)
    observed[known] = later.returns[lot_index[known], period_index[known]]
    out = forecast.assign(observed=observed)
    return out.assign(
        inside=(out["observed"] >= out["lower"]) & (out["observed"] <= out["upper"]),
        flag=out["observed"] > out["upper"],
    )


def expected_chart(
    fit: LifeFitter, chart: NevadaChart, *, qty_per_unit: int = 1, level: float = 0.95
) -> pd.DataFrame:
    """Observed against expected for every observed cell, with the 95 % binomial interval of the
    cell under the fitted point estimate; ``outside`` marks cells beyond it."""
    from scipy import stats

    k = chart.age_periods()
    lot, col = np.nonzero(k >= 0)
    positions = (chart.shipped * qty_per_unit)[lot]
    p = dist.period_probability(
        fit.kind, fit.result.theta, k[lot, col].astype(np.float64),
        chart.period_months, fit.data.warranty_months,
    )  # fmt: skip
    tail = (1 - level) / 2
    low, high = stats.binom.ppf(tail, positions, p), stats.binom.ppf(1 - tail, positions, p)
    observed = chart.returns[lot, col]
    return pd.DataFrame({
        "lot": chart.ship_period[lot], "period": chart.first_return_period + col,
        "age_periods": k[lot, col], "observed": observed, "expected": positions * p,
        "lower": low, "upper": high, "outside": (observed < low) | (observed > high),
    })  # fmt: skip
