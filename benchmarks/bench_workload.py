"""The constants of ``warrantysim.workload``: memory and time of one replication against its
claims, and the estimate against the claims the run produced.

Each size runs in its own process (peak RSS is per process). Usage:
    .venv/bin/python benchmarks/bench_workload.py
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.yaml"
UNITS_PER_MONTH = (12_500, 50_000, 200_000)
ONE_RUN = """
import json, sys, time
from warrantysim import load_scenario, simulate
from warrantysim.workload import estimate
scenario = load_scenario(sys.argv[1], {"product.units_per_month": float(sys.argv[2])})
start = time.perf_counter()
claims = float(simulate(scenario, replications=1, seed=1).kpis["claims"].iloc[0])
print(json.dumps({"claims": claims, "estimate": estimate(scenario).claims,
                  "seconds": time.perf_counter() - start}))
"""


def measure(units: int) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run([sys.executable, "-c", ONE_RUN, str(BASELINE), str(units)],
                          capture_output=True, text=True, check=True)  # fmt: skip
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kb >= before
    return {**json.loads(done.stdout), "peak_mb": peak_kb / 1024}


def main() -> None:
    rows = [(u, measure(u)) for u in UNITS_PER_MONTH]
    print("units/month  claims      estimate    seconds  peak MB")
    for units, row in rows:
        print(f"{units:>11,}  {row['claims']:>10,.0f}  {row['estimate']:>10,.0f}  "
              f"{row['seconds']:>7.2f}  {row['peak_mb']:>7.0f}")  # fmt: skip
    small, large = rows[0][1], rows[-1][1]
    per_claim = (large["peak_mb"] - small["peak_mb"]) * 2**20 / (large["claims"] - small["claims"])
    speed = large["claims"] / large["seconds"]
    print(f"marginal memory: {per_claim:.0f} B/claim; at the largest: {speed:,.0f} claims/s")


if __name__ == "__main__":
    main()
