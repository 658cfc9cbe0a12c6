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
# # Warranty policy workbench
#
# The cards at the top answer "which is better than the base, and by how much" (paired
# differences with 95 % intervals); pick two to four policies and the base, choose the one to
# edit, and move its levers: spares-cost treatment,
# pricing, chargeback, write-downs, stocking, reliability, screening. Each change re-simulates
# that policy in the background (the status line says when it is computing); every policy uses
# the same random numbers, so differences are the policies' doing. Money is in 万元 (10k CNY).

# %% tags=["parameters"]
POLICIES = ["status-quo", "expense-on-purchase", "supplier-chargeback"]
REPLICATIONS = 5
SEED = 2026
OVERRIDES: dict = {}  # dotted path -> value, applied to every policy (like --set)
WAIT = False  # True: block until the first answer is in (batch runs and tests)
WORKERS = 2  # worker processes kept warm for the replications (0: compute in the kernel)

# %%
from warrantysim.scenario import load_scenario
from warrantysim.workbench import policy_files
from warrantysim.workbench.dashboard import Dashboard
from warrantysim.workbench.pool import WarmPool
from warrantysim.workbench.urlstate import decode, request_query

files = policy_files()
scenarios = {name: load_scenario(path, OVERRIDES) for name, path in files.items()}
# Started with the kernel (under Voila, while it is preheated, before any page asks for it).
pool = WarmPool(WORKERS) if WORKERS else None
if pool is not None:
    pool.warm(scenarios[name] for name in POLICIES)
dashboard = Dashboard(
    scenarios, POLICIES, replications=REPLICATIONS, seed=SEED, sources=files, pool=pool
)
dashboard.refresh()
# A preheated kernel waits here for its page; the page's link (its state) is then restored.
dashboard.restore(decode(request_query()))
dashboard.widget

# %%
if WAIT:
    dashboard.wait()
    assert dashboard.comparison is not None, dashboard.status.value
    print(dashboard.comparison.differences().round(1).to_string())
