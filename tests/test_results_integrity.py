"""Stored results prove they are whole: a truncated, deleted or modified chunk (or run file) is
found by ``warrantysim verify``, refused by ``load_results`` and recomputed by ``--resume``.

Each damage is done to a real sweep's Parquet files, as a full disk, a careless ``rm`` or an
editor would leave them; the healed experiment must equal an undamaged one exactly.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from factories import BASELINE, Cli, small_sweep_spec
from warrantysim import experiments as ex
from warrantysim.cli import main
from warrantysim.experiments.store import ResultsStore, StoreError, Table

SPEC = small_sweep_spec("""replications: 2
seed: 3
parameters:
  parts.ssd.stocking.level: {values: [2, 4, 8]}
""")
POINTS, REPS, MONTHS = 3, 2, 24
DAMAGED_CHUNK = 2


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # as a full disk or a killed copy leaves it


def delete(path: Path) -> None:
    path.unlink()


def modify(path: Path) -> None:
    """Another chunk's file in its place: valid Parquet, right size class, wrong rows."""
    other = path.with_name(path.name.replace(f"c{DAMAGED_CHUNK:05d}", "c00000"))
    path.write_bytes(other.read_bytes())


DAMAGES: dict[str, Callable[[Path], None]] = {
    "truncated": truncate,
    "deleted": delete,
    "modified": modify,
}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("integrity")
    (folder / "sweep.yaml").write_text(SPEC, encoding="utf-8")
    ex.sweep(folder / "sweep.yaml", out=folder / "whole", executor="serial", progress="quiet",
             chunk_runs=1)  # fmt: skip
    return folder


def damaged_copy(reference: Path, tmp_path: Path, how: str, table: Table) -> Path:
    out = tmp_path / "damaged"
    subprocess.run(["cp", "-a", str(reference / "whole"), str(out)], check=True)
    DAMAGES[how](ResultsStore(out).chunk_path(DAMAGED_CHUNK, table))
    return out


def verify(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["verify", str(folder)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_whole_experiment_verifies(reference: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = verify(reference / "whole", capsys)
    assert (code, err) == (0, "")
    assert f"sweep: {POINTS * REPS} of {POINTS * REPS} chunks whole" in out
    record = json.loads(ResultsStore(reference / "whole").record_path(0).read_text())
    assert record["tables"]["monthly"]["rows"] == MONTHS  # one run per chunk: 24 months
    assert len(record["tables"]["kpis"]["sha256"]) == 64


@pytest.mark.parametrize("how", DAMAGES)
@pytest.mark.parametrize("table", [Table.MONTHLY, Table.KPIS])
def test_verify_and_load_find_the_damaged_chunk(
    reference: Path, tmp_path: Path, how: str, table: Table, capsys: pytest.CaptureFixture[str]
) -> None:
    out = damaged_copy(reference, tmp_path, how, table)
    code, _, err = verify(out, capsys)
    assert code == 2
    assert err.count("\n") == 1, "one line per problem"
    assert err.startswith(f"{out}: chunk c{DAMAGED_CHUNK:05d} {table.value} {how}")
    with pytest.raises(StoreError, match=rf"c{DAMAGED_CHUNK:05d} {table.value} {how}"):
        ex.load_results(out, table)


@pytest.mark.parametrize("how", DAMAGES)
def test_resume_recomputes_exactly_the_damaged_chunk(
    reference: Path, tmp_path: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = damaged_copy(reference, tmp_path, how, Table.MONTHLY)
    logged = len(ResultsStore(out).runlog())
    resumed = ex.sweep(reference / "sweep.yaml", out=out, resume=True, executor="serial",
                       progress="quiet", chunk_runs=1)  # fmt: skip
    assert f"recomputing damaged chunks c{DAMAGED_CHUNK:05d}" in capsys.readouterr().err
    assert [e["chunk"] for e in ResultsStore(out).runlog()[logged:]] == [DAMAGED_CHUNK]
    for table in Table:
        expected = ex.load_results(reference / "whole", table)
        pd.testing.assert_frame_equal(ex.load_results(out, table), expected, check_exact=True)
    assert len(resumed.monthly) == POINTS * REPS * MONTHS
    assert verify(out, capsys)[0] == 0


def test_a_chunk_deleted_with_its_record_is_found_by_the_run_log(
    reference: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = damaged_copy(reference, tmp_path, "deleted", Table.MONTHLY)
    store = ResultsStore(out)
    for path in (out / "chunks").glob(f"c{DAMAGED_CHUNK:05d}.*"):
        path.unlink()
    assert store.done_ids() == set(range(POINTS * REPS)) - {DAMAGED_CHUNK}
    code, _, err = verify(out, capsys)
    assert code == 2
    assert f"c{DAMAGED_CHUNK:05d} deleted" in err
    with pytest.raises(StoreError, match="deleted"):
        ex.load_results(out)


def test_a_corrupt_manifest_is_one_line(reference: Path, tmp_path: Path, cli_here: Cli) -> None:
    out = damaged_copy(reference, tmp_path, "deleted", Table.ANNUAL)
    (out / "manifest.json").write_text('{"kind": "sweep", "chunks": [', encoding="utf-8")
    done = cli_here("sweep", reference / "sweep.yaml", "--out", out, "--resume",
                    "--executor", "serial", "--progress", "quiet")  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert "manifest.json: damaged, not JSON" in done.stderr


SHORT = ["--set", "simulation.horizon_months=6", "--set", "product.units_per_month=200"]


@pytest.mark.parametrize("how", DAMAGES)
def test_a_run_folder_is_verified_and_report_refuses_it_damaged(
    tmp_path: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    assert main(["run", str(BASELINE), *SHORT, "--replications", "2", "--out", str(out)]) == 0
    capsys.readouterr()
    # kpis, monthly, annual, parts and the three CAS statements
    assert verify(out, capsys)[:2] == (0, f"ok: {out} (run: 7 files whole)\n")
    if how == "modified":
        (out / "annual.parquet").write_bytes((out / "kpis.parquet").read_bytes())
    else:
        DAMAGES[how](out / "annual.parquet")
    code, _, err = verify(out, capsys)
    assert code == 2
    assert f"annual.parquet {how}" in err
    assert main(["report", str(out), "--out", str(tmp_path / "r.html")]) == 2
    refusal = capsys.readouterr().err  # a deleted table is already "missing annual.parquet"
    assert refusal.count("\n") == 1
    assert "annual.parquet" in refusal
    assert not (tmp_path / "r.html").exists()
