"""Broken scenarios through the real CLI: exit code 2, one short stderr line, no traceback.

Each case writes a small scenario into a temporary directory, runs ``warrantysim validate``
(or ``run``) there, and checks that the one line names the file, the path inside it and what was
expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from factories import Cli, Writer
from warrantysim.cli import main

GOOD = """\
name: tiny
product: {sales_months: 3, units_per_month: 100, unit_cost: 4200, warranty_months: 12}
pricing: {price: 5600, reference_price: 5600}
parts:
  - name: ssd
    unit_cost: 260
    life: {shape: 0.7, scale_months: 2000}
    supplier: diskco
    supplier_fault_share: 0.8
    lead_time_days: 21
    stocking: {policy: base_stock, level: 5}
  - name: fan
    unit_cost: 70
    life: {shape: 2.0, scale_months: 270}
    lead_time_days: 21
    stocking: {policy: min_max, min: 2, max: 6}
suppliers:
  diskco: {chargeback_share: 0.5}
"""


def _edit(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


@dataclass(frozen=True)
class Case:
    files: dict[str, str | bytes]
    expected: tuple[str, ...]
    """Fragments the stderr line must contain: file, path, expectation."""
    args: tuple[str, ...] = ()
    command: str = "validate"
    target: str = "bad.yaml"
    extra: dict[str, str] = field(default_factory=dict)


CASES = {
    "unknown key": Case(
        {
            "bad.yaml": _edit(
                "lead_time_days: 21\n    stocking: {policy: base_stock",
                "lead_time: 21\n    stocking: {policy: base_stock",
            )
        },
        (
            "bad.yaml: parts.ssd.lead_time:",
            "unknown key 'lead_time' (did you mean 'lead_time_days'?)",
        ),
    ),
    "wrong type": Case(
        {"bad.yaml": _edit("unit_cost: 4200", "unit_cost: cheap")},
        ("bad.yaml: product.unit_cost:", "expected a number, got 'cheap'"),
    ),
    "negative cost": Case(
        {"bad.yaml": _edit("unit_cost: 70", "unit_cost: -70")},
        ("bad.yaml: parts.fan.unit_cost:", "expected a number from 0 to 1000000000, got -70"),
    ),
    "shape <= 0": Case(
        {"bad.yaml": _edit("shape: 0.7", "shape: 0")},
        ("bad.yaml: parts.ssd.life.shape:", "expected a number from 0.05 to 50, got 0"),
    ),
    "missing required field": Case(
        {"bad.yaml": _edit(", unit_cost: 4200", "")},
        ("bad.yaml: product.unit_cost:", "required field missing"),
    ),
    "share outside 0..1": Case(
        {"bad.yaml": _edit("supplier_fault_share: 0.8", "supplier_fault_share: 1.2")},
        ("bad.yaml: parts.ssd.supplier_fault_share:", "expected a number from 0 to 1, got 1.2"),
    ),
    "extends loop": Case(
        {
            "bad.yaml": "extends: other.yaml\nname: a\n",
            "other.yaml": "extends: bad.yaml\nname: b\n",
        },
        ("other.yaml: extends:", "extends loop: bad.yaml -> other.yaml -> bad.yaml"),
    ),
    "extends to a missing file": Case(
        {"bad.yaml": "extends: nowhere.yaml\nname: a\n"},
        ("bad.yaml: extends:", "no such file 'nowhere.yaml'"),
    ),
    "YAML syntax error": Case(
        {"bad.yaml": _edit("pricing: {price: 5600,", "pricing: {price: 5600")},
        ("bad.yaml:", "line 3"),
    ),
    "empty file": Case({"bad.yaml": "# nothing here yet\n"}, ("bad.yaml:", "file is empty")),
    "not UTF-8": Case(
        {"bad.yaml": _edit("name: tiny", "name: tiny\ndescription: caf\u00e9").encode("latin-1")},
        ("bad.yaml:", "not UTF-8 text", "line 2"),
    ),
    "duplicated part name": Case(
        {"bad.yaml": _edit("- name: fan", "- name: ssd")},
        ("bad.yaml: parts.ssd.name:", "part name 'ssd' is used twice"),
    ),
    "unknown supplier": Case(
        {"bad.yaml": _edit("supplier: diskco", "supplier: diskko")},
        ("bad.yaml: parts.ssd.supplier:", "expected a supplier listed under suppliers (diskco)"),
    ),
    "opening lot with a negative quantity": Case(
        {"bad.yaml": GOOD + "opening_balance: {spares: {ssd: [{qty: -5, unit_cost: 260}]}}\n"},
        (
            "bad.yaml: opening_balance.spares.ssd.0.qty:",
            "expected a whole number from 0 to 10000000, got -5",
        ),
    ),
    "opening lot older than the sales history": Case(
        {
            "bad.yaml": GOOD + "opening_balance: {spares: {ssd: [{qty: 5, unit_cost: 260, "
            "age_months: 3}]}}\n"
        },
        (
            "bad.yaml: opening_balance.spares.ssd.0.age_months:",
            "expected at most product.history_months (0), got 3.0",
        ),
    ),
    "opening lot of an unknown part": Case(
        {"bad.yaml": GOOD + "opening_balance: {spares: {sdd: [{qty: 5, unit_cost: 260}]}}\n"},
        (
            "bad.yaml: opening_balance.spares.sdd:",
            "expected a part listed under parts (ssd, fan), got 'sdd'",
        ),
    ),
    "tranche_share migrated": Case(
        {"bad.yaml": GOOD + "accounting: {book_value_cap: {absolute: 1, tranche_share: 0.5}}\n"},
        (
            "bad.yaml: accounting.book_value_cap.tranche_share:",
            "replaced by tranches: N (each excess written off in N equal parts)",
        ),
    ),
    "tranches below 1": Case(
        {"bad.yaml": GOOD + "accounting: {book_value_cap: {tranches: 0}}\n"},
        (
            "bad.yaml: accounting.book_value_cap.tranches:",
            "expected a whole number from 1 to 100, got 0",
        ),
    ),
    "min >= max": Case(
        {"bad.yaml": _edit("min: 2, max: 6", "min: 6, max: 6")},
        ("bad.yaml: parts.fan.stocking.max:", "expected more than min (6), got 6"),
    ),
    "duplicate YAML key": Case(
        {"bad.yaml": _edit("    unit_cost: 70\n", "    unit_cost: 70\n    unit_cost: 75\n")},
        ("bad.yaml: line 14, column 5:", "duplicate key 'unit_cost' (first at line 13)"),
    ),
    "bad enum value": Case(
        {"bad.yaml": GOOD + "accounting: {spares_treatment: hide_it}\n"},
        (
            "bad.yaml: accounting.spares_treatment:",
            "expected one of capitalise, expense_on_purchase, accrue_per_unit, got 'hide_it'",
        ),
    ),
    "unknown stocking policy": Case(
        {"bad.yaml": _edit("policy: min_max", "policy: weekly")},
        (
            "bad.yaml: parts.fan.stocking.policy:",
            "expected one of base_stock, min_max, got 'weekly'",
        ),
    ),
    "whole number expected": Case(
        {"bad.yaml": _edit("level: 5", "level: 5.5")},
        ("bad.yaml: parts.ssd.stocking.level:", "expected a whole number or 'auto', got 5.5"),
    ),
    "not a mapping at the top": Case(
        {"bad.yaml": "- name: a\n- name: b\n"},
        ("bad.yaml:", "expected a mapping of scenario fields, got a list"),
    ),
    "missing scenario file": Case({}, ("bad.yaml:", "no such file")),
    "error in the parent names the parent": Case(
        {
            "base.yaml": _edit("shape: 2.0", "shape: -2"),
            "bad.yaml": "extends: base.yaml\nname: child\n",
        },
        ("base.yaml: parts.fan.life.shape:", "expected a number from 0.05 to 50, got -2"),
    ),
    "child's merge names an unknown part": Case(
        {"base.yaml": GOOD, "bad.yaml": "extends: base.yaml\nparts: {hdd: {unit_cost: 1}}\n"},
        ("bad.yaml: parts.hdd:", "no parts item named 'hdd' to change (have: ssd, fan)"),
    ),
    "bad --set path": Case(
        {"bad.yaml": GOOD},
        ("bad.yaml --set: parts.sdd:", "no item named 'sdd' (did you mean 'ssd'?)"),
        args=("--set", "parts.sdd.life.shape=1.5"),
    ),
    "bad --set key": Case(
        {"bad.yaml": GOOD},
        ("bad.yaml --set: parts.ssd.life.shap:", "unknown key 'shap' (did you mean 'shape'?)"),
        args=("--set", "parts.ssd.life.shap=1.5"),
    ),
    "bad --set syntax": Case(
        {"bad.yaml": GOOD},
        ("bad.yaml --set:", "expected PATH=VALUE, got 'parts.ssd.life.shape'"),
        args=("--set", "parts.ssd.life.shape"),
    ),
    "bad --set value": Case(
        {"bad.yaml": GOOD},
        ("bad.yaml --set: parts.ssd.life.shape:", "expected a number from 0.05 to 50, got -1"),
        args=("--set", "parts.ssd.life.shape=-1"),
    ),
    "run: bad scenario": Case(
        {"bad.yaml": _edit("shape: 0.7", "shape: 0")},
        ("bad.yaml: parts.ssd.life.shape:", "expected a number from 0.05 to 50, got 0"),
        command="run",
    ),
    "run: bad option": Case(
        {"bad.yaml": GOOD},
        ("--replications", "expected a whole number >= 1, got '0'"),
        args=("--replications", "0"),
        command="run",
    ),
    "unknown distribution": Case(
        {"bad.yaml": _edit("lead_time_days: 21", "lead_time_days: {dist: weibull, mean: 3}")},
        (
            "bad.yaml: parts.ssd.lead_time_days.dist:",
            "expected one of fixed, exponential, gamma, lognormal, uniform, got 'weibull'",
        ),
    ),
    "distribution without its cv": Case(
        {"bad.yaml": _edit("lead_time_days: 21", "lead_time_days: {dist: gamma, mean: 30}")},
        ("bad.yaml: parts.ssd.lead_time_days.cv:", "required field missing"),
    ),
    "uniform upside down": Case(
        {
            "bad.yaml": _edit(
                "lead_time_days: 21", "lead_time_days: {dist: uniform, low: 9, high: 2}"
            )
        },
        ("bad.yaml: parts.ssd.lead_time_days.high:", "expected more than low (9.0), got 2.0"),
    ),
    "fast engine cannot serve a repair centre": Case(
        {
            "bad.yaml": GOOD + "simulation: {engine: fast}\n"
            "service: {repair_centre: {technicians: 2, repair_days: 1}}\n"
        },
        ("bad.yaml: simulation.engine:", "the fast path cannot serve this scenario"),
    ),
    "technicians not a whole number": Case(
        {"bad.yaml": GOOD + "service: {repair_centre: {technicians: 1.5, repair_days: 1}}\n"},
        ("bad.yaml: service.repair_centre.technicians:", "expected a whole number"),
    ),
}


IN_A_SUBPROCESS = (
    "unknown key",
    "not UTF-8",
    "extends loop",
    "YAML syntax error",
    "min >= max",
    "bad --set path",
    "run: bad scenario",
    "run: bad option",
)
"""One per source of errors, through a real process (exit status, stderr, no traceback); every
case also runs in-process through the same ``main`` (a process start costs about 2 s)."""


def _check_one_line(case: Case, status: int, stdout: str, stderr: str) -> None:
    assert status == 2, stderr
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert len(lines[0]) < 160, lines[0]
    for fragment in case.expected:
        assert fragment in lines[0]
    assert stdout == ""


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input_is_one_line_and_exit_code_2(
    case: Case,
    tmp_path: Path,
    write: Writer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, content in case.files.items():
        write(name, content)
    monkeypatch.chdir(tmp_path)
    try:
        status = main([case.command, case.target, *case.args])
    except SystemExit as stop:  # argparse's own errors end the process
        status = int(stop.code or 0)
    out = capsys.readouterr()
    _check_one_line(case, status, out.out, out.err)


@pytest.mark.parametrize("name", IN_A_SUBPROCESS)
def test_bad_input_through_the_installed_command(
    name: str, tmp_path: Path, write: Writer, cli: Cli
) -> None:
    case = CASES[name]
    for file_name, content in case.files.items():
        write(file_name, content)
    done = cli(case.command, case.target, *case.args, cwd=tmp_path)
    _check_one_line(case, done.returncode, done.stdout, done.stderr)


def test_good_file_of_the_bad_input_cases_is_valid(tmp_path: Path, write: Writer, cli: Cli) -> None:
    """The cases above break GOOD in one place each; GOOD itself must pass."""
    write("good.yaml", GOOD)
    done = cli("validate", "good.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok: good.yaml (tiny)"


def test_validate_reports_every_file_and_fails_if_any_fails(
    tmp_path: Path, write: Writer, cli: Cli
) -> None:
    write("good.yaml", GOOD)
    write("bad.yaml", _edit("shape: 0.7", "shape: 0"))
    done = cli("validate", "good.yaml", "bad.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout.strip() == "ok: good.yaml (tiny)"
    assert (
        done.stderr.strip()
        == "bad.yaml: parts.ssd.life.shape: expected a number from 0.05 to 50, got 0"
    )
