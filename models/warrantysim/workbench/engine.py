"""Compute a comparison of policies, with a cache, in the background.

The dashboard calls :func:`compare` on a worker thread through :class:`Background`, which keeps at
most one computation running and drops results that a newer request has superseded, so dragging a
slider never shows a stale answer. Results are cached by the scenario's content, the replications
and the seed: moving a lever of one policy re-simulates that policy only.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import pandas as pd

from warrantysim.api import (
    Prepared,
    ReplicationTables,
    Results,
    prepare,
    results_from_tables,
    stack_replications,
    tables_from_log,
)
from warrantysim.report import tables
from warrantysim.report.figures import PolicyResults
from warrantysim.report.policies import PolicyInfo
from warrantysim.scenario import Scenario, scenario_hash
from warrantysim.sim.eventlog import EventLog
from warrantysim.sim.key import simulation_key
from warrantysim.sim.model import run_replication
from warrantysim.workbench.caches import (
    LOG_BYTES,
    RUN_BYTES,
    ByteBoundCache,
    log_bytes,
    run_bytes,
)
from warrantysim.workbench.levers import Levers, apply_levers
from warrantysim.workbench.pool import WarmPool

T = TypeVar("T")


@dataclass(frozen=True)
class Policy:
    """One column of the comparison: a scenario as loaded and the levers set on it."""

    scenario: Scenario
    levers: Levers

    @classmethod
    def of(cls, scenario: Scenario) -> Policy:
        return cls(scenario, Levers.of(scenario))

    def resolved(self) -> Scenario:
        return apply_levers(self.scenario, self.levers)


class Cancelled(Exception):
    """A newer request (or Stop) superseded the computation; raised between replications."""


def booking_key(scenario: Scenario) -> str:
    """A hash of what booking a log reads: everything but the name and the description, so a
    policy shown under another name (or marked modified) is not booked again."""
    return scenario_hash(scenario.model_copy(update={"name": "", "description": ""}))


Progress = Callable[[int, int], None]
"""Called with (replications done, replications in all)."""
Replication = Callable[[], ReplicationTables]
"""A replication on its way: calling it waits for it (and raises :class:`Cancelled`)."""
POLL_S = 0.05
"""How often a wait for a worker looks whether its request was superseded."""


class ResultsCache:
    """Booked replications and event logs, each bounded in bytes; thread-safe.

    A booked replication is keyed by :func:`booking_key` (every field but the name can change
    the books), an event log by :func:`simulation_key` only, so moving an accounting or
    chargeback lever, or comparing two policies that differ only in their books, re-books logs
    instead of simulating. With a :class:`~warrantysim.workbench.pool.WarmPool` the logs are
    kept (and the replications computed) in the pool's workers instead.
    """

    def __init__(
        self,
        log_bytes_max: int = LOG_BYTES,
        run_bytes_max: int = RUN_BYTES,
        pool: WarmPool | None = None,
    ) -> None:
        self._runs: ByteBoundCache[tuple[str, int, int], ReplicationTables] = ByteBoundCache(
            run_bytes_max, run_bytes
        )
        self._logs: ByteBoundCache[tuple[str, int, int], EventLog] = ByteBoundCache(
            log_bytes_max, log_bytes
        )
        self.pool = pool

    def simulate(
        self,
        scenario: Scenario,
        replications: int,
        seed: int,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Results:
        runs = [self.replication(scenario, seed, r, cancelled) for r in range(replications)]
        return results_from_tables(scenario, seed, runs)

    def replication(
        self,
        scenario: Scenario,
        seed: int,
        r: int,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> ReplicationTables:
        """Replication ``r`` booked in this process; raises :class:`Cancelled` (before
        simulating) if asked."""
        key = (booking_key(scenario), seed, r)
        run = self._runs.get(key)
        if run is None:
            if cancelled():
                raise Cancelled
            prepared = prepare(scenario)
            log = self._log(scenario, prepared, (simulation_key(scenario, prepared.price), seed, r))
            run = tables_from_log(log, scenario, prepared.price)
            self._runs.put(key, run)
        return run

    def start(self, scenario: Scenario, seed: int, r: int, job: Job[Any]) -> Replication:
        """Replication ``r`` from the cache, else started in the pool (or, without a pool,
        computed here when it is waited for)."""
        key = (booking_key(scenario), seed, r)
        run = self._runs.get(key)
        if run is not None:
            return lambda: run
        if self.pool is None:
            return lambda: self.replication(scenario, seed, r, lambda: job.cancelled)
        future = self.pool.submit(scenario, seed, r, job.generation)
        return lambda: self._finish(key, future, job)

    def _finish(
        self, key: tuple[str, int, int], future: Future[ReplicationTables | None], job: Job[Any]
    ) -> ReplicationTables:
        run = None
        while run is None:
            if job.cancelled:
                future.cancel()
                raise Cancelled
            try:
                run = future.result(timeout=POLL_S)
            except FutureTimeout:
                continue
            if run is None:  # the worker skipped it: superseded
                raise Cancelled
        self._runs.put(key, run)
        return run

    def _log(self, scenario: Scenario, prepared: Prepared, key: tuple[str, int, int]) -> EventLog:
        log = self._logs.get(key)
        if log is None:
            _, seed, r = key
            log = run_replication(scenario, seed, r, price=prepared.price, plan=prepared.plan)
            self._logs.put(key, log)
        return log

    @property
    def logs(self) -> int:
        return len(self._logs)


def compare(
    policies: Mapping[str, Policy],
    replications: int,
    seed: int,
    cache: ResultsCache,
    cancelled: Callable[[], bool] = lambda: False,
) -> PolicyResults:
    """Simulate every policy with the same seed (common random numbers) and stack the results."""
    resolved = {name: p.resolved() for name, p in policies.items()}
    results = {n: cache.simulate(s, replications, seed, cancelled) for n, s in resolved.items()}
    descriptions = {n: s.description for n, s in resolved.items()}
    return PolicyResults.of(results, descriptions)


def compare_streamed(
    policies: Mapping[str, Policy],
    replications: int,
    seed: int,
    cache: ResultsCache,
    job: Job[PolicyResults],
    charts_first: bool = False,
) -> PolicyResults:
    """:func:`compare`, round by round (replication r of every policy): every replication is
    started at once (in the cache's pool: in parallel), and after each round the comparison so
    far may be shown (:meth:`Job.publish`; the cards need only the KPIs, and common random
    numbers keep the first round's differences close to the final ones). With
    ``charts_first`` (a page with no charts yet) the first partial answer has every table, so
    the charts can be drawn from it. A newer request ends it within one replication."""
    resolved = {name: p.resolved() for name, p in policies.items()}
    started = {
        (r, name): cache.start(scenario, seed, r, job)
        for r in range(replications)
        for name, scenario in resolved.items()
    }
    runs: dict[str, list[ReplicationTables]] = {n: [] for n in resolved}
    for r in range(replications):
        for name in resolved:
            runs[name].append(started[(r, name)]())
        job.progress(r + 1, replications)
        if r + 1 < replications and job.due():
            whole = charts_first and r == 0
            job.publish(_comparison(runs, resolved) if whole else _kpis_only(runs, resolved))
    return _comparison(runs, resolved)


def _comparison(
    runs: Mapping[str, list[ReplicationTables]], resolved: Mapping[str, Scenario]
) -> PolicyResults:
    return PolicyResults.of(
        {n: _frames(done) for n, done in runs.items()},
        {n: s.description for n, s in resolved.items()},
        {n: policy_info(n, s) for n, s in resolved.items()},
    )


def policy_info(shown: str, scenario: Scenario) -> PolicyInfo:
    """What a report needs of a policy (names, the resolved scenario for its assumptions and
    calendar), under the name the page shows: a modified policy keeps its mark in Chinese too."""
    mark = shown.removeprefix(scenario.name) if shown.startswith(scenario.name) else ""
    data = scenario.model_dump(mode="json")
    title_zh = f"{scenario.title_zh}{mark}" if scenario.title_zh else None
    return PolicyInfo.from_scenario({**data, "name": shown, "title_zh": title_zh})


@dataclass(frozen=True)
class _Frames:
    """The three tables a comparison shows (``api.Results`` also stacks statements and parts,
    which the dashboard does not draw)."""

    kpis: pd.DataFrame
    monthly: pd.DataFrame
    annual: pd.DataFrame


def _frames(runs: list[ReplicationTables]) -> _Frames:
    monthly = stack_replications([run.monthly for run in runs])
    return _Frames(_kpis(runs), monthly, stack_replications([run.annual for run in runs]))


def _kpis(runs: list[ReplicationTables]) -> pd.DataFrame:
    return pd.DataFrame([{"replication": r, **run.kpis} for r, run in enumerate(runs)])


def _kpis_only(
    runs: Mapping[str, list[ReplicationTables]], resolved: Mapping[str, Scenario]
) -> PolicyResults:
    """A partial answer for the cards: the KPIs of the replications so far, no monthly tables."""
    kpis = {n: _kpis(done) for n, done in runs.items()}
    descriptions = {n: s.description for n, s in resolved.items()}
    return PolicyResults(tables.stack(kpis), pd.DataFrame(), pd.DataFrame(), descriptions)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T
    seconds: float
    final: bool = True
    """False for a partial answer (the replications so far) that later ones will refine."""


PUBLISH_EVERY_S = 1.0
"""A partial answer is shown at most this often (drawing it costs time too)."""


class Job(Generic[T]):
    """What a running computation sees: whether it is superseded, and where to report."""

    def __init__(self, background: Background[T], generation: int) -> None:
        self._background, self.generation = background, generation
        self.started = time.perf_counter()
        self._last_publish = -math.inf

    @property
    def cancelled(self) -> bool:
        return self.generation != self._background.generation

    def due(self) -> bool:
        """True for the first partial answer, then at most every :data:`PUBLISH_EVERY_S`."""
        return time.perf_counter() - self._last_publish >= PUBLISH_EVERY_S

    def publish(self, value: T) -> None:
        self._last_publish = time.perf_counter()
        self._background._report(self, value, final=False)

    def progress(self, done: int, total: int) -> None:
        if not self.cancelled:
            elapsed = time.perf_counter() - self.started
            left = elapsed / done * (total - done) if done else math.nan
            self._background._on_progress(done, total, left)


class Background(Generic[T]):
    """Run the latest request on one worker thread; report only the newest request's outcome.

    The work gets a :class:`Job`: a newer :meth:`submit` or :meth:`cancel` makes
    ``job.cancelled`` true, and work that checks it between steps (replications) ends within one
    step; partial answers it publishes reach ``on_done`` with ``final=False``.
    """

    def __init__(
        self,
        on_done: Callable[[Outcome[T]], None],
        on_error: Callable[[BaseException], None],
        on_busy: Callable[[bool], None],
        on_progress: Callable[[int, int, float], None] = lambda done, total, left_s: None,
        on_generation: Callable[[int], None] = lambda generation: None,
    ) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbench")
        self.generation = 0
        self._lock = threading.Lock()
        self._on_done, self._on_error, self._on_busy = on_done, on_error, on_busy
        self._on_progress = on_progress
        self._on_generation = on_generation
        """Told every new generation: the warm pool's workers skip the older ones' tasks."""
        self._last: Future[None] | None = None

    def submit(self, work: Callable[[Job[T]], T]) -> Future[None]:
        with self._lock:
            self.generation += 1
            job = Job(self, self.generation)
        self._on_generation(job.generation)
        self._on_busy(True)
        self._last = self._pool.submit(self._run, job, work)
        return self._last

    def cancel(self) -> None:
        """Stop the running computation (at its next step); the last answer stays shown."""
        with self._lock:
            self.generation += 1
        self._on_generation(self.generation)
        self._on_busy(False)

    def wait(self, timeout_s: float | None = None) -> None:
        """Block until the newest request has finished (tests and scripts)."""
        if self._last is not None:
            self._last.result(timeout=timeout_s)

    def _report(self, job: Job[T], value: T, final: bool) -> None:
        with self._lock:
            if job.cancelled:
                return
        self._on_done(Outcome(value, time.perf_counter() - job.started, final))

    def _run(self, job: Job[T], work: Callable[[Job[T]], T]) -> None:
        if job.cancelled:
            return  # superseded before it started
        try:
            value = work(job)
        except Cancelled:
            return
        except Exception as exc:  # shown to the user: a worker thread's error is otherwise lost
            if not job.cancelled:
                self._on_busy(False)
                self._on_error(exc)
            return
        if not job.cancelled:
            self._report(job, value, final=True)
            self._on_busy(False)
