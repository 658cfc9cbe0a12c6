"""VAT (增值税) and its surcharges (税金及附加): hand-checked cases (arithmetic in comments), the
statements' new lines, and one-line errors for bad rates, terms and supplier names.
D = 365.25 / 12 days per month; month m (1-based) covers days [(m-1)·D, m·D)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from factories import D, Writer, make_log, replicate, widget
from factories import books_scenario as scenario
from warrantysim.accounting import account, balance_sheet_gap
from warrantysim.accounting.cas import balance_sheet, cash_flow_statement, income_statement
from warrantysim.accounting.pricing import unit_price
from warrantysim.accounting.vat import settle
from warrantysim.cli import main
from warrantysim.scenario import Tax, load_scenario
from warrantysim.sim.eventlog import PurchaseKind, ScrapReason

CENT = 0.005
ROOT = Path(__file__).resolve().parents[1]
TAX = Tax(rate=0.0, vat_rate=0.13, surcharge_rate=0.12)


def test_a_credit_is_carried_forward_and_used_the_next_month() -> None:
    # Month 1: output 130 − input 54.6 = 75.4 due, paid in month 2.
    # Month 2: output 0 − input 80: a credit of 80 carried forward, nothing due.
    # Month 3: output 130 − input 10 − the credit 80 = 40 due, paid in month 3 (the last month).
    # Surcharges: 12 % of each month's VAT due: 9.048, 0, 4.8.
    returns = settle(np.array([130.0, 0.0, 130.0]), np.array([54.6, 80.0, 10.0]), TAX)
    assert returns.due.tolist() == pytest.approx([75.4, 0.0, 40.0])
    assert returns.credit.tolist() == pytest.approx([0.0, 80.0, 0.0])
    assert returns.paid.tolist() == pytest.approx([0.0, 75.4, 40.0])
    assert returns.surcharges.tolist() == pytest.approx([9.048, 0.0, 4.8])
    assert returns.surcharges_paid.tolist() == pytest.approx([0.0, 9.048, 4.8])
    assert not returns.refunded.any()


def test_a_credit_left_at_the_horizon_end_is_refunded_then() -> None:
    # Input 13 in month 1 and no sales: the credit 13 is held to the end and refunded in month 2.
    returns = settle(np.array([0.0, 0.0]), np.array([13.0, 0.0]), TAX)
    assert returns.credit.tolist() == pytest.approx([13.0, 13.0])
    assert returns.refunded.tolist() == pytest.approx([0.0, 13.0])
    assert not returns.paid.any()
    assert not returns.surcharges.any()


def vat_scenario(expenses=None, **pricing):
    """Price 113 including 13 % VAT; product cost 25 of which the widget (10) comes from acme on
    60-day terms; customers pay at once; no income tax, so only VAT moves the numbers."""
    return scenario(
        [widget(supplier="acme")],
        suppliers={"acme": {"payment_days": 60.0}},
        product={"unit_cost": 25.0},
        pricing={"price": 113.0, "reference_price": 113.0, "price_includes_vat": True} | pricing,
        tax={"rate": 0.0, "vat_rate": 0.13, "surcharge_rate": 0.12},
        simulation={"horizon_months": 12},
        expenses=expenses or {},
    )


def vat_log():
    # 10 units sold in month 1; 2 spares received on day 0; both scrapped at the end, unused.
    return make_log(
        12,
        units_sold=[10] + [0] * 11,
        purchases=[(0, 0.0, 2, PurchaseKind.INITIAL)],
        scrap=[(0, 12 * D, 2, ScrapReason.END_OF_HORIZON)],
    )


def test_a_price_that_includes_vat_books_revenue_net_and_pays_the_vat_next_month() -> None:
    # Net price 113 / 1.13 = 100: revenue 10 × 100 = 1,000, output VAT 130, receivable 1,130
    # (collected at once). Input VAT: components 10 units × 10 = 100 → 13; spares 2 × 10 = 20 →
    # 2.6; 15.6 in all. Month 1's return: 130 − 15.6 = 114.4, paid in month 2, and the
    # surcharges 0.12 × 114.4 = 13.728, booked in month 1 and paid in month 2.
    books = account(vat_log(), vat_scenario(), 113.0)
    m = books.monthly
    assert m["revenue"].iloc[0] == pytest.approx(1000.0)
    assert m["output_vat"].iloc[0] == pytest.approx(130.0)
    assert m["input_vat"].iloc[0] == pytest.approx(15.6)
    assert m["vat_payable_end"].iloc[0] == pytest.approx(114.4)
    assert m["taxes_and_surcharges"].tolist() == pytest.approx([13.728] + [0.0] * 11)
    assert m["vat_paid"].tolist() == pytest.approx([0.0, 114.4] + [0.0] * 10)
    # acme is owed its 120 with VAT: 120 × 1.13 = 135.6 (the spares due on day 60, month 2)
    assert m["payables_end"].iloc[0] == pytest.approx(135.6)
    # month 1 cash: 1,130 in − the product cost acme does not supply, 10 × 15 = 150, paid at once
    assert m["cash_flow"].iloc[0] == pytest.approx(980.0)
    # Lifetime: cash 1,130 − 150 − 135.6 − 114.4 − 13.728 = 716.272; profit 1,000 − 250 product
    # cost − 20 leftover spares written off − 13.728 surcharges = 716.272 too (the run ends).
    assert m["cash_flow"].sum() == pytest.approx(716.272)
    assert m["profit"].sum() == pytest.approx(716.272)
    assert np.abs(balance_sheet_gap(books.ledger)).max() < 1e-9


def test_vat_is_not_income_and_stating_the_price_without_it_is_the_same_books() -> None:
    # 100 excluding VAT is 113 including it: the same ledger, line by line.
    included = account(vat_log(), vat_scenario(), 113.0)
    excluded = account(vat_log(), vat_scenario(price=100.0, price_includes_vat=False), 100.0)
    assert np.allclose(included.ledger.postings, excluded.ledger.postings)


def test_cost_plus_is_marked_up_net_and_stated_gross_when_prices_include_vat() -> None:
    # Product cost 25 (the widget from acme, no uplift): net 25 × 1.2 = 30, gross 30 × 1.13 = 33.9.
    net = vat_scenario(policy="cost_plus", markup=0.2, price_includes_vat=False)
    gross = vat_scenario(policy="cost_plus", markup=0.2)
    assert unit_price(net) == pytest.approx(30.0)
    assert unit_price(gross) == pytest.approx(33.9)


def test_the_statements_show_vat_surcharges_and_the_period_costs() -> None:
    # Selling expense 2 a unit (20 in month 1) and 5 of administration a month (60 in the year).
    spec = vat_scenario({"selling_expense_per_unit": 2.0, "administrative_expense_per_month": 5.0})
    books = account(vat_log(), spec, 113.0)
    income = income_statement(books.monthly)
    sheet = balance_sheet(books.monthly)
    cash = cash_flow_statement(books.ledger, books.monthly)
    month1 = income.iloc[0]
    assert month1["税金及附加"] == pytest.approx(13.728)
    assert month1["销售费用"] == pytest.approx(20.0)
    assert month1["管理费用"] == pytest.approx(5.0)
    # operating profit of month 1: 1,000 − 250 − 13.728 − 20 − 5 = 711.272
    assert month1["营业利润"] == pytest.approx(711.272)
    # 应交税费 at the end of month 1: VAT 114.4 + surcharges 13.728
    assert sheet.iloc[0]["应交税费"] == pytest.approx(128.128)
    assert np.allclose(sheet["资产总计"], sheet["负债和所有者权益总计"])
    # 支付的各项税费 in month 2: the VAT and its surcharges, 128.128
    assert cash.iloc[1]["支付的各项税费"] == pytest.approx(-128.128)
    assert cash.iloc[0]["支付其他与经营活动有关的现金"] == pytest.approx(-25.0)
    assert np.allclose(
        cash["经营活动产生的现金流量净额"], cash["补充资料：经营活动产生的现金流量净额"]
    )


def test_a_vat_credit_is_another_current_asset_until_refunded() -> None:
    # No sales: the 2 spares' input VAT, 2.6, is a credit (其他流动资产) all year, refunded in
    # month 12 with the credit left.
    log = make_log(12, purchases=[(0, 0.0, 2, PurchaseKind.INITIAL)],
                   scrap=[(0, 12 * D, 2, ScrapReason.END_OF_HORIZON)])  # fmt: skip
    books = account(log, vat_scenario(), 113.0)
    sheet = balance_sheet(books.monthly)
    months = sheet["period"] == "month"
    assert sheet.loc[months, "其他流动资产"].iloc[:11].tolist() == pytest.approx([2.6] * 11)
    assert sheet.loc[months, "其他流动资产"].iloc[11] == pytest.approx(0.0, abs=1e-12)
    assert books.monthly["vat_paid"].sum() == pytest.approx(-2.6)


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("tax.vat_rate=1.5", "tax.vat_rate: expected a number from 0 to 1, got 1.5"),
        ("tax.vat_rate=-0.1", "tax.vat_rate: expected a number from 0 to 1, got -0.1"),
        ("tax.surcharge_rate=2", "tax.surcharge_rate: expected a number from 0 to 1"),
        ("suppliers.diskco.payment_days=-1", "suppliers.diskco.payment_days: expected a number"),
        ("parts.ssd.supplier=nope", "parts.ssd.supplier: expected a supplier listed under"),
        ("suppliers.nope.netting=true", "suppliers.nope: no entry named 'nope'"),
        ("expenses.selling_expense_per_unit=-1", "expenses.selling_expense_per_unit: expected"),
        ("pricing.price_includes_vat=maybe", "pricing.price_includes_vat:"),
    ],
)
def test_bad_tax_terms_and_supplier_names_are_one_line_errors(
    override: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["validate", str(ROOT / "scenarios" / "baseline.yaml"), "--set", override])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    assert expected in err


def test_an_unknown_supplier_in_a_sweep_is_a_one_line_error(
    tmp_path: Path, write: Writer, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    spec = f"""kind: sweep
scenario: {ROOT / "scenarios" / "baseline.yaml"}
design: grid
replications: 1
parameters:
  suppliers.diskko.chargeback_share: {{values: [0.1, 0.2]}}
"""
    write("sweep.yaml", spec)
    monkeypatch.chdir(tmp_path)
    status = main(["sweep", "sweep.yaml", "--out", "out"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    assert "suppliers.diskko" in err


def test_shipped_baseline_vat_is_output_less_input_over_its_life() -> None:
    # Over a run that settles everything, VAT paid less the credit refunded at the end = Σ output
    # − Σ input, output is 13 % of revenue, and the surcharges are 12 % of the VAT due (= paid).
    spec = load_scenario(ROOT / "scenarios" / "baseline.yaml", overrides=[
        "product.units_per_month=500", "product.sales_months=12",
        "product.warranty_months=12"])  # fmt: skip
    log = replicate(spec, 2026, 0)
    books = account(log, spec, unit_price(spec))
    m = books.monthly
    # the shipped prices are net of VAT (price_includes_vat: false): revenue = units × 5,600
    assert m["revenue"].sum() == pytest.approx(5600.0 * log.units_sold.sum())
    assert m["vat_paid"].sum() == pytest.approx(m["output_vat"].sum() - m["input_vat"].sum())
    assert m["output_vat"].sum() == pytest.approx(0.13 * m["revenue"].sum())
    paid = next(e.amount for e in books.ledger.entries if e.memo == "VAT paid")
    assert m["taxes_and_surcharges"].sum() == pytest.approx(0.12 * paid.sum())
    assert m["cash_end"].min() >= -1e-6


def test_the_provision_is_split_by_the_claims_expected_within_a_year() -> None:
    # An exponential life (η = 100 months) renews as a Poisson process: M(a) = a / η, so a unit
    # of age a under a 36-month warranty has (36 − a) / η claims to come, min(12, 36 − a) / η of
    # them within 12 months. 10 units sold evenly through month 1 are aged 1 − u, u the sale
    # time in months (mean age 0.5 at the end of month 1): current share 12 / 35.5 then,
    # 12 / 24.5 at month 12, 12 / 12.5 at month 24, and all of it once 12 months or less are left.
    spec = scenario(
        [widget(life={"shape": 1.0, "scale_months": 100.0})],
        product={"warranty_months": 36},
        accounting={"spares_treatment": "accrue_per_unit", "accrual_per_unit": 5.0},
        simulation={"horizon_months": 40},
    )
    log = make_log(40, units_sold=[10] + [0] * 39)
    m = account(log, spec, 50.0).monthly
    total = m["warranty_provision_end"]
    assert np.allclose(
        m["warranty_provision_current_end"] + m["warranty_provision_non_current_end"], total
    )
    share = m["warranty_provision_current_end"] / total.where(total.abs() > 1e-9)
    assert share.iloc[[0, 11, 23]].tolist() == pytest.approx([12 / 35.5, 12 / 24.5, 12 / 12.5])
    later = share.iloc[25:35].dropna()
    assert len(later) == 10
    assert later.tolist() == pytest.approx([1.0] * 10)


def test_no_provision_no_split() -> None:
    books = account(vat_log(), vat_scenario(), 113.0).monthly
    assert not books["warranty_provision_current_end"].any()
    assert not books["warranty_provision_non_current_end"].any()


def test_surcharges_are_deductible_for_income_tax() -> None:
    # The case above with income tax at 25 %: the year's taxable profit is its profit, 716.272
    # (the surcharges 13.728 deducted, VAT itself never income), so the tax is 179.068.
    raw = vat_scenario().model_dump(by_alias=True)
    raw["tax"]["rate"] = 0.25
    books = account(vat_log(), type(vat_scenario()).model_validate(raw), 113.0).monthly
    assert books["taxable_profit"].sum() == pytest.approx(716.272)
    assert books["income_tax_current"].sum() == pytest.approx(179.068)
