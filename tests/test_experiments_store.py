"""The results store under real failures: a sweep killed with SIGKILL and resumed equals an
uninterrupted run, computing no chunk twice; Ctrl-C keeps finished chunks and says how to go on.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from warrantysim import experiments as ex
from warrantysim.experiments.store import ResultsStore, StoreError, Table

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
POLL_SECONDS = 0.02
PATIENCE_SECONDS = 180.0

SPEC = f"""
kind: sweep
scenario: {BASELINE}
set: {{product.units_per_month: 300, product.sales_months: 12, product.warranty_months: 12,
       simulation.horizon_months: 24}}
design: grid
replications: 3
seed: 3
parameters:
  parts.ssd.stocking.level: {{values: [2, 4, 8, 16, 32]}}
  suppliers.diskco.chargeback_share: {{range: [0.0, 0.5], steps: 2}}
"""
RUNS = 10 * 3


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "sweep.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return path


def sweep_command(spec: Path, out: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "warrantysim.cli", "sweep", str(spec), "--out", str(out),
            "--progress", "quiet", *options]  # fmt: skip


def start_and_wait_for_chunks(command: list[str], out: Path, chunks: int) -> subprocess.Popen[str]:
    """Start a real sweep process and return once ``chunks`` chunks are stored."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + PATIENCE_SECONDS
    while len(ResultsStore(out).runlog()) < chunks:
        if process.poll() is not None:
            raise AssertionError(
                f"sweep ended early ({process.returncode}): {process.stderr.read()}"
            )  # type: ignore[union-attr]
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("sweep made no progress")
        time.sleep(POLL_SECONDS)
    return process


def chunk_files(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (out / "chunks").glob("c*.parquet")}


def test_sigkill_then_resume_equals_an_uninterrupted_run(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "killed"
    serial_one_run_chunks = sweep_command(spec, out, "--executor", "serial", "--chunk-runs", "1")
    process = start_and_wait_for_chunks(serial_one_run_chunks, out, chunks=3)
    process.send_signal(signal.SIGKILL)
    process.communicate()  # reaps it and closes its pipes
    store = ResultsStore(out)
    done_before = store.done_ids()
    assert 3 <= len(done_before) < RUNS, "the kill must land mid-way"
    files_before = chunk_files(out)
    logged_before = [entry["chunk"] for entry in store.runlog()]

    # Resume on two local processes: a different executor and worker count than the first run.
    resumed = subprocess.run(
        [*sweep_command(spec, out, "--resume", "--executor", "processes", "--workers", "2")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr

    # A kill can land between a chunk's last file and its run-log line, so "computed before the
    # kill" is read from the files; the resumed run must compute exactly the rest, once each.
    log = [entry["chunk"] for entry in store.runlog()]
    resumed_chunks = log[len(logged_before) :]
    assert len(resumed_chunks) == len(set(resumed_chunks)), "no chunk computed twice"
    assert not set(resumed_chunks) & done_before, "no finished chunk computed again"
    assert set(resumed_chunks) | done_before == set(range(RUNS)), "every chunk computed"
    after = chunk_files(out)
    assert {n: after[n] for n in files_before} == files_before, "finished chunks were not rewritten"
    assert not list((out / "chunks").glob(".*.tmp-*"))

    reference = tmp_path / "uninterrupted"
    ex.sweep(spec, out=reference, executor="serial", progress="quiet")  # default chunking
    for table in Table:
        expected = ex.load_results(reference, table)
        pd.testing.assert_frame_equal(ex.load_results(out, table), expected, check_exact=True)
    kpis = ex.load_results(out)
    assert len(kpis) == RUNS
    labels = {"point", "replication", "seed", "scenario_hash", "version"}
    design = {"parts.ssd.stocking.level", "suppliers.diskco.chargeback_share"}
    assert labels | design <= set(kpis.columns)
    assert len(ex.load_results(out, "monthly")) == RUNS * 24


@pytest.mark.parametrize(
    "executor", [["--executor", "processes", "--workers", "2"], ["--cluster", "local:2"]],
    ids=["processes", "dask"],
)  # fmt: skip
def test_ctrl_c_keeps_finished_chunks_and_says_how_to_resume(
    spec: Path, tmp_path: Path, executor: list[str]
) -> None:
    out = tmp_path / "interrupted"
    command = sweep_command(spec, out, *executor, "--chunk-runs", "1")
    process = start_and_wait_for_chunks(command, out, chunks=2)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    try:
        _, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise AssertionError(f"no exit after Ctrl-C: {process.communicate()}") from None
    assert process.returncode == 130, stderr
    assert "interrupted:" in stderr
    assert "--resume" in stderr
    assert str(out) in stderr
    done = ResultsStore(out).done_ids()
    assert 2 <= len(done) < RUNS
    assert len(ex.load_results(out)) == len(done)  # one run per chunk, every one readable


def test_a_store_refuses_to_mix_experiments(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "store"
    ex.sweep(spec, out=out, executor="serial", progress="quiet", tables=(Table.KPIS,))
    with pytest.raises(StoreError, match="already holds"):
        ex.sweep(spec, out=out, executor="serial", progress="quiet", tables=(Table.KPIS,))
    with pytest.raises(StoreError, match="different experiment"):
        ex.sweep(spec, overrides=["product.unit_cost=4100"], out=out, resume=True,
                 executor="serial", progress="quiet", tables=(Table.KPIS,))  # fmt: skip
    # resuming a finished experiment computes nothing and returns the same rows
    log_before = ResultsStore(out).runlog()
    again = ex.sweep(
        spec, out=out, resume=True, executor="serial", progress="quiet", tables=(Table.KPIS,)
    )
    assert ResultsStore(out).runlog() == log_before
    pd.testing.assert_frame_equal(again.kpis, ex.load_results(out), check_exact=True)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "sweep"
    assert manifest["points"] == 10
    counts = ex.query_results(
        out, "SELECT point, count(*) AS runs FROM kpis GROUP BY point ORDER BY point"
    )
    assert list(counts["runs"]) == [3] * 10
