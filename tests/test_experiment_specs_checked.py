"""Experiment specs are checked whole before the first run: unknown KPIs, duplicate keys, bad
YAML and designs too large to run are one line and exit code 2, with nothing computed; what
changes no number (description, KPI list) does not stop a resume.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from factories import Cli, Writer
from warrantysim import experiments as ex
from warrantysim.experiments.store import ResultsStore, Table

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
SMALL = (
    "set: {product.units_per_month: 200, product.sales_months: 6, product.warranty_months: 6,"
    " simulation.horizon_months: 12}"
)
SWEEP = f"""kind: sweep
scenario: {BASELINE}
{SMALL}
replications: 2
seed: 5
description: first try
kpis: [fill_rate]
parameters:
  parts.ssd.stocking.level: {{values: [2, 4]}}
"""


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr, done.stderr
    return done.stderr.strip()


@pytest.mark.parametrize("command", ["sweep", "sensitivity"])
def test_an_unknown_kpi_is_refused_before_any_run(
    tmp_path: Path, command: str, write: Writer, cli_here: Cli
) -> None:
    text = SWEEP.replace("kpis: [fill_rate]", "kpis: [fill_rate, lifetime_proft]")
    if command == "sensitivity":
        text = text.replace("kind: sweep", "kind: sensitivity\nmethod: morris\nn: 2")
        text = text.replace("{values: [2, 4]}", "{range: [2, 8], integer: true}")
    out = tmp_path / "out"
    spec = write("spec.yaml", text)
    error = one_line_error(cli_here(command, spec, "--out", out, "--executor", "serial",
                                    "--progress", "quiet"))  # fmt: skip
    assert f"{tmp_path / 'spec.yaml'}: kpis: unknown lifetime_proft; the KPIs: " in error
    assert "fill_rate" in error.split("the KPIs:")[1]  # the list of what there is
    assert not ResultsStore(out).exists()
    assert not list(out.glob("chunks/*"))


def test_kpis_given_on_the_command_line_are_checked_up_front(
    tmp_path: Path, write: Writer, cli_here: Cli
) -> None:
    out = tmp_path / "out"
    spec = write("spec.yaml", SWEEP)
    error = one_line_error(cli_here("sweep", spec, "--kpis", "fill_rat", "--out", out,
                                    "--executor", "serial", "--progress", "quiet"))  # fmt: skip
    assert "fill_rat" in error
    assert not ResultsStore(out).exists()


def test_description_and_kpis_do_not_stop_a_resume(tmp_path: Path, write: Writer) -> None:
    out = tmp_path / "out"
    options = {"out": out, "executor": "serial", "progress": "quiet", "tables": (Table.KPIS,)}
    first = ex.sweep(write("spec.yaml", SWEEP), **options)
    log = ResultsStore(out).runlog()
    edited = SWEEP.replace("first try", "the final one").replace("[fill_rate]", "[claims]")
    again = ex.sweep(write("spec.yaml", edited), resume=True, **options)
    assert ResultsStore(out).runlog() == log, "nothing recomputed"
    assert again.kpis.equals(first.kpis)
    with pytest.raises(ex.StoreError, match="different experiment"):  # a number-changing edit
        ex.sweep(write("spec.yaml", edited.replace("seed: 5", "seed: 6")), resume=True, **options)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SWEEP.replace("seed: 5", "seed: 5\nseed: 6"),
         "line 6, column 1: duplicate key 'seed' (first at line 5)"),
        (SWEEP.replace("values: [2, 4]}", "values: [2, 4}"),
         "line 9, column 43: expected ',' or ']', but got '}'"),
        (SWEEP.replace("{values: [2, 4]}", "{range: [1, 9], steps: 100000000}"),
         "the design has 100,000,000 points, more than 100,000"),
        (SWEEP.replace("{values: [2, 4]}", "{range: [0, .inf]}"),
         "parameters.parts.ssd.stocking.level.range.1: Input should be a finite number"),
        (SWEEP.replace("replications: 2", "replications: 2\nreplicatons: 3"),
         "replicatons: Extra inputs are not permitted"),
    ],
    ids=["duplicate-key", "bad-yaml", "huge-grid", "infinite-range", "unknown-key"],
)  # fmt: skip
def test_spec_problems_are_one_line_naming_the_file(
    text: str, expected: str, write: Writer, cli_here: Cli
) -> None:
    spec = write("spec.yaml", text)
    error = one_line_error(cli_here("sweep", spec, "--executor", "serial", "--progress", "quiet"))
    assert error.startswith(f"warrantysim sweep: error: {spec}: ")
    assert expected in error


def test_a_fifo_is_refused_as_a_spec(tmp_path: Path, cli: Cli) -> None:
    """Through the installed command, in a real process: reading a FIFO would block for ever."""
    import os

    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    assert "is a FIFO, not a regular file" in one_line_error(cli("sweep", fifo))


def test_a_device_is_refused_as_a_spec(cli_here: Cli) -> None:
    assert "is a device or socket" in one_line_error(cli_here("sensitivity", "/dev/zero"))
