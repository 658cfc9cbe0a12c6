"""Experiments at scale (issue 4's benchmark): runs per second of the baseline on each executor,
1,000 replications of the baseline, and a Sobol study of 8 parameters at N = 256.

    python benchmarks/bench_experiments.py                         # all three (~20 min, 2 cores)
    python benchmarks/bench_experiments.py --only throughput --runs 40

Throughput: each executor is started and warmed (imports, one run per worker so every worker has
the scenario's price and stock plan cached), then ``--runs`` replications are timed in chunks of
the default size; startup is reported apart. The three executors' KPIs must be bit-identical.
The worker CPU share (CPU over wall seconds inside the workers) tells whether the cores were
free: other jobs on a shared machine take their share, and no executor can beat that.
The 1,000 replications and the Sobol study go through the public API with a results directory,
as a user would run them, on local processes (all cores). Prints markdown for benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from warrantysim import experiments as ex
from warrantysim.experiments.executors import Executor, make_executor
from warrantysim.experiments.runner import default_chunk_runs, plan_chunks
from warrantysim.experiments.store import Chunk, Table
from warrantysim.experiments.work import Job, Point
from warrantysim.scenario import Scenario, load_scenario, scenario_hash

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
SOBOL_SPEC = ROOT / "scenarios" / "experiments" / "sensitivity-example.yaml"
SEED = 2026
WARM_UP = 10_000
"""Warm-up runs use replications from here on, apart from the timed ones (0..runs-1)."""


@dataclass(frozen=True)
class Throughput:
    startup_s: float
    runs_per_s: float
    cpu_share: float
    """Worker CPU seconds over worker wall seconds: 1.0 when each worker had a core to itself."""
    cpu_s_per_run: float
    """Worker CPU seconds per run: the executor's own cost, little moved by other jobs."""
    kpis: pd.DataFrame


def throughput(scenario: Scenario, runs: int, make: Callable[[], Executor]) -> Throughput:
    """Startup seconds, steady runs/s and the KPIs of ``runs`` replications on one executor."""
    job = Job((scenario,), (Point(0, {}, {"scenario_hash": scenario_hash(scenario)}),), SEED)
    started = time.perf_counter()
    executor = make()
    warm = [Chunk(i, 0, 1, WARM_UP + i, WARM_UP + i + 1) for i in range(executor.workers)]
    list(executor.run(job, warm))
    startup = time.perf_counter() - started
    size = default_chunk_runs(runs, executor.workers)
    chunks = plan_chunks(1, 0, runs, size, len(warm))
    started = time.perf_counter()
    results = [r for r in executor.run(job, chunks) if r is not None]
    seconds = time.perf_counter() - started
    executor.close()
    kpis = pd.concat([r.tables[Table.KPIS] for r in results]).sort_values("replication")
    cpu = sum(r.cpu_seconds for r in results)
    cpu_share = cpu / sum(r.seconds for r in results)
    return Throughput(startup, runs / seconds, cpu_share, cpu / runs, kpis.reset_index(drop=True))


def bench_throughput(runs: int) -> list[str]:
    scenario = load_scenario(BASELINE)
    executors = {
        "serial": lambda: make_executor("serial"),
        "local processes (2)": lambda: make_executor("processes", workers=2),
        "Dask LocalCluster (2 workers)": lambda: make_executor(cluster="local:2"),
    }
    figures = {}
    for name, make in executors.items():
        figures[name] = throughput(scenario, runs, make)
        print(f"  {name}: {figures[name].runs_per_s:.2f} runs/s, load {os.getloadavg()[0]:.1f}",
              flush=True)  # fmt: skip
    for figure in figures.values():
        pd.testing.assert_frame_equal(figure.kpis, figures["serial"].kpis, check_exact=True)
    serial = figures["serial"].runs_per_s
    lines = [
        f"| executor | runs/s ({runs} runs of the baseline) | vs serial | worker CPU share "
        "| worker CPU s per run | startup s |",
        "|---|---|---|---|---|---|",
    ]
    for name, figure in figures.items():
        rate = figure.runs_per_s
        lines.append(
            f"| {name} | {rate:.2f} | {rate / serial:.2f}x | {figure.cpu_share:.2f} "
            f"| {figure.cpu_s_per_run:.3f} | {figure.startup_s:.1f} |"
        )
    lines.append("")
    lines.append("KPIs of all three executors bit-identical: yes")
    return lines


def bench_replications(n: int) -> list[str]:
    scenario = load_scenario(BASELINE)
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        result = ex.replicate(scenario, n, SEED, out=Path(out) / "reps", progress="text")
        seconds = time.perf_counter() - started
    assert len(result.kpis) == n
    profit = result.kpis["lifetime_profit"]
    return [f"{n} replications of the baseline, local processes (all {os.cpu_count()} cores), "
            f"stored as Parquet: {seconds:.0f} s wall ({n / seconds:.2f} runs/s); lifetime "
            f"profit {profit.mean() / 1e6:,.1f} M CNY, sd {profit.std() / 1e6:,.2f} M"]  # fmt: skip


def bench_sobol() -> list[str]:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        result = ex.sensitivity(SOBOL_SPEC, out=Path(out) / "sobol", progress="text",
                                tables=(Table.KPIS,))  # fmt: skip
        seconds = time.perf_counter() - started
    runs = len(result.kpis)
    top = (result.indices[result.indices["kpi"] == "lifetime_profit"]
           .sort_values("ST", ascending=False).head(3))  # fmt: skip
    ranked = ", ".join(f"{r.parameter} {r.ST:.2f}" for r in top.itertuples())
    return [f"Sobol, 8 parameters, N = 256 ({runs} runs of the baseline, "
            f"`scenarios/experiments/sensitivity-example.yaml`), local processes: "
            f"{seconds:.0f} s wall ({runs / seconds:.2f} runs/s). Largest total indices of "
            f"lifetime profit: {ranked}.", *(f"- warning: {w}" for w in result.warnings),
            result.indices.to_string(index=False, float_format=lambda x: f"{x:.3f}")]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["throughput", "replications", "sobol"], default=None)
    parser.add_argument("--runs", type=int, default=40, help="runs per executor (throughput)")
    parser.add_argument("--replications", type=int, default=1000)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average at start {os.getloadavg()[0]:.1f}")
    sections = {
        "throughput": lambda: bench_throughput(args.runs),
        "replications": lambda: bench_replications(args.replications),
        "sobol": bench_sobol,
    }
    for name, run in sections.items():
        if args.only in (None, name):
            print("\n".join(run()), flush=True)


if __name__ == "__main__":
    main()
