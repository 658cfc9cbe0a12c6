"""The Excel workbook under hostile names: a results folder named ``=1+2`` stays text (never a
live formula), a scenario named ``annual`` does not take over the data sheet, names sharing
their first 31 characters or holding ``[]:*?/\\`` get valid, unique sheets.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from warrantysim.cli import main
from warrantysim.report.xlsx import ANNUAL_SHEET, CHARTS_SHEET, statement_sheet_names

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
SHORT = ["--set", "simulation.horizon_months=6", "--set", "product.units_per_month=200"]
LONG = "a-policy-name-that-is-long-enough"  # 33 characters: two of them share 31
NAMES = ["=1+2", "annual", f"{LONG}-1", f"{LONG}-2", "what? [draft]:v2*"]


def test_sheet_names_are_valid_and_unique() -> None:
    names = statement_sheet_names([*NAMES, "ANNUAL", "History", "''", "Charts", "kpis", "利润表"])
    assert len(set(n.casefold() for n in names.values())) == len(names)
    for name in names.values():
        assert 1 <= len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'")
        assert name.casefold() not in {ANNUAL_SHEET, CHARTS_SHEET, "history", "kpis", "利润表"}
    assert names["=1+2"] == "=1+2"  # a sheet name is never evaluated; only cells could be


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Results folders named as above; without ``scenario.yaml`` the folder names the policy
    (scenario names are restricted to letters, digits, '_' and '-'; folder names are not)."""
    folder = tmp_path_factory.mktemp("xlsx")
    results = []
    for name in NAMES:
        out = folder / name
        argv = ["run", str(BASELINE), *SHORT, "--replications", "2", "--out", str(out)]
        assert main(argv) == 0
        (out / "scenario.yaml").unlink()
        results.append(str(out))
    assert main(["report", *results, "--out", str(folder / "r.html"),
                 "--xlsx", str(folder / "r.xlsx")]) == 0  # fmt: skip
    return folder / "r.xlsx"


def test_no_cell_is_a_formula_and_names_stay_text(workbook: Path) -> None:
    with zipfile.ZipFile(workbook) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert all(b"<f>" not in archive.read(n) for n in sheets), "a live formula"
    book = load_workbook(workbook)
    policy_column = [c.value for c in book[ANNUAL_SHEET][1]].index("policy")
    values = {row[policy_column].value for row in book[ANNUAL_SHEET].iter_rows(min_row=2)}
    assert "=1+2" in values
    assert all(
        cell.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows()
        for cell in row
    )  # fmt: skip


def test_every_policy_has_its_sheet_and_the_data_sheets_are_intact(workbook: Path) -> None:
    book = load_workbook(workbook)
    assert book.sheetnames[-2:] == [ANNUAL_SHEET, CHARTS_SHEET]
    # KPIs, differences, the three CAS statements, a sheet per policy, annual, charts.
    assert book.sheetnames[:5] == [
        "KPIs", "differences", "Income statement", "Balance sheet", "Cash-flow statement"
    ]  # fmt: skip
    assert len(book.sheetnames) == 5 + len(NAMES) + 2
    annual = book[ANNUAL_SHEET]
    assert [c.value for c in annual[1]][:1] != ["line"], "a statement took the data sheet"
    policy_column = [c.value for c in annual[1]].index("policy")
    assert {r[policy_column].value for r in annual.iter_rows(min_row=2)} == set(NAMES)
