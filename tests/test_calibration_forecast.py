"""Forecast back-test: 20 independent histories simulated by the model (real failure draws,
renewals included), each fitted on its first 18 months and forecast 6 months ahead per lot.

The realised returns must fall inside the 95 % prediction intervals for at least 90 % of the
lot-months overall (the issue's bar); the coverage is printed (``pytest -s``) so it can be
reported. With 20 × 18 × 6 = 2160 lot-months (correlated within a history through the shared
fit), coverage below 90 % from intervals that are really 95 % would be far outside the noise.
"""

from __future__ import annotations

import numpy as np
import pytest

from factories import part, scenario
from warrantysim.calibration import Censoring, fitter
from warrantysim.calibration.export import simulated_nevada
from warrantysim.calibration.forecast import expected_chart, forecast_returns, monitor
from warrantysim.calibration.nevada import to_life_data, truncate

HISTORIES = 20
FIT_MONTHS, AHEAD = 18, 6
WARRANTY = 24


def _world() -> object:
    return scenario(
        [part(life={"shape": 2.0, "scale_months": 90.0})],
        product={"sales_months": 18, "units_per_month": 1000, "warranty_months": WARRANTY},
        simulation={"horizon_months": FIT_MONTHS + AHEAD, "replications": 1, "seed": 1},
    )


def _backtest(seed: int) -> object:
    full = simulated_nevada(_world(), 5600.0, seed)["ssd"]
    history = truncate(full, FIT_MONTHS)
    fit = fitter("weibull").fit(to_life_data(history, 1, WARRANTY, Censoring.INTERVAL))
    return monitor(forecast_returns(fit, history, AHEAD, seed=seed), full)


@pytest.mark.slow
def test_prediction_intervals_cover_the_realised_returns():
    tables = [_backtest(2026 + h) for h in range(HISTORIES)]
    inside = np.concatenate([t["inside"].to_numpy() for t in tables])
    assert len(inside) == HISTORIES * FIT_MONTHS * AHEAD
    coverage = inside.mean()
    print(f"back-test coverage of 95 % prediction intervals: {coverage:.1%} of {len(inside)}")
    assert coverage >= 0.90
    flagged = np.concatenate([t["flag"].to_numpy() for t in tables]).mean()
    assert flagged <= 0.05  # a lot runs above its upper bound at most ~2.5 % of the time by chance


def test_monitoring_flags_a_lot_that_fails_faster():
    """Triple one lot's returns after the fit: its cells must be flagged, others mostly not."""
    full = simulated_nevada(_world(), 5600.0, 7)["ssd"]
    history = truncate(full, FIT_MONTHS)
    fit = fitter("weibull").fit(to_life_data(history, 1, WARRANTY, Censoring.INTERVAL))
    forecast = forecast_returns(fit, history, AHEAD)
    bad = full.returns.copy()
    bad[5, FIT_MONTHS:] = 3 * bad[5, FIT_MONTHS:] + 10
    worse = type(full)(full.ship_period, full.shipped, bad, full.first_return_period)
    view = monitor(forecast, worse)
    assert view.loc[view["lot"] == 6, "flag"].all()
    assert view.loc[view["lot"] != 6, "flag"].mean() < 0.1


def test_expected_chart_matches_the_observed_total():
    """Σ expected cells = Σ positions × F-cell probabilities; at the MLE the observed total is
    within 4 Poisson standard errors of it (√expected: returns are rare events per position)."""
    full = simulated_nevada(_world(), 5600.0, 11)["ssd"]
    fit = fitter("weibull").fit(to_life_data(full, 1, WARRANTY, Censoring.INTERVAL))
    cells = expected_chart(fit, full)
    total, expected = cells["observed"].sum(), cells["expected"].sum()
    assert abs(total - expected) < 4 * np.sqrt(expected)
    assert cells["outside"].mean() < 0.1
