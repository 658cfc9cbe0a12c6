"""Experiments at scale: paired comparisons, sweeps and sensitivity studies.

The Python API mirrors the commands ``warrantysim compare``, ``sweep`` and ``sensitivity``::

    from warrantysim import experiments as ex
    cmp = ex.compare("scenarios/baseline.yaml", ["scenarios/chargeback.yaml"],
                     replications=20, precision={"lifetime_profit": 0.005})
    cmp.summary                      # mean and paired difference from base, 95 % intervals
    res = ex.sweep("scenarios/experiments/sweep-example.yaml", out="results/sweep", resume=True)
    ex.load_results("results/sweep")  # every stored run as one DataFrame

Keyword options of every call (see :class:`RunOptions`): ``executor`` ("serial",
"processes" (default, all cores), "dask"), ``workers``, ``cluster`` ("tcp://HOST:PORT" or
"local:N"), ``out`` (a results directory), ``resume``, ``progress`` ("auto", "text",
"quiet", or a Progress such as ``warrantysim.workbench.progress.WidgetProgress()`` in a
notebook), ``chunk_runs``, ``tables``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from warrantysim.api import Results
from warrantysim.experiments.compare import DEFAULT_MAX_REPLICATIONS, Comparison
from warrantysim.experiments.compare import compare as _compare
from warrantysim.experiments.errors import (
    ExecutorKind,
    Interrupted,
    OptionError,
    SpecError,
    StoreError,
)
from warrantysim.experiments.executors import make_executor
from warrantysim.experiments.options import RunOptions
from warrantysim.experiments.replicate import replicate as _replicate
from warrantysim.experiments.sensitivity import SensitivityResult
from warrantysim.experiments.sensitivity import sensitivity as _sensitivity
from warrantysim.experiments.spec import (
    SensitivitySpec,
    SweepSpec,
    load_sensitivity_spec,
    load_sweep_spec,
)
from warrantysim.experiments.store import ResultsStore, Table, query
from warrantysim.experiments.sweep import SweepResult
from warrantysim.experiments.sweep import sweep as _sweep
from warrantysim.scenario import Overrides, Scenario, load_scenario

__all__ = [
    "Comparison",
    "ExecutorKind",
    "Interrupted",
    "OptionError",
    "RunOptions",
    "SensitivityResult",
    "SensitivitySpec",
    "SpecError",
    "StoreError",
    "SweepResult",
    "SweepSpec",
    "Table",
    "compare",
    "load_results",
    "make_executor",
    "query_results",
    "replicate",
    "sensitivity",
    "sweep",
]

ScenarioLike = Scenario | str | Path


def compare(
    base: ScenarioLike,
    others: Sequence[ScenarioLike],
    *,
    replications: int | None = None,
    seed: int | None = None,
    precision: Mapping[str, float] | None = None,
    max_replications: int = DEFAULT_MAX_REPLICATIONS,
    options: RunOptions | None = None,
    **run_options: Any,
) -> Comparison:
    """``warrantysim compare``: common random numbers, paired 95 % intervals, optional precision."""
    return _compare(
        _scenario(base),
        [_scenario(o) for o in others],
        replications=replications,
        seed=seed,
        precision=precision,
        max_replications=max_replications,
        options=options or RunOptions(**run_options),
    )


def replicate(
    scenario: ScenarioLike,
    replications: int | None = None,
    seed: int | None = None,
    *,
    options: RunOptions | None = None,
    **run_options: Any,
) -> Results:
    """``simulate`` on every core: replications 0..n-1 of ``seed``, optionally stored."""
    return _replicate(_scenario(scenario), replications, seed, options or RunOptions(**run_options))


def sweep(
    spec: SweepSpec | str | Path,
    *,
    overrides: Overrides = (),
    options: RunOptions | None = None,
    **run_options: Any,
) -> SweepResult:
    """``warrantysim sweep``: R replications at every design point, CRN across points."""
    loaded = spec if isinstance(spec, SweepSpec) else load_sweep_spec(spec)
    return _sweep(loaded, options or RunOptions(**run_options), overrides)


def sensitivity(
    spec: SensitivitySpec | str | Path,
    *,
    overrides: Overrides = (),
    options: RunOptions | None = None,
    **run_options: Any,
) -> SensitivityResult:
    """``warrantysim sensitivity``: Morris or Sobol indices of the spec's KPIs."""
    loaded = spec if isinstance(spec, SensitivitySpec) else load_sensitivity_spec(spec)
    return _sensitivity(loaded, options or RunOptions(**run_options), overrides)


def load_results(out: str | Path, table: Table | str = Table.KPIS) -> pd.DataFrame:
    """Every finished run of a results directory as one DataFrame, by point and replication."""
    from warrantysim.experiments.runner import sort_runs

    return sort_runs(ResultsStore(out).load(table))


def query_results(out: str | Path, sql: str) -> pd.DataFrame:
    """SQL over a results directory with DuckDB; tables ``kpis``, ``monthly``, ``annual``."""
    return query(out, sql)


def _scenario(item: ScenarioLike) -> Scenario:
    return item if isinstance(item, Scenario) else load_scenario(item)
