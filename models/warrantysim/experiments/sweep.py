"""Sweeps: R replications at every point of a grid, random or Latin-hypercube design.

Every point runs replications 0..R-1 of the same seed, so points share their random numbers
(common random numbers across points): differences between points are the levers' doing, not
the dice's. Each result row carries its point's parameter values and scenario hash.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from warrantysim.experiments.compare import kpi_columns
from warrantysim.experiments.design import (
    Parameters,
    make_design,
    point_overrides,
    records,
    relative_bases,
)
from warrantysim.experiments.options import (
    Experiment,
    RunOptions,
    check_kpis,
    make_job,
    planned_session,
)
from warrantysim.experiments.spec import SweepSpec
from warrantysim.experiments.store import Table
from warrantysim.experiments.work import Job, Point
from warrantysim.scenario import (
    Overrides,
    Scenario,
    apply_overrides,
    load_scenario,
    override_items,
    scenario_hash,
    to_raw,
)
from warrantysim.stats import mean_interval


@dataclass(frozen=True)
class SweepResult:
    design: pd.DataFrame
    """One row per point: the parameters' values and the scenario hash."""
    kpis: pd.DataFrame
    monthly: pd.DataFrame
    annual: pd.DataFrame

    def summary(self, kpis: list[str] | None = None) -> pd.DataFrame:
        """Per point: the design values and each KPI's mean and 95 % half-width."""
        return point_summary(self.kpis, list(self.design.columns), kpis)


def sweep(
    spec: SweepSpec, options: RunOptions | None = None, overrides: Overrides = ()
) -> SweepResult:
    """Run the spec's design; ``overrides`` (any form ``--set`` takes) adjust its base scenario."""
    options = options or RunOptions()
    return run_design(load_base(spec.scenario, spec.set, overrides), spec, options)


def run_design(base: Scenario, spec: SweepSpec, options: RunOptions) -> SweepResult:
    seed = spec.seed if spec.seed is not None else base.simulation.seed
    reps = spec.replications or base.simulation.replications
    design = make_design(spec.parameters, spec.design, spec.samples, seed)
    job, design = design_job(base, spec.parameters, design, seed, options)
    check_kpis(spec.kpis, job, spec.label)
    experiment = Experiment("sweep", job, {**spec.model_dump(mode="json"), "replications": reps})
    extra = {"design": design, "scenarios": {"base": to_raw(base)}}
    with planned_session(experiment, options, reps, extra) as session:
        session.run(job)
        tables = session.tables(options.tables)
    return SweepResult(design, tables[Table.KPIS], tables[Table.MONTHLY], tables[Table.ANNUAL])


def design_job(
    base: Scenario, parameters: Parameters, design: pd.DataFrame, seed: int, options: RunOptions
) -> tuple[Job, pd.DataFrame]:
    """The job of a design (every point validated here, before any worker starts), and the
    design with each point's scenario hash added."""
    base_raw, bases = to_raw(base), relative_bases(base, parameters)
    points, hashes = [], []
    for index, row in enumerate(records(design)):
        overrides = point_overrides(bases, parameters, row)
        scenario = apply_overrides(base, overrides, f"design point {index}", base_raw)
        hashes.append(scenario_hash(scenario))
        points.append(Point(0, overrides, {**row, "scenario_hash": hashes[-1]}))
    return make_job([base], points, seed, options), design.assign(scenario_hash=hashes)


def point_summary(
    kpis: pd.DataFrame, design_columns: list[str], names: list[str] | None = None
) -> pd.DataFrame:
    names = names or [k for k in kpi_columns(kpis) if k not in design_columns]
    rows = []
    for point, group in kpis.groupby("point", sort=True):
        first = group.iloc[0]
        row: dict[str, Any] = {"point": point, **{c: first[c] for c in design_columns}}
        for kpi in names:
            interval = mean_interval(group[kpi].to_numpy())
            row[kpi] = interval.mean
            row[f"{kpi}_half_width"] = interval.half_width
        rows.append(row)
    return pd.DataFrame(rows)


def load_base(path: Path, fixed: Mapping[str, Any], overrides: Overrides = ()) -> Scenario:
    """The spec's scenario with its ``set`` values, then the caller's overrides."""
    return load_scenario(path, override_items(fixed, overrides))
