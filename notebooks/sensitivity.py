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
# # Sensitivity: what moves profit, and where one policy beats another
#
# Runs (or, with the same `OUT_DIR`, resumes and reads back) a sweep of the sweep spec for each
# policy and a Sobol study of the sensitivity spec (`scenarios/experiments/`; the same as
# `warrantysim sweep` / `warrantysim sensitivity`). Shows a tornado of the sweep's main effects,
# the Sobol indices with their 95 % intervals, the KPI against each swept parameter, and which
# policy has the higher mean KPI at each point of the two-parameter grid.

# %% tags=["parameters"]
POLICIES = ["status-quo", "supplier-chargeback"]
SWEEP_SPEC = None  # None: scenarios/experiments/sweep-example.yaml
SENSITIVITY_SPEC = None  # None: scenarios/experiments/sensitivity-example.yaml
SWEEP_REPLICATIONS = None  # None: the spec's
SOBOL_N = None  # None: the spec's (a power of two)
OVERRIDES: dict = {}  # dotted path -> value for every run (like --set)
KPI = "lifetime_profit"
OUT_DIR = "../out/sensitivity"
EXECUTOR = "processes"  # serial | processes | dask

# %%
from pathlib import Path

from warrantysim import charts
from warrantysim import experiments as ex
from warrantysim.experiments.spec import load_sensitivity_spec, load_sweep_spec
from warrantysim.experiments.sweep import load_base, run_design
from warrantysim.workbench import policy_files, scenarios_dir
from warrantysim.workbench import sensitivity as sens
from warrantysim.workbench.progress import WidgetProgress

charts.render_offline_in_notebooks()

specs = scenarios_dir() / "experiments"
sweep_spec = load_sweep_spec(SWEEP_SPEC or specs / "sweep-example.yaml")
if SWEEP_REPLICATIONS:
    sweep_spec = sweep_spec.model_copy(update={"replications": SWEEP_REPLICATIONS})
sobol_spec = load_sensitivity_spec(SENSITIVITY_SPEC or specs / "sensitivity-example.yaml")
if SOBOL_N:
    sobol_spec = sobol_spec.model_copy(update={"n": SOBOL_N})
overrides = OVERRIDES
parameters = list(sweep_spec.parameters)
out = Path(OUT_DIR)


def run_sweep(policy):
    base = load_base(policy_files()[policy], sweep_spec.set, overrides)
    options = ex.RunOptions(
        executor=EXECUTOR, out=out / f"sweep-{policy}", resume=True, progress=WidgetProgress()
    )
    return run_design(base, sweep_spec, options)


sweeps = {policy: run_sweep(policy) for policy in POLICIES}
sobol = ex.sensitivity(
    sobol_spec,
    overrides=overrides,
    executor=EXECUTOR,
    out=out / "sobol",
    resume=True,
    progress=WidgetProgress(),
)

# %% [markdown]
# ## Tornado: the KPI at each swept parameter's lowest and highest value (first policy)

# %%
first = sweeps[POLICIES[0]].kpis
charts.tornado(sens.tornado(first, parameters, KPI), metric=KPI)

# %% [markdown]
# ## Sobol indices (first order S1 and total ST, 95 % bootstrap intervals)

# %%
for warning in sobol.warnings:
    print("note:", warning)
charts.sobol(sens.sobol_long(sobol.indices, sobol_spec.kpis[0]))

# %% [markdown]
# ## The KPI against each swept parameter, per policy (mean and 95 % CI)

# %%
effects = {p: sens.main_effects(s.kpis, parameters, KPI) for p, s in sweeps.items()}
charts.sweep(sens.with_policy(effects), metric=KPI)

# %% [markdown]
# ## Where each policy wins (higher mean KPI at each grid point)

# %%
x, y = parameters[0], parameters[-1]
grid = sens.winner_grid({p: s.kpis for p, s in sweeps.items()}, x, y, KPI)
charts.winner_map(grid, x, y)
