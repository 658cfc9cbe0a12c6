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
# # Policy proposal
#
# For finance: the chosen policies simulated with common random numbers and enough replications
# for tight intervals, their annual statements side by side, and the report (HTML, and on request
# PDF, Excel and PNG/SVG charts) written to `OUT_DIR`. Run it with papermill to change the
# parameters, e.g.
# `papermill policy-proposal.ipynb out.ipynb -p REPLICATIONS 50 -p LANG zh`.

# %% tags=["parameters"]
# ruff: noqa: E402, B018  (a notebook: imports below this cell; bare expressions display)
POLICIES = ["status-quo", "expense-on-purchase", "age-writedown-cap", "supplier-chargeback"]
REPLICATIONS = 30
SEED = 2026
OVERRIDES: dict = {}  # dotted path -> value, applied to every policy (like --set)
LANG = "en"  # en | zh
MONEY_UNIT = "wan"  # yuan | wan (万元)
OUT_DIR = "../out/policy-proposal"
PDF = True
XLSX = True
PNG = True

# %%
from pathlib import Path

import pandas as pd

from warrantysim.api import simulate
from warrantysim.charts import render_offline_in_notebooks
from warrantysim.report import Comparison, Labels, Lang, MoneyUnit, figures, tables, write_report
from warrantysim.scenario_files import load_scenario
from warrantysim.workbench import policy_files

render_offline_in_notebooks()

files = policy_files()
scenarios = {name: load_scenario(files[name], OVERRIDES) for name in POLICIES}
results = {name: simulate(s, replications=REPLICATIONS, seed=SEED) for name, s in scenarios.items()}
comparison = Comparison.of(results, {n: s.description for n, s in scenarios.items()})
labels = Labels(Lang(LANG), MoneyUnit(MONEY_UNIT))

# %% [markdown]
# ## Difference from the status quo (paired by replication, 95 % CI)

# %%
comparison.differences().set_index(["kpi", "policy"]).round(2)

# %% [markdown]
# ## Annual statements, mean over replications (yuan)

# %%
statements = pd.concat(
    {p: tables.annual_statement(comparison.annual, p, tables.STATEMENT_LINES) for p in POLICIES},
    axis=1,
)
statements.round(0)

# %%
charts = figures(comparison, labels)
for chart in charts.values():
    display(chart)  # noqa: F821 (IPython's display)

# %%
out = Path(OUT_DIR)
files_written = write_report(
    comparison,
    out / "report.html",
    labels=labels,
    pdf_path=out / "report.pdf" if PDF else None,
    xlsx_path=out / "statements.xlsx" if XLSX else None,
    png_dir=out / "charts" if PNG else None,
)
files_written
