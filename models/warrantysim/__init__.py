"""warrantysim: from a part failure to the P&L, under after-sales policies.

The public API is small: load a scenario, simulate it, read aligned tables.

>>> from warrantysim import load_scenario, simulate
>>> results = simulate(load_scenario("scenarios/status-quo.yaml"), replications=4)  # doctest: +SKIP
>>> results.kpis[["lifetime_profit", "fill_rate"]].mean()  # doctest: +SKIP
"""

from warrantysim.api import ReplicationTables, Results, run_one, simulate
from warrantysim.scenario import Scenario
from warrantysim.scenario_errors import ScenarioError
from warrantysim.scenario_files import load_scenario

__version__ = "0.1.0"

__all__ = [
    "ReplicationTables",
    "Results",
    "Scenario",
    "ScenarioError",
    "__version__",
    "load_scenario",
    "run_one",
    "simulate",
]
