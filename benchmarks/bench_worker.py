"""CPU of a workbench worker's task (``workbench.pool._replication``), run in this process.

    python benchmarks/bench_booking.py --worker [--replications 5]

The same script measures any checkout (it reads the pool's own signatures), so "before" and
"after" are paired on one machine: ``PYTHONPATH=<other checkout>/models python ...``. Printed:

* per policy (status-quo, expense-on-purchase, supplier-chargeback, the shipped files at the
  default fleet): CPU of simulating one replication the way a worker does the first time
  (``run_replication``, with the demand drawn when the checkout has ``draw_demand``) and of
  booking it the way a worker does (``tables_from_log``, without the per-part table when the
  checkout can leave it out), and the pickled result's size and CPU (dumps + loads);
* a stocking lever change (status-quo, ``stocking_multiplier`` 0.5, 0.6, 0.7, 0.8, 0.9, each
  after the lever at 1.0 ran the same replications in that worker): CPU of the whole task,
  ``prepare`` of the new level included, and ``prepare`` alone;
* a re-booking (supplier-chargeback's chargeback shares 0.1 ... 0.5 on logs the worker has):
  CPU of the whole task.

Medians with min–max over replications 0..n−1 (after a warm-up replication). Prints figures only.
"""

from __future__ import annotations

import inspect
import multiprocessing
import os
import pickle
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import warrantysim
from warrantysim import api
from warrantysim.scenario import Scenario, load_scenario
from warrantysim.sim import model
from warrantysim.workbench import caches, pool
from warrantysim.workbench.levers import Levers, apply_levers

ROOT = Path(__file__).resolve().parents[1]
SEED = 2026
POLICIES = ("status-quo", "expense-on-purchase", "supplier-chargeback")
MULTIPLIERS = (0.5, 0.6, 0.7, 0.8, 0.9)
SHARES = (0.1, 0.2, 0.3, 0.4, 0.5)
T = TypeVar("T")


def cpu(call: Callable[[], T]) -> tuple[T, float]:
    start = time.process_time()
    result = call()
    return result, time.process_time() - start


def spread(values: list[float], scale: float = 1.0) -> str:
    v = [x * scale for x in values]
    return f"{statistics.median(v):.3f} ({min(v):.3f}–{max(v):.3f})"


def simulate(scenario: Scenario, r: int) -> Any:
    """One replication simulated from nothing, as a worker's first task does."""
    prepared = api.prepare(scenario)
    if hasattr(model, "draw_demand"):
        demand = model.draw_demand(scenario, SEED, r, price=prepared.price)
        return model.run_replication(
            scenario, SEED, r, price=prepared.price, plan=prepared.plan, demand=demand
        )
    return model.run_replication(scenario, SEED, r, price=prepared.price, plan=prepared.plan)


def book(log: Any, scenario: Scenario) -> api.ReplicationTables:
    """The tables a worker returns for a log."""
    price = api.prepare(scenario).price
    if "parts" in inspect.signature(api.tables_from_log).parameters:
        return api.tables_from_log(log, scenario, price, parts=False)
    return api.tables_from_log(log, scenario, price)


def policy_row(name: str, replications: int) -> str:
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    book(simulate(scenario, replications), scenario)  # warm-up
    sims, books, pickles, sizes = [], [], [], []
    for r in range(replications):
        log, sim_cpu = cpu(lambda: simulate(scenario, r))  # noqa: B023 (called at once)
        tables, book_cpu = cpu(lambda: book(log, scenario))  # noqa: B023
        data, dump_cpu = cpu(lambda: pickle.dumps(tables, pickle.HIGHEST_PROTOCOL))  # noqa: B023
        _, load_cpu = cpu(lambda: pickle.loads(data))  # noqa: B023
        sims.append(sim_cpu)
        books.append(book_cpu)
        pickles.append(dump_cpu + load_cpu)
        sizes.append(len(data) / 1024)
    total = [s + b for s, b in zip(sims, books, strict=True)]
    return (
        f"| {name} | {spread(sims)} | {spread(books)} | {spread(total)} | "
        f"{statistics.median(sizes):.0f} | {spread(pickles, 1000)} |"
    )


def start_worker() -> None:
    """This process as a pool worker (the same state a forked worker starts with)."""
    budgets = (caches.LOG_BYTES, getattr(caches, "DEMAND_BYTES", 0))
    n_budgets = len(inspect.signature(pool._start_worker).parameters) - 1
    pool._start_worker(multiprocessing.Value("q", 0), *budgets[:n_budgets])


def task(scenario: Scenario, r: int) -> float:
    """CPU of one worker task (``_replication``) for ``scenario``'s replication ``r``."""
    text = scenario.model_dump_json()
    _, seconds = cpu(lambda: pool._replication(text, SEED, r, 0))
    return seconds


def lever_rows(replications: int) -> list[str]:
    quo = load_scenario(ROOT / "scenarios" / "status-quo.yaml")
    chargeback = load_scenario(ROOT / "scenarios" / "supplier-chargeback.yaml")
    start_worker()
    for r in range(replications):  # the policies as loaded: their logs are in the worker
        task(quo, r)
        task(chargeback, r)
    stocked, prepares = [], []
    for m in MULTIPLIERS:
        moved = apply_levers(quo, Levers.of(quo).replace(stocking_multiplier=m))
        _, seconds = cpu(lambda: api.prepare(moved))  # noqa: B023
        prepares.append(seconds)
        api._PLANS.clear()  # the task below makes the plan again, as a real worker would
        stocked += [task(moved, r) for r in range(replications)]
    rebooked = []
    for share in SHARES:
        levers = Levers.of(chargeback)
        shares = tuple((n, share) for n, _ in levers.chargeback_shares)
        moved = apply_levers(chargeback, levers.replace(chargeback_shares=shares))
        rebooked += [task(moved, r) for r in range(replications)]
    return [
        f"| stocking lever (status-quo × {MULTIPLIERS[0]}…{MULTIPLIERS[-1]}) | {spread(stocked)} "
        f"| {spread(prepares)} |",
        f"| chargeback lever, re-booking (supplier-chargeback, shares {SHARES[0]}…{SHARES[-1]}) "
        f"| {spread(rebooked)} | – |",
    ]


def report(replications: int) -> None:
    print(f"code: {Path(warrantysim.__file__).parents[1]}")
    print(f"load average before (1, 5, 15 min): {os.getloadavg()}\n")
    print("| policy | simulate CPU s | book CPU s | worker task CPU s | result KiB "
          "| pickle dumps+loads CPU ms |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for name in POLICIES:
        print(policy_row(name, replications), flush=True)
    print("\n| lever change | worker task CPU s | of which prepare CPU s |")
    print("|---|---|---|")
    for line in lever_rows(replications):
        print(line, flush=True)
    print(f"\nload average after (1, 5, 15 min): {os.getloadavg()}")
