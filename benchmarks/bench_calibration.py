"""Speed of the calibration fits: 10 parts, each from a 36 x 72 Nevada chart.

    python benchmarks/bench_calibration.py

The charts are the baseline's own claims (replication 0 of ``scenarios/baseline.yaml``: 36 sales
months of ~12,500 units, watched 72 months), one per part, exported as ``run --nevada`` does.
Times (wall and CPU, median and range of 5 rounds) are for fitting all 10 parts: a Weibull fit
each, and ``--model auto`` (all four models and the BIC recommendation) each, both on the
``interval`` and the ``exact`` Nevada conventions. Reading the charts is not included. Prints
figures only; nothing here passes or fails.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from warrantysim.api import prepare
from warrantysim.calibration import Censoring, LifeData, fitter, recommend
from warrantysim.calibration.export import simulated_nevada
from warrantysim.calibration.nevada import to_life_data
from warrantysim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 5


def _charts(censoring: Censoring) -> list[LifeData]:
    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    charts = simulated_nevada(scenario, prepare(scenario).price, scenario.simulation.seed)
    warranty = scenario.product.warranty_months
    for chart in charts.values():
        assert chart.returns.shape == (36, 72)
    return [to_life_data(c, 1, warranty, censoring) for c in charts.values()]


def _time(work: Callable[[], object]) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(ROUNDS):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus


def _fmt(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {ROUNDS} rounds")
    print(f"{'censoring':<10} {'models':<8} {'wall s, 10 parts':>22} {'CPU s, 10 parts':>22}")
    for censoring in (Censoring.INTERVAL, Censoring.EXACT):
        parts = _charts(censoring)
        for label, work in (
            ("weibull", lambda parts=parts: [fitter("weibull").fit(d) for d in parts]),
            ("auto", lambda parts=parts: [recommend(d) for d in parts]),
        ):
            walls, cpus = _time(work)
            print(f"{censoring.value:<10} {label:<8} {_fmt(walls):>22} {_fmt(cpus):>22}")


if __name__ == "__main__":
    main()
