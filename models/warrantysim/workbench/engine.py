"""Compute a comparison of policies, with a cache, in the background.

The dashboard calls :func:`compare` on a worker thread through :class:`Background`, which keeps at
most one computation running and drops results that a newer request has superseded, so dragging a
slider never shows a stale answer. Results are cached by the scenario's content, the replications
and the seed: moving a lever of one policy re-simulates that policy only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

from warrantysim.api import Prepared, Results, prepare, results_from_tables, tables_from_log
from warrantysim.report.figures import PolicyResults
from warrantysim.scenario import Accounting, Scenario, scenario_hash
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


class ResultsCache:
    """``simulate`` results by (scenario content, replications, seed); thread-safe, bounded.

    Event logs are cached too, keyed by the scenario without its ``accounting`` section: the
    simulation never reads it (docs/design.md, "book" is a pure function of the log), so moving an
    accounting lever (treatment, write-down, cap) re-books the logs instead of re-simulating.
    """

    def __init__(self, max_results: int = 32, max_logs: int = 400) -> None:
        self._results: dict[tuple[str, int, int], Results] = {}
        self._logs: dict[tuple[str, int, int], EventLog] = {}
        self._lock = threading.Lock()
        self._max_results, self._max_logs = max_results, max_logs

    def simulate(self, scenario: Scenario, replications: int, seed: int) -> Results:
        key = (scenario_hash(scenario), replications, seed)
        with self._lock:
            if key in self._results:
                return self._results[key]
        result = self._run(scenario, replications, seed)
        with self._lock:
            _put(self._results, key, result, self._max_results)
        return result

    def _run(self, scenario: Scenario, replications: int, seed: int) -> Results:
        prepared = prepare(scenario)
        physical = scenario_hash(scenario.model_copy(update={"accounting": Accounting()}))
        runs = []
        for r in range(replications):
            log = self._log(scenario, prepared, (physical, seed, r))
            runs.append(tables_from_log(log, scenario, prepared.price))
        return results_from_tables(scenario, seed, runs)

    def _log(self, scenario: Scenario, prepared: Prepared, key: tuple[str, int, int]) -> EventLog:
        with self._lock:
            if key in self._logs:
                return self._logs[key]
        _, seed, r = key
        log = run_replication(scenario, seed, r, price=prepared.price, plan=prepared.plan)
        with self._lock:
            _put(self._logs, key, log, self._max_logs)
        return log


def _put(cache: dict[K, V], key: K, value: V, max_entries: int) -> None:
    if len(cache) >= max_entries:
        cache.pop(next(iter(cache)))  # oldest first
    cache[key] = value


def compare(
    policies: Mapping[str, Policy], replications: int, seed: int, cache: ResultsCache
) -> PolicyResults:
    """Simulate every policy with the same seed (common random numbers) and stack the results."""
    resolved = {name: p.resolved() for name, p in policies.items()}
    results = {n: cache.simulate(s, replications, seed) for n, s in resolved.items()}
    descriptions = {n: s.description for n, s in resolved.items()}
    return PolicyResults.of(results, descriptions)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T
    seconds: float


class Background(Generic[T]):
    """Run the latest request on one worker thread; report only the newest request's outcome."""

    def __init__(
        self,
        on_done: Callable[[Outcome[T]], None],
        on_error: Callable[[BaseException], None],
        on_busy: Callable[[bool], None],
    ) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbench")
        self._generation = 0
        self._lock = threading.Lock()
        self._on_done, self._on_error, self._on_busy = on_done, on_error, on_busy
        self._last: Future[None] | None = None

    def submit(self, work: Callable[[], T]) -> Future[None]:
        with self._lock:
            self._generation += 1
            generation = self._generation
        self._on_busy(True)
        self._last = self._pool.submit(self._run, generation, work)
        return self._last

    def wait(self, timeout_s: float | None = None) -> None:
        """Block until the newest request has finished (tests and scripts)."""
        if self._last is not None:
            self._last.result(timeout=timeout_s)

    def _run(self, generation: int, work: Callable[[], T]) -> None:
        if generation != self._generation:
            return  # superseded before it started
        start = time.perf_counter()
        try:
            value = work()
        except Exception as exc:  # shown to the user: a worker thread's error is otherwise lost
            if generation == self._generation:
                self._on_busy(False)
                self._on_error(exc)
            return
        if generation == self._generation:
            self._on_done(Outcome(value, time.perf_counter() - start))
            self._on_busy(False)
