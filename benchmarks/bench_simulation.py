"""Speed and memory of the physical simulation: the fast path and the SimPy engine against the
naive reference.

    python benchmarks/bench_simulation.py            # every figure of benchmarks/README.md
    python benchmarks/bench_simulation.py one --model fast --units 1000000 --replications 3

"Physical simulation" is ``warrantysim.sim.model.run_replication`` with the stock plan (prices,
``level: auto``, last-buy cover: a function of the scenario alone, made once per scenario)
passed in, as ``warrantysim.api.run_one`` does; the plan's own time is printed apart. Each size
runs in a fresh child process so its peak RSS (``getrusage``'s ru_maxrss) is its own; the
import floor (Python, numpy, pandas, SimPy, the package) is printed next to it. Prints figures
only; nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from warrantysim.accounting import account
from warrantysim.api import Prepared, prepare
from warrantysim.scenario import Engine, Scenario, load_scenario
from warrantysim.sim.model import run_replication
from warrantysim.sim.sales import planned_units
from warrantysim.sim.service import EngineCounts

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
SEED = 2026
FLEET_SIZES = (100_000, 250_000, 450_000, 1_000_000)
NAIVE_SIZES = (100_000, 450_000)


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scaled(scenario: Scenario, units: int | None) -> Scenario:
    """The scenario with ``units_per_month`` scaled so the plan sells ``units`` in total."""
    if units is None:
        return scenario
    planned = float(planned_units(scenario, scenario.pricing.price).sum())
    spec = scenario.model_dump(by_alias=True)
    spec["product"]["units_per_month"] *= units / planned
    return Scenario.model_validate(spec)


def run_model(
    model: str, scenario: Scenario, prepared: Prepared, replication: int
) -> tuple[int, int, float]:
    """One replication of a model: the units it sold, the SimPy events it scheduled (SimPy
    engine) and the CPU seconds of booking its event log (fast path and SimPy engine)."""
    if model in ("fast", "simpy"):
        spec = scenario.model_copy(
            update={"simulation": scenario.simulation.model_copy(update={"engine": Engine(model)})}
        )
        log = run_replication(spec, SEED, replication, price=prepared.price, plan=prepared.plan)
        counts = log.extras.get("engine_counts")
        events = counts.events if isinstance(counts, EngineCounts) else 0
        cpu_start = time.process_time()
        account(log, scenario, prepared.price)
        return int(log.units_sold.sum()), events, time.process_time() - cpu_start
    from naive_reference import run_naive  # benchmarks/ is on sys.path when run as a script

    naive = run_naive(scenario, SEED, replication, price=prepared.price, plan=prepared.plan)
    return int(naive.units_sold.sum()), 0, 0.0


def measure(model: str, units: int | None, replications: int) -> dict[str, Any]:
    """Seconds per replication and peak memory of one model at one fleet size, in this process."""
    floor = peak_rss_mib()
    scenario = scaled(load_scenario(BASELINE), units)
    start = time.perf_counter()
    prepared = prepare(scenario)
    plan_seconds = time.perf_counter() - start
    seconds, cpu_seconds, books, events, sold = [], [], [], 0, 0
    for r in range(replications):
        start, cpu_start = time.perf_counter(), time.process_time()
        sold, events, book_cpu = run_model(model, scenario, prepared, r)
        seconds.append(time.perf_counter() - start - book_cpu)
        cpu_seconds.append(time.process_time() - cpu_start - book_cpu)
        books.append(book_cpu)
    return {
        "books_cpu_seconds": books,
        "events": events,
        "model": model,
        "units": sold,
        "plan_seconds": plan_seconds,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "import_floor_mib": floor,
        "peak_rss_mib": peak_rss_mib(),
    }


def in_child(model: str, units: int | None, replications: int) -> dict[str, Any]:
    """``measure`` in a fresh interpreter, so peak memory belongs to that run alone."""
    command = [
        sys.executable,
        __file__,
        "one",
        "--model",
        model,
        "--replications",
        str(replications),
    ]
    if units is not None:
        command += ["--units", str(units)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> str:
    """Cores this process may use, CPU model, RAM and Python: the README's machine line."""
    cpu_lines = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((ln.split(":", 1)[1].strip() for ln in cpu_lines if "model name" in ln), "?")
    ram_kib = int(Path("/proc/meminfo").read_text().split()[1])
    cores = len(os.sched_getaffinity(0))
    python = platform.python_version()
    return f"{cores} cores, {cpu}, {ram_kib / 2**20:.0f} GiB RAM, Python {python}"


def spread(values: list[float]) -> str:
    """Median with min–max, the way every figure of the README is quoted."""
    return f"{median(values):.3f} ({min(values):.3f}–{max(values):.3f})"


def report_baseline(fast_reps: int) -> None:
    fast = in_child("fast", None, fast_reps)
    simpy = in_child("simpy", None, fast_reps)
    naive = in_child("naive", None, 1)
    print(f"## Baseline, one replication ({fast['units']:,} units sold)\n")
    print("| model | wall s / rep | CPU s / rep | books CPU s | events | events / CPU s | reps |"
          " peak RSS MiB |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for name, run in (("fast path", fast), ("SimPy engine", simpy), ("naive reference", naive)):
        wall, cpu = spread(run["seconds"]), spread(run["cpu_seconds"])
        books = spread(run["books_cpu_seconds"]) if run["events"] or name == "fast path" else "–"
        rate = f"{run['events'] / median(run['cpu_seconds']):,.0f}" if run["events"] else "–"
        events = f"{run['events']:,}" if run["events"] else "–"
        print(f"| {name} | {wall} | {cpu} | {books} | {events} | {rate} | {len(run['seconds'])} |"
              f" {run['peak_rss_mib']:.0f} |")  # fmt: skip
    wall_ratio = median(naive["seconds"]) / median(fast["seconds"])
    cpu_ratio = median(naive["cpu_seconds"]) / median(fast["cpu_seconds"])
    print(f"\nspeed-up, naive / fast: {wall_ratio:.0f}× wall, {cpu_ratio:.0f}× CPU")
    simpy_ratio = median(naive["cpu_seconds"]) / median(simpy["cpu_seconds"])
    print(f"speed-up, naive / SimPy engine: {simpy_ratio:.1f}× CPU")
    print(f"stock plan, once per scenario (not in the figures): {fast['plan_seconds']:.2f} s\n")


def report_scaling(sizes: tuple[int, ...], naive_sizes: tuple[int, ...], reps: int) -> None:
    for model in ("fast", "simpy"):
        _scaling(model, sizes, naive_sizes if model == "fast" else (), reps)


def _scaling(model: str, sizes: tuple[int, ...], naive_sizes: tuple[int, ...], reps: int) -> None:
    print(f"## Cost against fleet size ({model}; naive where timed)\n")
    print(
        "| units sold | wall s / rep | CPU s / rep | CPU µs / unit | peak RSS MiB | naive CPU s |"
    )
    print("|---|---|---|---|---|---|")
    floor = 0.0
    for units in sizes:
        fast = in_child(model, units, reps)
        floor = fast["import_floor_mib"]
        naive = "–"
        if units in naive_sizes:
            naive = f"{median(in_child('naive', units, 1)['cpu_seconds']):.1f}"
        cpu = median(fast["cpu_seconds"])
        per_unit = 1e6 * cpu / fast["units"]
        wall, peak = spread(fast["seconds"]), fast["peak_rss_mib"]
        print(f"| {fast['units']:,} | {wall} | {cpu:.3f} | {per_unit:.2f} | {peak:.0f} | {naive} |")
    print(f"\nimport floor (RSS before any model runs): {floor:.0f} MiB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    one = sub.add_parser("one", help="time one model at one fleet size; prints a JSON line")
    one.add_argument("--model", choices=("fast", "simpy", "naive"), default="fast")
    one.add_argument("--units", type=int, default=None, help="total units sold (default: baseline)")
    one.add_argument("--replications", type=int, default=1)
    parser.add_argument("--replications", type=int, default=5, help="fast-model replications")
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "one":
        print(json.dumps(measure(args.model, args.units, args.replications)))
        return
    print(f"machine: {machine()}")
    print(f"load average before (1, 5, 15 min): {os.getloadavg()}\n")
    if not args.skip_naive:
        report_baseline(args.replications)
    report_scaling(FLEET_SIZES, () if args.skip_naive else NAIVE_SIZES, args.replications)
    print(f"load average after (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
