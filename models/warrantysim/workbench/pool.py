"""Worker processes kept warm for the dashboard: replications of a round run in parallel.

Started with the dashboard (so, under Voila, while the kernel is preheated), each worker has
the model imported (the fork server preloads it), keeps the stock plans it made
(``api.prepare`` caches them by the physical fields), the event logs it simulated and each
replication's demand (sales and claims, which the stock cannot move, so a stocking change only
runs the stock again), both bounded in bytes; each log with its physical counts, which a
re-booking does not count again. Replication ``r`` always goes to worker
``r mod n``, so a policy that differs only in its books is re-booked where its logs already are.
A task carries the generation of the request that asked for it; a newer request (or Stop)
raises the shared generation, and a worker skips every task of an older one at once: cancelling
costs at most the replication in flight. The per-part table (``ReplicationTables.parts``) is not
built: the workbench never reads it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from warrantysim.api import Physical, ReplicationTables, physical_of, prepare, tables_from_log
from warrantysim.scenario import Scenario
from warrantysim.sim.eventlog import EventLog
from warrantysim.sim.key import demand_key, simulation_key
from warrantysim.sim.model import Demand, draw_demand, run_replication
from warrantysim.workbench.caches import DEMAND_BYTES, LOG_BYTES, ByteBoundCache, log_bytes

TRACE_ENV = "WARRANTYSIM_TRACE_REPLICATIONS"
"""Set (to anything): each request's start and each replication a worker completes are
written to stderr, that is the app's log (the cancel test counts them)."""
PRELOAD = ["warrantysim.api", "warrantysim.workbench.pool"]
"""Imported once by the fork server; every worker forks from it with the model loaded."""


def default_workers() -> int:
    """One worker per core, at least two (a round's policies and replications overlap)."""
    return max(2, len(os.sched_getaffinity(0)))


@dataclass
class _Worker:
    generation: Any
    """The shared generation (a ``multiprocessing.Value``): tasks older than it are skipped."""
    logs: ByteBoundCache[tuple[str, int, int], tuple[EventLog, Physical]]
    """Each log with its physical counts (a re-booking does not count them again)."""
    demands: ByteBoundCache[tuple[str, int, int], Demand]


_worker: _Worker | None = None
"""This process's state when it is a worker (set by :func:`_start_worker`)."""


def _start_worker(generation: Any, log_bytes_max: int, demand_bytes_max: int) -> None:
    global _worker
    # The kernel's interrupt (SIGINT to its process group) is not for the workers: they end
    # with the kernel, when their task queue closes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logs: ByteBoundCache[tuple[str, int, int], tuple[EventLog, Physical]] = ByteBoundCache(
        log_bytes_max, log_bytes
    )
    _worker = _Worker(generation, logs, ByteBoundCache(demand_bytes_max, log_bytes))


def _trace(message: str) -> None:
    if os.environ.get(TRACE_ENV):
        print(f"warrantysim: {message}", file=sys.__stderr__, flush=True)  # not the page


@lru_cache(maxsize=32)
def _scenario(scenario_json: str) -> Scenario:
    return Scenario.model_validate_json(scenario_json)


def _prepare(scenario_json: str) -> None:
    prepare(_scenario(scenario_json))


def _replication(
    scenario_json: str, seed: int, r: int, generation: int
) -> ReplicationTables | None:
    """Replication ``r`` simulated (or its log reused) and booked; None if superseded."""
    assert _worker is not None, "runs in a pool worker"
    if _worker.generation.value > generation:
        return None
    scenario = _scenario(scenario_json)
    prepared = prepare(scenario)
    key = (simulation_key(scenario, prepared.price), seed, r)
    logged = _worker.logs.get(key)
    if logged is None:
        demand = _demand(_worker, scenario, prepared.price, seed, r)
        log = run_replication(
            scenario, seed, r, price=prepared.price, plan=prepared.plan, demand=demand
        )
        logged = (log, physical_of(log, scenario))
        _worker.logs.put(key, logged)
    log, physical = logged
    tables = tables_from_log(log, scenario, prepared.price, parts=False, physical=physical)
    _trace(f"generation {generation} replication {r} done")
    return tables


def _demand(worker: _Worker, scenario: Scenario, price: float, seed: int, r: int) -> Demand:
    """Replication ``r``'s sales and claims, drawn once per :func:`demand_key`."""
    key = (demand_key(scenario, price), seed, r)
    demand = worker.demands.get(key)
    if demand is None:
        demand = draw_demand(scenario, seed, r, price=price)
        worker.demands.put(key, demand)
    return demand


class WarmPool:
    """``workers`` single-process executors; :meth:`close` when done (the kernel's exit does)."""

    def __init__(
        self,
        workers: int | None = None,
        log_bytes_max: int = LOG_BYTES,
        demand_bytes_max: int = DEMAND_BYTES,
    ) -> None:
        # Not fork: the kernel runs threads whose locks a forked child would inherit held.
        n = workers or default_workers()
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        self._generation = context.Value("q", 0)
        self._executors = [
            ProcessPoolExecutor(
                1,
                mp_context=context,
                initializer=_start_worker,
                initargs=(self._generation, log_bytes_max // n, demand_bytes_max // n),
            )
            for _ in range(n)
        ]

    @property
    def workers(self) -> int:
        return len(self._executors)

    def warm(self, scenarios: Iterable[Scenario]) -> None:
        """Start every worker and make each scenario's stock plan there (blocking)."""
        texts = [s.model_dump_json() for s in scenarios]
        futures = [e.submit(_prepare, t) for e in self._executors for t in texts]
        for future in futures:
            future.result()

    def submit(
        self, scenario: Scenario, seed: int, r: int, generation: int
    ) -> Future[ReplicationTables | None]:
        executor = self._executors[r % len(self._executors)]
        return executor.submit(_replication, scenario.model_dump_json(), seed, r, generation)

    def supersede(self, generation: int) -> None:
        """Tasks of requests older than ``generation`` are skipped from now on."""
        with self._generation.get_lock():
            self._generation.value = max(self._generation.value, generation)
        _trace(f"generation {generation} begins")

    def pids(self) -> list[int]:
        processes = [p for e in self._executors for p in (e._processes or {}).values()]
        return [p.pid for p in processes if p.pid is not None]

    def close(self) -> None:
        for executor in self._executors:
            executor.shutdown(wait=False, cancel_futures=True)
