"""The ``warrantysim`` command: ``run`` writes five files reproducibly; ``validate``; wiring."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd
import pytest

from factories import Cli, Writer
from warrantysim import __version__
from warrantysim.atomic import write_atomic
from warrantysim.cli import COMMANDS, build_parser, main
from warrantysim.scenario import load_scenario, scenario_hash

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.yaml"
SHORT = ("--set", "simulation.horizon_months=6", "--set", "product.units_per_month=500")
OUTPUTS = ("kpis.parquet", "monthly.parquet", "annual.parquet", "parts.parquet", "scenario.yaml",
           "manifest.json")  # fmt: skip


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory, cli: Cli) -> tuple[Path, Path, Path]:
    """The same seed twice (the first into the default folder), then another seed."""
    cwd = tmp_path_factory.mktemp("runs")
    args = ("run", str(BASELINE), *SHORT, "--replications", "2")
    for extra in ((), ("--out", "again"), ("--out", "other", "--seed", "7")):
        done = cli(*args, *extra, cwd=cwd)
        assert done.returncode == 0, done.stderr
        (cwd / f"stdout{len(extra)}.txt").write_text(done.stdout, encoding="utf-8")
    return cwd / "results" / "baseline", cwd / "again", cwd / "other"


def test_run_writes_every_output_and_no_temporary_files(two_runs: tuple[Path, Path, Path]) -> None:
    first, _, _ = two_runs
    assert sorted(p.name for p in first.iterdir()) == sorted(OUTPUTS)
    kpis = pd.read_parquet(first / "kpis.parquet")
    monthly = pd.read_parquet(first / "monthly.parquet")
    assert list(kpis["replication"]) == [0, 1]
    assert (kpis["claims"] > 0).all()
    assert len(monthly) == 2 * 6
    assert {"replication", "month", "units_sold", "claims", "profit"} <= set(monthly.columns)
    assert not pd.read_parquet(first / "annual.parquet").empty
    parts = pd.read_parquet(first / "parts.parquet")
    n_parts = len(load_scenario(BASELINE).parts)
    assert len(parts) == 2 * 6 * n_parts
    assert {"part_name", "claims", "claims_filled_from_stock", "backorders_end", "on_hand_end",
            "on_order_end", "in_refurbishment_end", "mean_wait_days", "p95_wait_days",
            "mean_technician_wait_days", "mean_turnaround_days",
            "technician_utilisation"} <= set(parts.columns)  # fmt: skip
    # monthly.parquet keeps the totals of the per-part table
    by_month = parts.groupby(["replication", "month"])[["claims", "on_hand_end"]].sum()
    totals = monthly.set_index(["replication", "month"])[["claims", "on_hand_end"]]
    pd.testing.assert_frame_equal(by_month, totals, check_dtype=False)


def test_the_resolved_scenario_and_manifest_describe_the_run(
    two_runs: tuple[Path, Path, Path],
) -> None:
    first, _, other = two_runs
    expected = load_scenario(BASELINE, [*SHORT[1::2], "simulation.replications=2"])
    assert load_scenario(first / "scenario.yaml") == expected
    manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == __version__
    assert (manifest["seed"], manifest["replications"]) == (2026, 2)
    # the same identity as sweep and compare rows carry, so runs can be joined with them
    assert manifest["scenario_hash"] == scenario_hash(load_scenario(first / "scenario.yaml"))
    assert manifest["scenario_hash"] == scenario_hash(expected)
    assert manifest["created_utc"].endswith("+00:00")
    assert manifest["wall_seconds"] > 0
    assert json.loads((other / "manifest.json").read_text(encoding="utf-8"))["seed"] == 7


@pytest.mark.parametrize("table", ["kpis", "monthly", "annual", "parts"])
def test_the_same_seed_gives_identical_tables(
    two_runs: tuple[Path, Path, Path], table: str
) -> None:
    first, again, other = two_runs
    pd.testing.assert_frame_equal(
        pd.read_parquet(first / f"{table}.parquet"), pd.read_parquet(again / f"{table}.parquet")
    )
    if table == "monthly":  # and another seed does not: it is the seed that fixes the draws
        claims = pd.read_parquet(first / f"{table}.parquet")["claims"]
        assert not claims.equals(pd.read_parquet(other / f"{table}.parquet")["claims"])


def test_run_prints_a_kpi_summary(two_runs: tuple[Path, Path, Path]) -> None:
    _, again, _ = two_runs
    lines = (again.parent / "stdout2.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "baseline: 2 replications, seed 2026 -> again/"
    assert "95% CI" in lines[1]
    claims = next(line for line in lines if line.startswith("claims "))
    assert "[" in claims
    assert "]" in claims


def test_validate_prints_ok_with_the_scenario_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(BASELINE), "--set", "simulation.seed=1"]) == 0
    assert capsys.readouterr().out == f"ok: {BASELINE} (baseline)\n"


def test_every_listed_command_is_wired() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert list(sub.choices) == [name for name, _ in COMMANDS]
    for command in sub.choices.values():
        assert callable(command.get_default("handler"))
    assert {"run", "validate"} <= set(sub.choices)


def test_main_returns_2_with_one_line_for_a_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["run", "missing.yaml"]) == 2
    assert capsys.readouterr().err == "missing.yaml: no such file\n"


def test_an_unwritable_output_folder_is_a_user_error(
    tmp_path: Path, write: Writer, cli: Cli
) -> None:
    write("taken", "a file, not a folder")
    done = cli("run", str(BASELINE), *SHORT, "--replications", "1", "--out", "taken", cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("warrantysim run: error: cannot create directory 'taken'")


def test_write_atomic_replaces_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    write_atomic(target, lambda tmp: tmp.write_text("old", encoding="utf-8"))

    def broken(tmp: Path) -> None:
        tmp.write_text("half", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, broken)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]


def test_run_names_the_first_problem_and_validate_lists_them_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "two.yaml").write_text(
        f"extends: {BASELINE}\nproduct: {{unit_cost: -1}}\nquality: {{screening_coverage: 2}}\n",
        encoding="utf-8",
    )
    assert main(["run", "two.yaml"]) == 2
    assert capsys.readouterr().err == (
        "two.yaml: product.unit_cost: expected a number from 0 to 1000000000, got -1"
        " (and 1 more; see warrantysim validate)\n"
    )
    assert main(["validate", "two.yaml"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "two.yaml: product.unit_cost: expected a number from 0 to 1000000000, got -1",
        "two.yaml: quality.screening_coverage: expected a number from 0 to 1, got 2",
    ]
