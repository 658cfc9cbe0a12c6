"""The worker's side: a job (sent once per worker) and the chunk function it runs.

A :class:`Job` holds the base scenario(s), the overrides of every design point and the seed;
executors ship it to each worker once, then send only small :class:`~store.Chunk` rectangles.
A worker builds a point's scenario from its base and overrides, runs the model for each
(point, replication) and returns only KPI rows and the small monthly and annual tables, each
row labelled with its point, seed, replication, scenario hash and package version.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple, Protocol

import pandas as pd

import warrantysim
from warrantysim.experiments.store import Chunk, Table
from warrantysim.finite import check_finite
from warrantysim.scenario import Scenario, apply_overrides


class ReplicationLike(Protocol):
    """What ``warrantysim.api.run_one`` returns (``ReplicationTables``)."""

    @property
    def kpis(self) -> Mapping[str, float]: ...
    @property
    def monthly(self) -> pd.DataFrame: ...
    @property
    def annual(self) -> pd.DataFrame: ...


Model = Callable[[Scenario, int, int], ReplicationLike]
"""(scenario, seed, replication) -> tables; the default is ``warrantysim.api.run_one``."""


@dataclass(frozen=True)
class Point:
    """A design point: which base scenario, which overrides, and the labels its rows carry."""

    base: int
    overrides: Mapping[str, Any]
    labels: Mapping[str, Any]
    """Columns every row of this point carries: scenario name or design values, scenario hash."""


@dataclass(frozen=True)
class Job:
    bases: tuple[Scenario, ...]
    points: tuple[Point, ...]
    seed: int
    tables: tuple[Table, ...] = tuple(Table)
    model: Model | None = None
    version: str = field(default=warrantysim.__version__)

    def scenario(self, point: int) -> Scenario:
        spec = self.points[point]
        return apply_overrides(self.bases[spec.base], spec.overrides)

    @cached_property
    def run_model(self) -> Model:
        if self.model is not None:
            return self.model
        from warrantysim.api import run_one  # the lead's module; imported where it runs

        return run_one


class ChunkResult(NamedTuple):
    chunk: Chunk
    tables: dict[Table, pd.DataFrame]
    seconds: float
    worker_pid: int
    cpu_seconds: float
    """CPU time of the worker on this chunk: below ``seconds`` when cores are shared."""


def run_chunk(job: Job, chunk: Chunk) -> ChunkResult:
    """Run every (point, replication) of the chunk; the result depends on nothing else."""
    started, cpu_started = time.perf_counter(), time.process_time()
    rows: dict[Table, list[pd.DataFrame]] = {t: [] for t in job.tables}
    kpi_rows: list[dict[str, Any]] = []
    for point in range(chunk.point_start, chunk.point_stop):
        scenario = job.scenario(point)
        for replication in range(chunk.rep_start, chunk.rep_stop):
            result = job.run_model(scenario, job.seed, replication)
            _check(result, f"{scenario.name}, design point {point}, replication {replication}")
            labels = _labels(job, point, replication)
            kpi_rows.append({**labels, **{k: float(v) for k, v in result.kpis.items()}})
            for table in (Table.MONTHLY, Table.ANNUAL):
                if table in rows:
                    rows[table].append(_labelled(getattr(result, table.value), labels))
    tables: dict[Table, pd.DataFrame] = {
        t: _concat(rows[t]) for t in job.tables if t is not Table.KPIS
    }
    if Table.KPIS in job.tables:
        tables[Table.KPIS] = pd.DataFrame(kpi_rows)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return ChunkResult(chunk, tables, seconds, os.getpid(), cpu_seconds)


def _check(result: ReplicationLike, where: str) -> None:
    tables = {"monthly": result.monthly, "annual": result.annual}
    check_finite({"kpis": pd.DataFrame([dict(result.kpis)]), **tables}, where)


def _labels(job: Job, point: int, replication: int) -> dict[str, Any]:
    return {
        "point": point,
        "replication": replication,
        "seed": job.seed,
        **job.points[point].labels,
        "version": job.version,
    }


def _labelled(frame: pd.DataFrame, labels: Mapping[str, Any]) -> pd.DataFrame:
    body = frame.drop(columns=[c for c in labels if c in frame.columns])
    head = pd.DataFrame({k: [v] * len(body) for k, v in labels.items()}, index=body.index)
    return pd.concat([head, body], axis=1)


def _concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
