"""The accounting layer's public surface: names, table shapes and columns the API relies on."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import warrantysim.accounting as accounting
from factories import books_scenario as scenario
from factories import make_log, random_log
from warrantysim.accounting import account
from warrantysim.sim.eventlog import PurchaseKind

MONTHLY = (
    "month", "fiscal_year", "revenue", "profit", "performance_profit", "cost_of_sales",
    "spares_book_value_end", "spares_book_value_gross_end", "spares_writedowns_end",
    "warranty_provision_end", "cash_end", "receivables_end", "chargeback_receivable_end",
    "retained_earnings_end", "cash_flow", "product_cost", "spare_parts_cost", "labour_logistics",
    "warranty_accrual", "provision_release", "late_penalties", "screening_cost", "age_writedown",
    "cap_writedown", "end_of_life_writeoff", "salvage_income", "chargeback_income",
    "chargeback_unrecovered", "bad_debt", "warranty_cost", "net_warranty_cost",
    "book_value_cap_limit",
)  # fmt: skip
KPIS = (
    "lifetime_profit", "lifetime_performance_profit", "npv_profit", "npv_cash",
    "peak_spares_book_value", "max_year_end_spares_book_value", "max_year_end_excess_over_cap",
    "lifetime_age_writedown", "lifetime_cap_writedown", "lifetime_end_of_life_writeoff",
    "writedowns_total", "lifetime_salvage_income", "lifetime_chargeback_income",
    "warranty_cost_share_of_revenue", "net_warranty_cost_share_of_revenue",
    "inventory_turnover_sales", "inventory_turnover_cost", "receivable_days",
    "provision_months_of_claims", "first_year_profit", "min_cash",
    "lifetime_profit_after_tax", "lifetime_tax_paid", "effective_tax_rate", "npv_cash_before_tax",
    "peak_deferred_tax_asset", "peak_deferred_tax_unrecognised", "peak_borrowing",
)  # fmt: skip


def test_public_names() -> None:
    assert sorted(accounting.__all__) == [
        "Account", "AccountingTables", "Ledger", "account", "accrual_per_unit",
        "balance_sheet_gap", "book", "journal_table", "postings_table", "trial_balance",
    ]  # fmt: skip
    fields = [f.name for f in dataclasses.fields(accounting.AccountingTables)]
    assert fields[:3] == ["monthly", "annual", "kpis"]


def test_tables_have_the_promised_rows_and_columns() -> None:
    log, sc = random_log(11)
    books = account(log, sc, 700.0)
    assert set(MONTHLY) <= set(books.monthly.columns)
    assert books.monthly["month"].tolist() == list(range(1, log.horizon_months + 1))
    assert set(KPIS) <= set(books.kpis)
    assert all(isinstance(v, float) for v in books.kpis.values())
    years = books.monthly["fiscal_year"].unique()
    assert books.annual["fiscal_year"].tolist() == years.tolist()
    flows = books.monthly.groupby("fiscal_year")[["profit", "cap_writedown"]].sum()
    assert np.allclose(books.annual[["profit", "cap_writedown"]], flows)
    ends = books.monthly.groupby("fiscal_year")["cash_end"].last()
    assert np.allclose(books.annual["cash_end"], ends)


def test_fiscal_years_follow_the_year_end_month() -> None:
    # Year end in March: months 1-3 are fiscal year 1, 4-15 year 2, 16-24 year 3.
    sc = scenario(accounting={"fiscal_year_end_month": 3})
    books = account(make_log(24), sc, 50.0)
    assert books.monthly["fiscal_year"].tolist() == [1] * 3 + [2] * 12 + [3] * 9
    assert books.annual["months"].tolist() == [3, 12, 9]


def test_logs_the_books_cannot_close_are_refused() -> None:
    unserved = make_log(12, purchases=[(0, 0.0, 1, PurchaseKind.INITIAL)],
                        claims=[(0, 5.0, float("nan"))])  # fmt: skip
    with pytest.raises(ValueError, match="serve_day"):
        account(unserved, scenario(), 50.0)
    overdrawn = make_log(12, claims=[(0, 5.0, 5.0)])
    with pytest.raises(ValueError, match="more spares issued"):
        account(overdrawn, scenario(), 50.0)


def test_journal_table_lists_each_entry_and_month() -> None:
    log, sc = random_log(5)
    books = account(log, sc, 700.0)
    journal = accounting.journal_table(books.ledger)
    assert set(journal.columns) == {"month", "memo", "debit", "credit", "amount"}
    revenue = journal.loc[journal["credit"] == "revenue", "amount"].sum()
    assert revenue == pytest.approx(books.monthly["revenue"].sum())
