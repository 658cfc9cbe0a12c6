"""Paired policy comparison with common random numbers.

Replication r of every scenario runs with the same (seed, r), so its draws for failures, demand
and so on are shared wherever the scenarios do not differ (docs/design.md, "Randomness"). For each
KPI the difference from the base scenario is then estimated from the paired differences
d_r = y_r − x_r, whose variance Var(Y) + Var(X) − 2 Cov(X, Y) is small when the two runs share
their randomness (Law, *Simulation Modeling and Analysis*, 5th ed., §11.2).

With ``precision={KPI: REL}`` replications are added until the 95 % half-width of every
difference on that KPI is at most REL × |mean of the base scenario's KPI|, or a maximum is hit.
(A target relative to the difference itself could never be met when the policies tie.)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from warrantysim.experiments.errors import OptionError
from warrantysim.experiments.options import Experiment, RunOptions, make_job, planned_session
from warrantysim.experiments.runner import Session, plan_replication_batch
from warrantysim.experiments.store import Table
from warrantysim.experiments.work import Point
from warrantysim.scenario import Scenario, scenario_hash
from warrantysim.stats import (
    Interval,
    mean_interval,
    paired_interval,
    replications_for_half_width,
    welch_interval,
)

LABEL_COLUMNS = frozenset({"point", "replication", "seed", "scenario", "scenario_hash", "version"})
MIN_REPLICATIONS = 2
DEFAULT_MAX_REPLICATIONS = 1000


@dataclass(frozen=True)
class PrecisionStatus:
    kpi: str
    relative_target: float
    half_width: float
    """The widest half-width among the differences from the base on this KPI."""
    target_half_width: float

    @property
    def met(self) -> bool:
        return self.half_width <= self.target_half_width


@dataclass(frozen=True)
class Comparison:
    """Every run's KPIs and, per KPI and scenario, the mean and the paired difference from base."""

    scenarios: list[str]
    replications: int
    kpis: pd.DataFrame
    summary: pd.DataFrame
    precision: list[PrecisionStatus]
    monthly: pd.DataFrame
    annual: pd.DataFrame

    @property
    def base(self) -> str:
        return self.scenarios[0]


def compare(
    base: Scenario,
    others: Sequence[Scenario],
    *,
    replications: int | None = None,
    seed: int | None = None,
    precision: Mapping[str, float] | None = None,
    max_replications: int = DEFAULT_MAX_REPLICATIONS,
    options: RunOptions | None = None,
) -> Comparison:
    """Run ``base`` and each of ``others`` with common random numbers and compare them."""
    options = options or RunOptions()
    scenarios = [base, *others]
    n = max(replications or base.simulation.replications, MIN_REPLICATIONS)
    targets = dict(precision or {})
    experiment = _experiment(
        scenarios,
        seed if seed is not None else base.simulation.seed,
        n,
        targets,
        max_replications,
        options,
    )
    extra = {"scenarios": _records(scenarios)}
    with planned_session(experiment, options, n, extra, plan_replication_batch) as session:
        n, status = _sequential(session, experiment, n, targets, max_replications)
        tables = session.tables(options.tables)
        return Comparison(
            scenarios=_labels(scenarios), replications=n, kpis=tables[Table.KPIS],
            summary=paired_summary(tables[Table.KPIS], _labels(scenarios)), precision=status,
            monthly=tables[Table.MONTHLY], annual=tables[Table.ANNUAL],
        )  # fmt: skip


def _sequential(
    session: Session,
    experiment: Experiment,
    n: int,
    targets: Mapping[str, float],
    max_replications: int,
) -> tuple[int, list[PrecisionStatus]]:
    """Run the plan; while a precision target is unmet, plan more replications and run them."""
    points = len(experiment.job.points)
    while True:
        session.run(experiment.job)
        n = max(c.rep_stop for c in session.chunks)
        labels = [str(p.labels["scenario"]) for p in experiment.job.points]
        status = precision_status(paired_summary(session.table(Table.KPIS), labels), targets)
        wanted = max((_needed(s, n) for s in status if not s.met), default=n)
        if wanted <= n or n >= max_replications:
            return n, status
        more = min(max_replications, max(wanted, n + 1))
        session.add_chunks(
            plan_replication_batch(points, n, more, session.chunk_runs, len(session.chunks))
        )


def _needed(status: PrecisionStatus, n: int) -> int:
    return replications_for_half_width(
        Interval(0.0, status.half_width, n), status.target_half_width
    )


def paired_summary(kpis: pd.DataFrame, scenarios: Sequence[str]) -> pd.DataFrame:
    """A row per (KPI, scenario): mean ± half-width, and the difference from the first scenario
    with its paired interval and, for reference, the unpaired (Welch) half-width."""
    rows = []
    for kpi in kpi_columns(kpis):
        table = kpis.pivot(index="replication", columns="scenario", values=kpi)
        base = table[scenarios[0]].to_numpy()
        for name in scenarios:
            values = table[name].to_numpy()
            mean, diff = mean_interval(values), paired_interval(base, values)
            rows.append({
                "kpi": kpi, "scenario": name, "n": mean.n,
                "mean": mean.mean, "mean_half_width": mean.half_width,
                "difference": diff.mean, "difference_low": diff.low, "difference_high": diff.high,
                "difference_half_width": diff.half_width,
                "unpaired_half_width": welch_interval(base, values).half_width,
            })  # fmt: skip
    return pd.DataFrame(rows)


def precision_status(summary: pd.DataFrame, targets: Mapping[str, float]) -> list[PrecisionStatus]:
    status = []
    known = set(summary["kpi"]) if not summary.empty else set()
    for kpi, relative in targets.items():
        if kpi not in known:
            raise OptionError(
                f"--precision names {kpi!r}, which is not a KPI; KPIs: {', '.join(sorted(known))}"
            )
        rows = summary[summary["kpi"] == kpi]
        others = rows.iloc[1:]
        half = float(others["difference_half_width"].max()) if len(others) else 0.0
        target = relative * abs(float(rows.iloc[0]["mean"]))
        status.append(
            PrecisionStatus(kpi, relative, half if math.isfinite(half) else math.inf, target)
        )
    return status


def kpi_columns(frame: pd.DataFrame) -> list[str]:
    """Numeric columns that are outcomes, not labels."""
    return [
        c
        for c in frame.columns
        if c not in LABEL_COLUMNS and pd.api.types.is_numeric_dtype(frame[c])
    ]


def _experiment(
    scenarios: Sequence[Scenario],
    seed: int,
    n: int,
    targets: Mapping[str, float],
    max_replications: int,
    options: RunOptions,
) -> Experiment:
    labels = _labels(scenarios)
    points = [
        Point(i, {}, {"scenario": label, "scenario_hash": scenario_hash(s)})
        for i, (label, s) in enumerate(zip(labels, scenarios, strict=True))
    ]
    spec = {
        "replications": n,
        "precision": dict(targets),
        "max_replications": max_replications,
        "scenarios": labels,
    }
    return Experiment("compare", make_job(scenarios, points, seed, options), spec)


def _labels(scenarios: Sequence[Scenario]) -> list[str]:
    """Scenario names, numbered where two share one (a file compared with its --set variant)."""
    names = [s.name for s in scenarios]
    return [n if names.count(n) == 1 else f"{n}#{i}" for i, n in enumerate(names)]


def _records(scenarios: Sequence[Scenario]) -> dict[str, object]:
    return {
        label: s.model_dump(mode="json", by_alias=True)
        for label, s in zip(_labels(scenarios), scenarios, strict=True)
    }
