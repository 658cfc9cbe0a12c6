"""Bad field data through the real CLI (``warrantysim calibrate``): exit code 2, one stderr line
that names the file, the row or cell, and what was expected; no traceback; nothing written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from warrantysim.cli import main

BASE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.yaml"
NEVADA = """\
period,shipped,2024-01,2024-02,2024-03,2024-04
2024-01,1000,2,3,1,4
2024-02,1200,-,1,2,3
2024-03,900,-,-,2,2
"""
SHIPMENTS = "period,shipped\n2024-01,500\n2024-02,400\n"
CLAIMS = """\
part,serial,sale_date,claim_date
ssd,S1,2024-01-10,2024-03-02
ssd,S2,2024-02-03,2024-02-20
fan,F9,2024-01-05,2024-04-01
"""
LOTS = "lot,period,shipped\nL1,2024-01,500\nL2,2024-02,400\n"
LOT_CLAIMS = """\
part,serial,lot,sale_date,claim_date
ssd,S1,L1,2024-01-10,2024-03-02
ssd,S2,L2,2024-02-03,2024-02-20
"""
LIFE = "age,status,count\n3.5,failed,2\n12,suspended,40\n"


@dataclass(frozen=True)
class Case:
    data: str
    expected: tuple[str, ...]
    data_format: str = "nevada"
    extra: tuple[str, ...] = ()
    shipments: str = SHIPMENTS


def _swap(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


CASES = {
    "negative count": Case(_swap(NEVADA, ",3,1,4", ",-3,1,4"), ("row 2", "count", "'-3'")),
    "more returns than shipped": Case(
        _swap(NEVADA, "2024-03,900,-,-,2,2", "2024-03,3,-,-,2,2"),
        ("row 4", "at most 3", "more returns than shipped"),
    ),
    "return before shipment": Case(
        _swap(NEVADA, "2024-02,1200,-,1", "2024-02,1200,5,1"),
        ("row 3", "before its shipment", "2024-01"),
    ),
    "non-numeric cell": Case(_swap(NEVADA, "900,-,-,2,2", "900,-,-,two,2"), ("row 4", "'two'")),
    "period in the future": Case(
        _swap(_swap(NEVADA, "2024-04\n", "2999-01\n"), "2024-03,2", "2999-01,2"),
        ("row 1", "in the future"),
    ),
    "missing part name": Case(
        _swap(CLAIMS, "ssd,S2", ",S2"), ("row 3", "expected a part name"), "claims",
        ("--shipments", "SHIPMENTS"),
    ),
    "empty file": Case("", ("row 1", "empty file")),
    "bad header": Case(_swap(NEVADA, "period,shipped", "lot,qty"), ("row 1", "period,shipped")),
    "gap in the return periods": Case(
        _swap(NEVADA, "2024-03,2024-04", "2024-03,2024-06"), ("row 1", "the period after")
    ),
    "unknown status": Case(_swap(LIFE, "12,suspended", "12,broken"), ("row 3", "'broken'"), "life"),
    "negative age": Case(_swap(LIFE, "3.5,failed", "-3.5,failed"), ("row 2", "age >= 0"), "life"),
    "claim before its sale": Case(
        _swap(CLAIMS, "2024-02-03,2024-02-20", "2024-02-03,2024-01-20"),
        ("row 3", "before its shipment"), "claims", ("--shipments", "SHIPMENTS"),
    ),
    "claim date in the future": Case(
        _swap(CLAIMS, "2024-03-02", "2999-03-02"), ("row 2", "in the future"), "claims",
        ("--shipments", "SHIPMENTS"),
    ),
    "sale month not shipped": Case(
        _swap(CLAIMS, "2024-01-10", "2023-07-10"), ("row 2", "shipments table", "2023-07"),
        "claims", ("--shipments", "SHIPMENTS"),
    ),
    "failure after the warranty": Case(
        _swap(LIFE, "3.5,failed", "40,failed"), ("row 2", "inside the warranty"), "life",
        ("--warranty-months", "36"),
    ),
    "shipments table missing": Case(CLAIMS, ("--shipments",), "claims"),
    "claim of a lot not shipped": Case(
        _swap(LOT_CLAIMS, "S2,L2", "S2,L9"), ("row 3", "expected a lot of the shipments table",
        "'L9'"), "claims", ("--shipments", "SHIPMENTS"), LOTS,
    ),
    "sale before its lot shipped": Case(
        _swap(LOT_CLAIMS, "S1,L1", "S1,L2"), ("row 2", "on or after its lot's shipment month",
        "2024-02"), "claims", ("--shipments", "SHIPMENTS"), LOTS,
    ),
    "claim without its lot": Case(
        _swap(LOT_CLAIMS, "S1,L1", "S1,"), ("row 2", "expected the claim's lot"), "claims",
        ("--shipments", "SHIPMENTS"), LOTS,
    ),
}  # fmt: skip


def _calibrate(tmp_path: Path, case: Case, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    data = tmp_path / "data.csv"
    data.write_text(case.data, encoding="utf-8")
    (tmp_path / "shipments.csv").write_text(case.shipments, encoding="utf-8")
    extra = [str(tmp_path / "shipments.csv") if e == "SHIPMENTS" else e for e in case.extra]
    out = tmp_path / "fitted.yaml"
    code = main(
        ["calibrate", str(data), "--part", "ssd", "--format", case.data_format,
         "--base", str(BASE), "--out", str(out), *extra]
    )  # fmt: skip
    assert not out.exists()
    return code, capsys.readouterr().err


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_data_is_one_line_naming_the_place(name, tmp_path, capsys):
    case = CASES[name]
    code, err = _calibrate(tmp_path, case, capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert "data.csv" in lines[0] or "--shipments" in lines[0]
    for fragment in case.expected:
        assert fragment in lines[0], (fragment, lines[0])


def test_unknown_part_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "data.csv").write_text(NEVADA, encoding="utf-8")
    code = main(
        ["calibrate", str(tmp_path / "data.csv"), "--part", "nope", "--base", str(BASE),
         "--out", str(tmp_path / "x.yaml")]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "--part" in err
    assert "'nope'" in err
    assert "ssd" in err


def test_spreadsheet_errors_name_the_cell_and_a_wrong_sheet(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "returns"
    for row in NEVADA.splitlines():
        sheet.append([int(c) if c.isdigit() else c for c in row.split(",")])
    sheet["D3"] = "n/a"
    path = tmp_path / "data.xlsx"
    book.save(path)
    args = ["calibrate", str(path), "--part", "ssd", "--base", str(BASE), "--out",
            str(tmp_path / "x.yaml")]  # fmt: skip
    assert main(args) == 2
    assert "data.xlsx: cell D3: expected a count" in capsys.readouterr().err
    assert main([*args, "--sheet", "Sheet9"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"{path}: sheet 'Sheet9': expected one of returns"
