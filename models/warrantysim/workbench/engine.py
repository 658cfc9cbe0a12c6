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

from warrantysim.report.figures import Comparison
from warrantysim.scenario import Scenario
from warrantysim.scenario_files import scenario_hash
from warrantysim.workbench.levers import Levers, apply_levers

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


class ResultsCache:
    """``simulate`` results by (scenario content, replications, seed); thread-safe, bounded."""

    def __init__(self, max_entries: int = 32) -> None:
        self._entries: dict[tuple[str, int, int], object] = {}
        self._lock = threading.Lock()
        self._max = max_entries

    def simulate(self, scenario: Scenario, replications: int, seed: int) -> object:
        from warrantysim.api import simulate

        key = (scenario_hash(scenario), replications, seed)
        with self._lock:
            if key in self._entries:
                return self._entries[key]
        result = simulate(scenario, replications=replications, seed=seed)
        with self._lock:
            if len(self._entries) >= self._max:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = result
        return result


def compare(
    policies: Mapping[str, Policy], replications: int, seed: int, cache: ResultsCache
) -> Comparison:
    """Simulate every policy with the same seed (common random numbers) and stack the results."""
    resolved = {name: p.resolved() for name, p in policies.items()}
    results = {n: cache.simulate(s, replications, seed) for n, s in resolved.items()}
    descriptions = {n: s.description for n, s in resolved.items()}
    return Comparison.of(results, descriptions)  # type: ignore[arg-type]


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
