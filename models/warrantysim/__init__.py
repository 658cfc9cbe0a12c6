"""warrantysim: from a part failure to the P&L, under after-sales policies.

The public API is small: load a scenario, simulate it, read aligned tables.

>>> from warrantysim import load_scenario, simulate
>>> results = simulate(load_scenario("scenarios/status-quo.yaml"), replications=4)  # doctest: +SKIP
>>> results.kpis[["lifetime_profit", "fill_rate"]].mean()  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from warrantysim.scenario import Scenario, ScenarioError, load_scenario

if TYPE_CHECKING:
    from warrantysim.api import ReplicationTables, Results, run_one, simulate

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

_FROM_API = {"ReplicationTables", "Results", "run_one", "simulate"}


def __getattr__(name: str) -> Any:
    # The simulation API pulls in pandas and scipy; `warrantysim validate` and the scenario tools
    # should not pay for that at every start, so it is imported on first use.
    if name in _FROM_API:
        from warrantysim import api

        return getattr(api, name)
    raise AttributeError(f"module 'warrantysim' has no attribute {name!r}")
