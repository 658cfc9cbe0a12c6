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
# for tight intervals (replications are added until the precision target is met); the decision
# in one sentence, the key numbers with intervals, the CAS statements per policy, the variance
# against the base by year, the assumptions, and the report (HTML, and on request
# PDF, Excel and PNG/SVG charts) written to `OUT_DIR`. `LANG = "zh"` names the policies by
# their scenarios' `title_zh`. Run it with papermill to change the
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

from warrantysim import experiments as ex
from warrantysim.charts import render_offline_in_notebooks
from warrantysim.report import (
    Labels,
    Lang,
    MoneyUnit,
    PolicyResults,
    assumptions,
    sections,
    tables,
    write_report,
)
from warrantysim.report.decision import decide, sentence
from warrantysim.report.figures import figures
from warrantysim.report.policies import PolicyInfo
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
infos = {s.name: PolicyInfo.from_scenario(s.model_dump(mode="json")) for s in scenarios}
comparison = PolicyResults.from_experiment(result, infos=infos)
print(
    f"{result.replications} replications per policy; precision met: "
    f"{all(p.met for p in result.precision)}"
)
labels = Labels(Lang(LANG), MoneyUnit(MONEY_UNIT)).with_start(comparison.start)
shown, warnings = comparison.localised(labels)  # names from title_zh in Chinese
for warning in warnings:
    print("warning:", warning)

# %% [markdown]
# ## The decision (paired NPV of cash against the base)

# %%
decision = decide(shown)
print(sentence(decision, labels) if decision else "one policy: nothing to decide")

# %% [markdown]
# ## Key numbers and the difference from the base (paired by replication, 95 % CI)

# %%
display(sections.kpi_table(shown, labels))  # noqa: F821 (IPython's display)
sections.difference_table(shown, labels)

# %% [markdown]
# ## Statements per policy (CAS layout: 利润表, 资产负债表), mean over replications

# %%
for name in ("income_statement", "balance_sheet"):
    statement = shown.statement(name)
    for policy in shown.policies:
        print(labels(name), policy)
        display(tables.cas_statement(statement, policy).round(0))  # noqa: F821

# %% [markdown]
# ## Variance against the base by year (paired, 95 % CI, yuan)

# %%
variance = tables.paired_by_year(shown.annual, shown.base, sections.VARIANCE_LINES)
variance.set_index(["policy", "line", "fiscal_year"])[["difference", "lo", "hi"]].round(0)

# %% [markdown]
# ## Assumptions (from the scenarios)

# %%
display(assumptions.settings_table(shown, labels))  # noqa: F821
assumptions.changes_table(shown, labels)

# %%
charts = figures(shown, labels)
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
