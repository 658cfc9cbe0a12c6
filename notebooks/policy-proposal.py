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
# for tight intervals (replications are added until the precision target is met), their annual
# statements side by side, and the report (HTML, and on request
# PDF, Excel and PNG/SVG charts) written to `OUT_DIR`. Run it with papermill to change the
# parameters, e.g.
# `papermill policy-proposal.ipynb out.ipynb -p REPLICATIONS 50 -p LANG zh`.

# %% tags=["parameters"]
POLICIES = ["status-quo", "expense-on-purchase", "age-writedown-cap", "supplier-chargeback"]
REPLICATIONS = 20  # to start with; more are added until PRECISION is met
PRECISION = {"lifetime_profit": 0.002}  # 95 % half-width of each difference / |base mean|
MAX_REPLICATIONS = 200
SEED = 2026
OVERRIDES: dict = {}  # dotted path -> value, applied to every policy (like --set)
EXECUTOR = "processes"  # serial | processes | dask
LANG = "en"  # en | zh
MONEY_UNIT = "wan"  # yuan | wan (万元)
OUT_DIR = "../out/policy-proposal"
PDF = True
XLSX = True
PNG = True

# %%
from pathlib import Path

import pandas as pd

from warrantysim import experiments as ex
from warrantysim.charts import render_offline_in_notebooks
from warrantysim.report import Labels, Lang, MoneyUnit, PolicyResults, tables, write_report
from warrantysim.report.figures import figures
from warrantysim.scenario import load_scenario
from warrantysim.workbench import policy_files
from warrantysim.workbench.progress import WidgetProgress

render_offline_in_notebooks()

files = policy_files()
scenarios = [load_scenario(files[name], OVERRIDES) for name in POLICIES]
result = ex.compare(
    scenarios[0],
    scenarios[1:],
    replications=REPLICATIONS,
    seed=SEED,
    precision=PRECISION,
    max_replications=MAX_REPLICATIONS,
    executor=EXECUTOR,
    progress=WidgetProgress(),
)
comparison = PolicyResults.from_experiment(result, {s.name: s.description for s in scenarios})
print(
    f"{result.replications} replications per policy; precision met: "
    f"{all(p.met for p in result.precision)}"
)
labels = Labels(Lang(LANG), MoneyUnit(MONEY_UNIT))

# %% [markdown]
# ## Difference from the base policy (paired by replication, 95 % CI)

# %%
comparison.differences().set_index(["kpi", "policy"]).round(2)

# %% [markdown]
# ## Annual statements, mean over replications (yuan)

# %%
statements = pd.concat(
    {
        p: tables.annual_statement(comparison.annual, p, tables.STATEMENT_LINES)
        for p in comparison.policies
    },
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
