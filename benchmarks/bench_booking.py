"""One replication including the books, and the booking's share of it (issue 3's benchmark).

    python benchmarks/bench_booking.py                   # baseline and every policy scenario
    python benchmarks/bench_booking.py scenarios/age-writedown-cap.yaml --replications 10
    python benchmarks/bench_booking.py --worker          # what a workbench worker does (issue 13)

For each scenario, after one warm-up replication (lazy imports, caches): the whole of
``warrantysim.api.run_one`` minus its once-per-scenario ``prepare`` (price and stock plan), split
into the physical simulation (``run_replication``) and the booking (``accounting.account``: journal
with payables, VAT, the credit line and income tax, statements, finance KPIs; and since issue 11
the CAS statements, ``cas_statements()``); the rest of ``run_one`` is the physical tables and
their merge. Wall and
CPU seconds, median with min–max. Prints figures only.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from warrantysim.accounting import account
from warrantysim.api import prepare, tables_from_log
from warrantysim.scenario import Scenario, load_scenario
from warrantysim.sim.model import run_replication

ROOT = Path(__file__).resolve().parents[1]
SEED = 2026
T = TypeVar("T")


def timed(call: Callable[[], T]) -> tuple[T, float, float]:
    """The call's result, wall seconds and CPU seconds of this process."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def one_replication(scenario: Scenario, replication: int) -> dict[str, float]:
    """Wall and CPU seconds of each piece of one ``run_one``-equivalent replication."""
    prepared = prepare(scenario)
    log, sim_wall, sim_cpu = timed(
        lambda: run_replication(
            scenario, SEED, replication, price=prepared.price, plan=prepared.plan
        )
    )
    _, tables_wall, tables_cpu = timed(lambda: tables_from_log(log, scenario, prepared.price))
    _, book_wall, book_cpu = timed(lambda: account(log, scenario, prepared.price).cas_statements())
    return {
        "sim_wall": sim_wall,
        "sim_cpu": sim_cpu,
        "book_wall": book_wall,
        "book_cpu": book_cpu,
        "total_wall": sim_wall + tables_wall,
        "total_cpu": sim_cpu + tables_cpu,
    }


def measure(path: Path, replications: int) -> dict[str, list[float]]:
    scenario = load_scenario(path)
    _, prepare_wall, _ = timed(lambda: prepare(scenario))
    one_replication(scenario, replications)  # warm-up, not counted
    runs = [one_replication(scenario, r) for r in range(replications)]
    figures = {key: [run[key] for run in runs] for key in runs[0]}
    figures["prepare_wall"] = [prepare_wall]
    return figures


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({min(values):.3f}–{max(values):.3f})"


def row(name: str, f: dict[str, list[float]]) -> str:
    share = [b / t for b, t in zip(f["book_cpu"], f["total_cpu"], strict=True)]
    return (
        f"| {name} | {spread(f['total_wall'])} | {spread(f['total_cpu'])} | "
        f"{statistics.median(f['sim_cpu']):.3f} | {statistics.median(f['book_cpu']):.3f} | "
        f"{100 * statistics.median(share):.0f} % | {f['prepare_wall'][0]:.2f} |"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", type=Path)
    parser.add_argument("--replications", type=int, default=5)
    parser.add_argument(
        "--worker", action="store_true", help="CPU of a workbench worker's task (bench_worker.py)"
    )
    args = parser.parse_args(argv)
    if args.worker:
        from bench_worker import report  # benchmarks/ is on sys.path when run as a script

        report(args.replications)
        return
    paths = args.scenarios or sorted((ROOT / "scenarios").glob("*.yaml"))
    print("| scenario | run_one wall s | run_one CPU s | sim CPU s | booking CPU s "
          "| booking share (CPU) | prepare s (once) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for path in paths:
        print(row(path.stem, measure(path, args.replications)), flush=True)


if __name__ == "__main__":
    main()
