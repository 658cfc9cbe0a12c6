"""The opening balance sheet of a continuing business (``opening_balance``, issue 10 item 3).

Hand-checked: the legacy lots carried at cost, their CAS 28 restatement under an age write-down
and under expensing, its tax effect (an opening deferred tax asset, as accounting/tax.py
recognises any), the equity as the plug, and nothing of it in the year's profit. The books carry
it: assets = liabilities + equity from month 0 on, under every treatment.
"""

from __future__ import annotations

import numpy as np
import pytest

from factories import D, books_scenario, make_log, widget
from warrantysim.accounting import Account, account, balance_sheet_gap, trial_balance
from warrantysim.accounting.cas import RESTATEMENT, balance_sheet
from warrantysim.accounting.opening import spread_over_days
from warrantysim.accounting.provision import remaining_cost
from warrantysim.scenario import Scenario

LOT = {"qty": 100, "unit_cost": 10.0, "age_months": 12}
"""100 widgets at 10 received 12 months before month 1: 1,000 at cost."""


def legacy(**accounting: object) -> Scenario:
    return books_scenario(
        [widget(stocking={"policy": "base_stock", "level": 0})],
        product={"history_months": 12},
        simulation={"horizon_months": 24, "end_of_life": False},
        opening_balance={"spares": {"widget": [LOT]}, "cash": 300.0},
        accounting=accounting,
    )


def two_a_month(units_sold: int = 0):
    """Two widgets issued mid-month for 24 months, all from the legacy lot (FIFO, no buys)."""
    claims = [(0, (m + 0.5) * D, (m + 0.5) * D) for m in range(24) for _ in range(2)]
    return make_log(24, claims=claims, units_sold=[units_sold] * 24)


def opening(books, account_: Account) -> float:
    return books.ledger.opening_balance(account_)


def test_the_status_quo_carries_the_legacy_lot_at_cost_and_equity_is_the_plug() -> None:
    books = account(two_a_month(), legacy(), 50.0)
    # spares 1,000 at cost + cash 300, nothing owed: opening equity 1,300, nothing restated
    assert opening(books, Account.SPARES_INVENTORY) == 1000.0
    assert books.kpis["opening_retained_earnings"] == pytest.approx(1300.0)
    assert books.kpis["opening_restatement"] == 0.0
    # each widget issued leaves at its cost of 10: 20 a month, no write-down
    assert books.monthly["spare_parts_cost"].iloc[0] == pytest.approx(20.0)
    assert books.monthly["spares_book_value_end"].iloc[0] == pytest.approx(980.0)
    # 48 issued over 24 months: 52 left at 520, carried (a continuing business scraps nothing)
    assert books.monthly["spares_book_value_end"].iloc[-1] == pytest.approx(520.0)
    assert np.abs(balance_sheet_gap(books.ledger)).max() < 1e-9
    assert np.abs(trial_balance(books.ledger)).max() < 1e-9


def test_a_cas_28_restatement_of_an_opening_warehouse_by_hand() -> None:
    # A 24-month age write-down applied to the lot aged 12 months: restated to
    # 1,000 × (1 − 12/24) = 500 against opening retained earnings, 1,300 − 500 = 800.
    books = account(two_a_month(), legacy(age_writedown_months=24), 50.0)
    m = books.monthly
    assert opening(books, Account.SPARES_INVENTORY) == 1000.0
    assert opening(books, Account.SPARES_WRITEDOWNS) == pytest.approx(-500.0)
    assert books.kpis["opening_spares_book_value"] == pytest.approx(500.0)
    assert books.kpis["opening_restatement"] == pytest.approx(-500.0)
    assert books.kpis["opening_retained_earnings"] == pytest.approx(800.0)
    # Nothing of it in month 1's profit: the two widgets issued leave at their value at the
    # month's start, 10 × 0.5 = 5 each; the 98 held age one more month, 98 × 10 / 24 = 40.83.
    assert m["spare_parts_cost"].iloc[0] == pytest.approx(10.0)
    assert m["age_writedown"].iloc[0] == pytest.approx(98 * 10 / 24)
    assert m["profit"].iloc[0] == pytest.approx(-(10.0 + 98 * 10 / 24))
    # the lot is fully aged at month 12 (age 24): after it, issues and write-downs cost nothing
    assert m["spares_book_value_end"].iloc[11] == pytest.approx(0.0, abs=1e-9)
    assert m["profit"].iloc[12:].abs().max() < 1e-9
    # lifetime: status-quo profit − 500 restated = this profit (the cost reaches profit once,
    # or the opening equity, never both): status quo −480 (48 × 10), here 500 less: −(480 − 500)
    quo = account(two_a_month(), legacy(), 50.0)
    moved = quo.monthly["profit"].sum() - m["profit"].sum()
    closing = quo.monthly["spares_book_value_end"].iloc[-1] - m["spares_book_value_end"].iloc[-1]
    assert moved == pytest.approx(closing - 500.0)  # 520 closing − 500 restated = 20
    assert np.abs(balance_sheet_gap(books.ledger)).max() < 1e-9


def test_the_restatement_carries_its_tax_effect_as_an_opening_deferred_tax_asset() -> None:
    # At 25 %, with the run's profit ample to use it (100 units a month at 50, no costs):
    # age write-down: spares 500 under a tax base of 1,000 → DTA 0.25 × 500 = 125, so the
    # restatement is −500 + 125 = −375 and the opening equity 1,300 − 375 = 925;
    # expensing: carrying 0 → DTA 250, restatement −1,000 + 250 = −750, equity 550.
    log = two_a_month(units_sold=100)
    for accounting, dta, restated in (
        ({"age_writedown_months": 24}, 125.0, -375.0),
        ({"spares_treatment": "expense_on_purchase"}, 250.0, -750.0),
        ({}, 0.0, 0.0),
    ):
        spec = legacy(**accounting).model_copy(update={"tax": legacy().tax.model_copy(
            update={"rate": 0.25})})  # fmt: skip
        books = account(log, spec, 50.0)
        assert opening(books, Account.DEFERRED_TAX_ASSET) == pytest.approx(dta)
        assert books.kpis["opening_restatement"] == pytest.approx(restated)
        assert books.kpis["opening_retained_earnings"] == pytest.approx(1300.0 + restated)
        # month 1's taxable profit does not deduct the opening difference a second time:
        # revenue 5,000 less the spares consumed at cost (tax base), 2 × 10
        assert books.monthly["taxable_profit"].iloc[0] == pytest.approx(5000.0 - 20.0)
        assert np.abs(balance_sheet_gap(books.ledger)).max() < 1e-9


def test_the_month_0_balance_sheet_shows_the_restatement_inside_the_equity() -> None:
    books = account(two_a_month(), legacy(age_writedown_months=24), 50.0)
    sheet = balance_sheet(books.monthly, books.ledger)
    first = sheet.iloc[0]
    assert first["period"] == "opening"
    assert first["存货"] == pytest.approx(500.0)
    assert first["货币资金"] == pytest.approx(300.0)
    assert first["资产总计"] == pytest.approx(first["负债和所有者权益总计"])
    assert first["所有者权益（未分配利润）"] == pytest.approx(800.0)
    assert first[RESTATEMENT] == pytest.approx(-500.0)
    # without an opening balance the statement is as it always was: no month-0 row
    plain = account(make_log(24), books_scenario(), 50.0)
    assert "opening" not in set(balance_sheet(plain.monthly, plain.ledger)["period"])


def test_opening_receivables_and_payables_are_settled_over_their_terms() -> None:
    # 600 of receivables on 45-day terms: collected evenly over days 0-45, i.e. 600 × D/45 in
    # month 1 (D = 30.44 days) and the rest, 600 × (45 − D)/45, in month 2
    collected = spread_over_days(600.0, 45.0, 24)
    assert collected[0] == pytest.approx(600.0 * D / 45.0)
    assert collected[1] == pytest.approx(600.0 * (45.0 - D) / 45.0)
    assert collected.sum() == pytest.approx(600.0)
    spec = books_scenario(
        sales_terms={"receivable_days": 45.0},
        opening_balance={"receivables": 600.0, "payables": 200.0, "payables_days": 0.0},
    )
    books = account(make_log(24), spec, 50.0)
    m = books.monthly
    assert m["receivables_end"].iloc[0] == pytest.approx(600.0 - collected[0])
    assert m["payables_end"].iloc[0] == pytest.approx(0.0)  # paid in month 1 (0 days)
    assert m["cash_end"].iloc[1] == pytest.approx(600.0 - 200.0)
    assert books.kpis["opening_retained_earnings"] == pytest.approx(400.0)
    assert np.abs(balance_sheet_gap(books.ledger)).max() < 1e-9


def test_an_opening_provision_is_drawn_under_the_accrual_and_closed_at_end_of_life() -> None:
    # 300 of opening provision, one claim a month for 24 months on widgets bought at 10:
    # under accrue_per_unit the claims draw it; under capitalise it is carried and released at
    # the end of life. Every account is closed at the end either way, and lifetime profit is the
    # same: the provision was charged before month 1, in the legacy books.
    claims = [(0, (m + 0.5) * D, (m + 0.5) * D) for m in range(24)]
    log = make_log(24, claims=claims, purchases=[(0, 0.0, 30, 0)])
    profits = []
    for treatment in ("capitalise", "accrue_per_unit"):
        spec = books_scenario(
            opening_balance={"warranty_provision": 300.0},
            accounting={"spares_treatment": treatment, "accrual_per_unit": 0.0},
        )
        books = account(log, spec, 50.0)
        assert opening(books, Account.WARRANTY_PROVISION) == -300.0
        assert books.monthly["warranty_provision_end"].iloc[-1] == pytest.approx(0.0, abs=1e-9)
        assert np.abs(balance_sheet_gap(books.ledger)).max() < 1e-9
        profits.append(books.monthly["profit"].sum())
    # 24 widgets consumed (240) and 6 scrapped at the end (60) against 300 released or drawn
    assert profits == pytest.approx([0.0, 0.0], abs=1e-9)


def test_an_opening_provision_has_its_deferred_tax_asset_in_both_books() -> None:
    # A provision of 200 is deductible when claims are paid: the legacy books already carry
    # 0.25 × 200 = 50 of deferred tax asset on it. With the lot restated to 500, the restated
    # asset is 0.25 × (500 + 200) = 175, so the restatement is −500 + (175 − 50) = −375 (the
    # provision's own asset is not a restatement) and the opening equity
    # 1,000 + 300 − 200 + 50 − 375 = 775.
    spec = legacy(age_writedown_months=24)
    raw = spec.model_dump(by_alias=True)
    raw["opening_balance"]["warranty_provision"] = 200.0
    raw["tax"]["rate"] = 0.25
    books = account(two_a_month(units_sold=100), Scenario.model_validate(raw), 50.0)
    assert opening(books, Account.DEFERRED_TAX_ASSET) == pytest.approx(175.0)
    assert books.kpis["opening_restatement"] == pytest.approx(-375.0)
    assert books.kpis["opening_retained_earnings"] == pytest.approx(775.0)
    assert np.abs(balance_sheet_gap(books.ledger)).max() < 1e-9


def test_the_provision_review_deducts_the_opening_lots_write_downs_too() -> None:
    # Under accrue_per_unit the review's estimate is the cost of the claims to come less the
    # write-downs of the stock held (already charged): on the balance sheet, those include the
    # opening lot's restated write-down, 500 at month 0 (1,000 × 12/24).
    spec = legacy(age_writedown_months=24, spares_treatment="accrue_per_unit")
    log = two_a_month(units_sold=100)
    books = account(log, spec, 50.0)
    m = books.monthly
    month = 11  # the first year end, 0-based
    expected = remaining_cost(log, spec, month) - m["spares_writedowns_end"].iloc[month]
    assert m["provision_estimate"].iloc[month] == pytest.approx(max(expected, 0.0))
    assert m["spares_writedowns_end"].iloc[0] > 500.0  # the opening 500, and a month's ageing
