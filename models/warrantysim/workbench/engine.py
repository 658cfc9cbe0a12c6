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
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, fields, is_dataclass
from typing import Generic, TypeVar

import numpy as np

from warrantysim.api import (
    Prepared,
    ReplicationTables,
    Results,
    prepare,
    results_from_tables,
    tables_from_log,
)
from warrantysim.report.figures import PolicyResults
from warrantysim.scenario import Accounting, Scenario, Supplier, scenario_hash
from warrantysim.sim.eventlog import EventLog
from warrantysim.sim.model import run_replication
from warrantysim.workbench.levers import Levers, apply_levers

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")


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


LOG_BYTES = 512 * 2**20
"""Event logs kept: at most this many bytes (an event log of the full fleet is about 10 MiB)."""
RUN_BYTES = 256 * 2**20
"""Booked replications kept: at most this many bytes of frames."""


def simulation_key(scenario: Scenario, price: float) -> str:
    """A hash of what the simulation reads, and nothing else.

    The event log depends on the fleet, parts, lives, stocking, service and quality; it does not
    read the name, the descriptions, the Chinese title, the accounting section, the suppliers'
    money terms or the service's and screening's costs and penalties (applied when booking:
    docs/design.md, "book" is a pure function of the log), so policies that differ only there
    share their logs. A supplier's ``recovery_rate`` is kept: the simulation draws which
    chargebacks it accepts.
    """
    neutral_suppliers = {
        n: Supplier(recovery_rate=s.recovery_rate) for n, s in scenario.suppliers.items()
    }
    service = scenario.service.model_copy(
        update={
            "labour_cost_per_repair": 0.0,
            "logistics_cost_per_repair": 0.0,
            "late_penalty_per_day": 0.0,
        }
    )
    quality = scenario.quality.model_copy(update={"screening_cost_per_unit": 0.0})
    neutral = scenario.model_copy(
        update={
            "name": "",
            "description": "",
            "title_zh": None,
            "description_zh": None,
            "accounting": Accounting(),
            "suppliers": neutral_suppliers,
            "service": service,
            "quality": quality,
        }
    )
    # The unit price drives demand and may follow costs and terms (cost-plus), so it is keyed.
    return f"{scenario_hash(neutral)}@{price!r}"


class ByteBoundCache(Generic[K, V]):
    """A thread-safe mapping that forgets its oldest entries beyond ``max_bytes``."""

    def __init__(self, max_bytes: int, size_of: Callable[[V], int]) -> None:
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.max_bytes, self._size_of = max_bytes, size_of

    def get(self, key: K) -> V | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: K, value: V) -> None:
        size = self._size_of(value)
        with self._lock:
            if key in self._items:
                self._bytes -= self._items.pop(key)[1]
            self._items[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes and len(self._items) > 1:
                self._bytes -= self._items.popitem(last=False)[1][1]

    @property
    def total_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)


def log_bytes(value: object) -> int:
    """The bytes of an event log's arrays (its tables are dataclasses of numpy columns)."""
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if is_dataclass(value) and not isinstance(value, type):
        return sum(log_bytes(getattr(value, f.name)) for f in fields(value))
    return 0


def run_bytes(run: ReplicationTables) -> int:
    frames = (run.monthly, run.annual, run.parts)
    return int(sum(f.memory_usage(deep=True).sum() for f in frames)) + 64 * len(run.kpis)


Progress = Callable[[int, int], None]
"""Called with (replications done, replications in all)."""


class ResultsCache:
    """Booked replications and event logs, each bounded in bytes; thread-safe.

    A booked replication is keyed by the whole scenario (every field can change the books), an
    event log by :func:`simulation_key` only, so moving an accounting or chargeback lever, or
    comparing two policies that differ only in their books, re-books logs instead of simulating.
    """

    def __init__(self, log_bytes_max: int = LOG_BYTES, run_bytes_max: int = RUN_BYTES) -> None:
        self._runs: ByteBoundCache[tuple[str, int, int], ReplicationTables] = ByteBoundCache(
            run_bytes_max, run_bytes
        )
        self._logs: ByteBoundCache[tuple[str, int, int], EventLog] = ByteBoundCache(
            log_bytes_max, log_bytes
        )

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
        """Replication ``r`` booked; raises :class:`Cancelled` (before simulating) if asked."""
        key = (scenario_hash(scenario), seed, r)
        run = self._runs.get(key)
        if run is None:
            if cancelled():
                raise Cancelled
            prepared = prepare(scenario)
            log = self._log(scenario, prepared, (simulation_key(scenario, prepared.price), seed, r))
            run = tables_from_log(log, scenario, prepared.price)
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
) -> PolicyResults:
    """:func:`compare`, replication by replication across the policies: after each round the
    comparison so far may be shown (:meth:`Job.publish`; the first round's numbers come in
    a fraction of the full time, and common random numbers keep its differences close to the
    final ones), and a newer request ends it between replications."""
    resolved = {name: p.resolved() for name, p in policies.items()}
    descriptions = {n: s.description for n, s in resolved.items()}
    runs: dict[str, list[ReplicationTables]] = {n: [] for n in resolved}
    comparison: PolicyResults | None = None
    for r in range(replications):
        for name, scenario in resolved.items():
            runs[name].append(cache.replication(scenario, seed, r, lambda: job.cancelled))
        job.progress(r + 1, replications)
        if r + 1 == replications or job.due():
            comparison = PolicyResults.of(
                {n: results_from_tables(s, seed, runs[n]) for n, s in resolved.items()},
                descriptions,
            )
            if r + 1 < replications:
                job.publish(comparison)
    assert comparison is not None
    return comparison


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
    ) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbench")
        self.generation = 0
        self._lock = threading.Lock()
        self._on_done, self._on_error, self._on_busy = on_done, on_error, on_busy
        self._on_progress = on_progress
        self._last: Future[None] | None = None

    def submit(self, work: Callable[[Job[T]], T]) -> Future[None]:
        with self._lock:
            self.generation += 1
            job = Job(self, self.generation)
        self._on_busy(True)
        self._last = self._pool.submit(self._run, job, work)
        return self._last

    def cancel(self) -> None:
        """Stop the running computation (at its next step); the last answer stays shown."""
        with self._lock:
            self.generation += 1
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
