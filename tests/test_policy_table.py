"""``scripts/main``'s job (``scripts/policy_table.py``) on a tiny fleet: a summary that fits a
120-column terminal, the full tables in a file, the policy report beside them, and where they are.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY = ["--set", "product.units_per_month=100", "--set", "simulation.horizon_months=6"]


@pytest.mark.slow
def test_the_main_job_prints_a_summary_within_120_columns_and_says_where_the_rest_is(
    tmp_path: Path,
) -> None:
    out = tmp_path / "policies"
    command = [sys.executable, str(ROOT / "scripts" / "policy_table.py"), "--replications", "2"]
    command += ["--out", str(out), "--executor", "serial", *TINY]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    table = out / "policy-table.md"
    summary = lines[: lines.index(f"full table: {table}")]  # then paths, as long as they are
    assert max(len(line) for line in summary) <= 120, max(summary, key=len)
    policies = ["status-quo", "supplier-chargeback", "cap-share", "stocking-x1_5"]
    assert all(any(line.startswith(p + " ") for line in lines) for p in policies)
    assert "| policy | NPV of cash after tax |" in table.read_text(encoding="utf-8")
    assert f"policy report: {out / 'report.html'}, {out / 'report.xlsx'}" in lines
    assert "chartsRendered" in (out / "report.html").read_text(encoding="utf-8")  # its script
    assert (out / "report.xlsx").stat().st_size > 0
    assert "report: HTML" in done.stderr  # the report's stages, one line each
