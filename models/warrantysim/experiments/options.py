"""How an experiment runs (executor, store, progress), shared by compare, sweep and sensitivity."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from warrantysim import workload
from warrantysim.experiments.errors import ExecutorKind, SpecError
from warrantysim.experiments.executors import Executor, make_executor
from warrantysim.experiments.progress import Progress, ProgressMode, make_progress
from warrantysim.experiments.runner import Session, default_chunk_runs, fingerprint, plan_chunks
from warrantysim.experiments.store import Chunk, ResultsStore, Table
from warrantysim.experiments.work import Job, Model, Point
from warrantysim.scenario import Scenario, apply_overrides, scenario_hash


@dataclass(frozen=True)
class RunOptions:
    """Where and how runs are computed; none of it changes a single number."""

    executor: Executor | ExecutorKind | str = ExecutorKind.PROCESSES
    workers: int | None = None
    """Local processes (default: all cores)."""
    cluster: str | None = None
    """Dask: ``tcp://HOST:PORT`` of a running scheduler, or ``local:N``."""
    out: str | Path | None = None
    """Results directory; ``None`` keeps results in memory only."""
    resume: bool = False
    progress: Progress | ProgressMode | str = ProgressMode.AUTO
    chunk_runs: int | None = None
    tables: tuple[Table, ...] = tuple(Table)
    model: Model | None = None
    """(scenario, seed, replication) -> tables; default ``warrantysim.api.run_one``."""
    resume_hint: str = "call it again with resume=True and the same out"
    limits: workload.Limits = field(default_factory=workload.Limits)
    """Refuse an experiment estimated above these (memory per run, hours in all)."""


@dataclass(frozen=True)
class Experiment:
    """What an experiment is: its job (scenarios, points, seed) and its identity."""

    kind: str
    job: Job
    spec: Mapping[str, Any]
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        spec = {k: v for k, v in self.spec.items() if k not in NOT_IN_FINGERPRINT}
        return fingerprint({
            "kind": self.kind, "spec": spec, "seed": self.job.seed,
            "bases": [scenario_hash(b) for b in self.job.bases],
            "points": [[p.base, dict(p.overrides)] for p in self.job.points],
            "tables": [t.value for t in self.job.tables],
            "model_code": model_code_hash(),
        })  # fmt: skip

    def manifest(self, chunks: Sequence[Any]) -> dict[str, Any]:
        return {
            "kind": self.kind, "fingerprint": self.fingerprint, "seed": self.job.seed,
            "spec": dict(self.spec), "points": len(self.job.points),
            "tables": [t.value for t in self.job.tables],
            "chunks": [c.to_json() for c in chunks],
        }  # fmt: skip


NOT_IN_FINGERPRINT = ("description", "kpis")
"""Spec fields that change no stored number: editing them leaves an experiment resumable."""


def check_kpis(names: Sequence[str], job: Job, label: str = "the spec") -> None:
    """Refuse KPI names the model does not produce, before the first run rather than after
    the last. The names are those of one run of the first point shrunk to one unit a month
    (the KPI set does not depend on the scenario's size)."""
    if not names:
        return
    tiny = apply_overrides(job.scenario(0), {"product.units_per_month": 1}, "KPI check")
    available = list(job.run_model(tiny, job.seed, 0).kpis)
    unknown = [k for k in names if k not in available]
    if unknown:
        known = ", ".join(available)
        raise SpecError(f"{label}: kpis: unknown {', '.join(unknown)}; the KPIs: {known}")


MODEL_SOURCES = ("api.py", "scenario", "sim", "accounting")
"""What computes a run's numbers; a change there makes stored runs another experiment."""


@lru_cache(maxsize=1)
def model_code_hash() -> str:
    """sha256 of the model's source files, so ``--resume`` never mixes runs of older code."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for source in MODEL_SOURCES:
        for path in (
            sorted((root / source).rglob("*.py")) if (root / source).is_dir() else [root / source]
        ):
            digest.update(str(path.relative_to(root)).encode("utf-8"))
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def make_job(
    bases: Sequence[Scenario], points: Sequence[Point], seed: int, options: RunOptions
) -> Job:
    return Job(tuple(bases), tuple(points), seed, tuple(options.tables), options.model)


def chunk_runs(options: RunOptions, executor: Executor, total_runs: int) -> int:
    return options.chunk_runs or default_chunk_runs(total_runs, executor.workers)


Planner = Callable[[int, int, int, int], list[Chunk]]
"""(points, first replication, replication stop, runs per chunk) -> the chunks of a plan."""


@contextlib.contextmanager
def planned_session(
    experiment: Experiment,
    options: RunOptions,
    replications: int,
    extra: Mapping[str, Any],
    plan: Planner = plan_chunks,
) -> Iterator[Session]:
    """An opened session of ``experiment``: its executor, its store (new, or resumed when the
    fingerprint matches) and its plan of ``replications`` per point, ready to run."""
    job = experiment.job
    workload.check([job.scenario(p) for p in range(len(job.points))], replications, options.limits)
    with open_session(options) as session:
        points = len(experiment.job.points)
        session.chunk_runs = chunk_runs(options, session.executor, points * replications)
        chunks = plan(points, 0, replications, session.chunk_runs)
        session.open(experiment.manifest(chunks), options.resume, extra)
        yield session


@contextlib.contextmanager
def open_session(options: RunOptions) -> Iterator[Session]:
    """A session holding its results folder's lock (taken first, before any worker starts) and
    its executor, which it closes afterwards if it made it here."""
    store = ResultsStore(options.out) if options.out is not None else None
    with store.lock() if store is not None else contextlib.nullcontext():
        owned = isinstance(options.executor, str)  # a kind (ExecutorKind is a str)
        executor = (
            make_executor(options.executor, options.workers, options.cluster)
            if isinstance(options.executor, str)
            else options.executor
        )
        progress = (
            make_progress(options.progress)
            if isinstance(options.progress, str)
            else options.progress
        )
        try:
            yield Session(executor, progress, store, options.resume_hint)
        finally:
            if owned:
                executor.close()
