# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Calibration: fit a part's life to your warranty data and carry it into the model
#
# Loads a Nevada chart (units shipped per month, returns per later month), fits every life model
# by censored maximum likelihood and takes the one BIC recommends, shows the Weibull probability
# plot and the observed-against-expected chart, forecasts the next months' returns per lot, writes
# a scenario with the fitted life and its covariance (as `warrantysim calibrate` does), and runs it
# against the status quo. The default data are the shipped sample in `scenarios/data/`, which the
# model generated with an early-defect problem planted on the battery (see its README).

# %% tags=["parameters"]
DATA = "../scenarios/data/nevada-battery.csv"
PART = "battery"
BASE = "../scenarios/status-quo.yaml"
CENSORING = "interval"  # exact | interval
FORECAST_MONTHS = 6
OUT = "../out/calibration/fitted.yaml"
REPLICATIONS = 4
OVERRIDES: dict = {}  # dotted path -> value for both runs (like --set)

# %%
import json
from pathlib import Path

import numpy as np

from warrantysim import charts, charts_calibration, load_scenario, simulate
from warrantysim.calibration import Censoring, read_nevada, recommend
from warrantysim.calibration.diagnostics import cdf_band, probability_points
from warrantysim.calibration.fitted import fitted_scenario_text, summary_text
from warrantysim.calibration.forecast import expected_chart, forecast_returns
from warrantysim.calibration.nevada import to_life_data

charts.render_offline_in_notebooks()
base = load_scenario(BASE)
qty, warranty = base.part(PART).qty_per_unit, base.product.warranty_months
chart = read_nevada(DATA)
data = to_life_data(chart, qty, warranty, Censoring(CENSORING))
choice = recommend(data)
fit = choice.best
choice.table

# %%
print(summary_text(fit, choice.reason))
charts_calibration.probability_plot(
    probability_points(data), cdf_band(fit, np.geomspace(0.3, warranty, 120)), f"{PART}: {fit.kind}"
)

# %%
cells = expected_chart(fit, chart, qty_per_unit=qty)
print(f"{cells['outside'].mean():.1%} of cells outside their 95 % interval")
charts_calibration.nevada_residuals(cells, "observed − expected returns")

# %%
forecast = forecast_returns(fit, chart, FORECAST_MONTHS, qty_per_unit=qty)
forecast.groupby("period")[["expected", "lower", "upper"]].sum()

# %%
out = Path(OUT)
out.parent.mkdir(parents=True, exist_ok=True)
text = fitted_scenario_text(
    base=Path(BASE), out=out, fitted_parts={PART: fit}, comment=summary_text(fit, choice.reason)
)
out.write_text(text, encoding="utf-8")
overrides = [f"{k}={json.dumps(v)}" for k, v in OVERRIDES.items()]
runs = {
    name: simulate(load_scenario(path, overrides), replications=REPLICATIONS)
    for name, path in (("status quo", BASE), ("fitted", out))
}
{
    name: r.summary().loc[["claims", "lifetime_profit"], ["mean", "ci_low", "ci_high"]]
    for name, r in runs.items()
}
