"""One table of column units (accounting/units.py): every produced column has one, and the
lists the report and the scenario schema use come from the chart of accounts."""

from __future__ import annotations

import pytest

import factories as sf
import warrantysim as ws
from warrantysim.accounting.chart import EXPENSES, PNL, WRITEDOWNS, Account
from warrantysim.accounting.kpis import TOTALS
from warrantysim.accounting.units import UNITS, Unit, is_money, unit_of
from warrantysim.report import tables
from warrantysim.scenario import ScenarioError


@pytest.fixture(scope="module")
def results() -> ws.api.Results:
    sc = sf.scenario(
        accounting={"age_writedown_months": 6, "book_value_cap": {"absolute": 1000.0}},
        sales_terms={"bad_debt_rate": 0.01},
        service={"repair_centre": {"technicians": 2, "repair_days": 0.2},
                 "no_fault_found_share": 0.1},
    )  # fmt: skip
    return ws.simulate(sc, replications=2, seed=3)


@pytest.mark.parametrize("table", ["monthly", "annual", "kpis", "parts"])
def test_every_produced_column_has_a_unit(results: ws.api.Results, table: str) -> None:
    columns = list(getattr(results, table).columns)
    assert [c for c in columns if unit_of(c) is None] == []


def test_units_of_the_columns_that_used_to_be_guessed() -> None:
    # is_money() guessed from names and called provision_months_of_claims money.
    assert unit_of("provision_months_of_claims") is Unit.MONTHS
    assert unit_of("inventory_turnover_sales") is Unit.PER_YEAR
    assert unit_of("fill_rate") is Unit.SHARE
    assert unit_of("mean_wait_days") is Unit.DAYS
    assert unit_of("units_sold") is Unit.COUNT
    assert all(is_money(a.column) and is_money(f"lifetime_{a.column}") for a in PNL)
    assert not is_money("provision_months_of_claims")
    assert set(UNITS.values()) == set(Unit)


def test_lists_come_from_the_chart() -> None:
    assert tuple(a.column for a in WRITEDOWNS) == tables.WRITEDOWN_KINDS
    assert set(tables.STATEMENT_LINES) >= {a.column for a in PNL}
    assert set(TOTALS) >= {a.column for a in PNL}
    assert len(PNL) == len(Account) - 6  # six balance-sheet accounts


def test_performance_profit_may_add_back_any_expense_line_and_nothing_else() -> None:
    every_expense = [a.column for a in EXPENSES]
    sc = sf.scenario(accounting={"performance_profit_excludes": every_expense})
    assert sc.accounting.performance_profit_excludes == every_expense
    with pytest.raises(ValueError, match=r"expected one of .*got 'revenue'"):
        sf.scenario(accounting={"performance_profit_excludes": ["bad_debt", "revenue"]})


def test_an_unknown_ledger_line_names_its_file_and_item(tmp_path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "extends: " + str(ws.__path__[0]) + "/../../scenarios/baseline.yaml\n"
        "name: bad\naccounting: {performance_profit_excludes: [bad_debt, revnue]}\n"
    )
    with pytest.raises(ScenarioError) as caught:
        ws.load_scenario(path)
    text = str(caught.value)
    assert "accounting.performance_profit_excludes.1" in text
    assert "'revnue'" in text
