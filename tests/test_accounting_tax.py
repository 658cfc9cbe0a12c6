"""Corporate income tax: hand-checked cases (arithmetic in comments) and the invariants on a real
baseline log (tax paid is the same under every accounting treatment; the deferred tax asset is
rate × (temporary differences + unused losses) − unrecognised at every month end)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from factories import replicate
from warrantysim.accounting import account, balance_sheet_gap
from warrantysim.accounting.pricing import unit_price
from warrantysim.accounting.tax import income_tax
from warrantysim.scenario import Scenario, Tax, load_scenario

YUAN = 0.5
ROOT = Path(__file__).resolve().parents[1]


def yearly(amounts: list[float], years: int = 7) -> np.ndarray:
    """A profit in the first month of each year (the rest of the year zero)."""
    out = np.zeros(12 * years)
    out[::12][: len(amounts)] = amounts
    return out


def test_a_loss_is_carried_forward_and_expires_after_five_years() -> None:
    # Year 1 loses 100; year 2 earns 30 and uses 30 of it (no tax, 70 left); years 3-6 nothing;
    # the loss could be used in years 2..6 only, so the 70 expires at the end of year 6 (month
    # 72) and year 7's 100 is taxed in full: 25.
    tax = income_tax(yearly([-100, 30, 0, 0, 0, 0, 100]), np.zeros(84), Tax())
    by_year = tax.current.reshape(7, 12).sum(axis=1)
    assert by_year.tolist() == pytest.approx([0, 0, 0, 0, 0, 0, 25.0])
    assert tax.unused_losses[[11, 23, 71]].tolist() == pytest.approx([100.0, 70.0, 0.0])
    assert tax.expired_losses[71] == pytest.approx(70.0)
    assert tax.expired_losses.sum() == pytest.approx(70.0)


def test_a_high_tech_enterprise_carries_the_loss_ten_years_at_15_percent() -> None:
    # Same years at 15 % with 10 years' carry-forward: year 7 uses the 70 left, 0.15 × 30 = 4.5.
    high_tech = Tax(rate=0.15, loss_carry_forward_years=10)
    tax = income_tax(yearly([-100, 30, 0, 0, 0, 0, 100]), np.zeros(84), high_tech)
    assert tax.current.sum() == pytest.approx(4.5)
    assert tax.expired_losses.sum() == 0.0


def test_a_deferred_tax_asset_is_left_unrecognised_beyond_the_forecast_profit() -> None:
    # At the end of year 1 the unused loss is 100: gross asset 0.25 × 100 = 25. The profit of the
    # next 5 years (months 13..72) is 30 (year 7's 100 lies beyond), so 0.25 × 30 = 7.5 is
    # recognised and 17.5 is not. At the end of year 2: 70 unused, gross 17.5, the next five years
    # (months 25..84) earn 100, so all 17.5 is recognised.
    tax = income_tax(yearly([-100, 30, 0, 0, 0, 0, 100]), np.zeros(84), Tax())
    assert tax.deferred_tax_asset[11] == pytest.approx(7.5)
    assert tax.deferred_tax_unrecognised[11] == pytest.approx(17.5)
    assert tax.deferred_tax_asset[23] == pytest.approx(17.5)
    assert tax.deferred_tax_unrecognised[23] == pytest.approx(0.0)
    # nothing lies ahead at the horizon's end, so the asset is gone then and the deferred tax
    # expense of the whole run sums to zero
    assert tax.deferred_tax_asset[-1] == 0.0
    assert tax.deferred.sum() == pytest.approx(0.0)


def test_temporary_differences_make_taxable_profit_and_a_deferred_asset() -> None:
    # Profit before tax 100 a month for 2 years; the books expense 40 in month 1 that the tax
    # law deducts in month 13 (a provision, say): D = 40 over months 1..12. Taxable profit is
    # 140 in month 1 and 60 in month 13; the asset 0.25 × 40 = 10 is held over months 1..12
    # (plenty of profit ahead), so the tax expense stays 25 a month.
    differences = np.r_[np.full(12, 40.0), np.zeros(12)]
    tax = income_tax(np.full(24, 100.0), differences, Tax())
    assert tax.taxable_profit[[0, 1, 12]].tolist() == pytest.approx([140.0, 100.0, 60.0])
    assert tax.deferred_tax_asset[:12] == pytest.approx(np.full(12, 10.0))
    assert (tax.current + tax.deferred) == pytest.approx(np.full(24, 25.0))


def test_quarterly_prepayments_and_the_may_settlement() -> None:
    # 10 a month in months 1-11, a loss of 50 in December: taxable 60 for the year, tax 15.
    # Prepayments the month after each quarter on the year's tax so far: 7.5 in April, 15 − 7.5
    # = 7.5 in July and 7.5 in October (22.5 prepaid); the Q4 return shows 15 < 22.5, so nothing
    # in January; the settlement in May of year 2 refunds 15 − 22.5 = −7.5.
    profit = np.r_[np.full(11, 10.0), [-50.0], np.zeros(12)]
    tax = income_tax(profit, np.zeros(24), Tax())
    paid = {m + 1: p for m, p in enumerate(tax.paid) if p}
    assert paid == pytest.approx({4: 7.5, 7: 7.5, 10: 7.5, 17: -7.5})
    assert tax.current[:12].sum() == pytest.approx(15.0)


@pytest.fixture(scope="module")
def baseline_log():
    spec = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    return replicate(spec, 2026, 0), spec


def with_accounting(spec: Scenario, **fields) -> Scenario:
    raw = spec.model_dump(by_alias=True)
    raw["accounting"] |= fields
    return Scenario.model_validate(raw)


RISING_CAP = {"share_of_trailing_cost_of_sales": 0.004, "trailing_months": 36}
"""A cap on 0.4 % of the cost of sales so far: it rises each year while sales build up, so the
first year's write-down is partly reversed at the next (CAS 1 para 19)."""
POLICIES = [
    {"spares_treatment": t} | extra
    for t in ("capitalise", "expense_on_purchase", "accrue_per_unit")
    for extra in (
        {},
        {"age_writedown_months": 24, "book_value_cap": {"absolute": 2_000_000.0}},
        {"book_value_cap": RISING_CAP, "writedown_reversal": True},
        {"book_value_cap": RISING_CAP, "writedown_reversal": False},
        {"age_writedown_months": 36, "book_value_cap": RISING_CAP, "writedown_reversal": True},
    )
]


@pytest.mark.slow  # 15 bookings of the full baseline: about 3 s
def test_tax_paid_and_npv_of_cash_after_tax_do_not_depend_on_the_treatment(baseline_log) -> None:
    # With VAT on (the baseline's 13 %): VAT moves cash timing, not with the treatment.
    log, spec = baseline_log
    price = unit_price(spec)
    runs = [account(log, with_accounting(spec, **policy), price) for policy in POLICIES]
    # the cases this test is for happen: reversals under the rising cap, none without them
    reversed_ = [b.kpis["lifetime_cap_writedown_reversal"] for b in runs]
    assert reversed_[2] > 1000.0
    assert reversed_[3] == 0.0
    assert runs[0].kpis["lifetime_vat_paid"] > 1e6
    first = runs[0]
    for books in runs:
        monthly = books.monthly
        assert np.abs(monthly["tax_paid"] - first.monthly["tax_paid"]).max() < YUAN
        assert books.kpis["npv_cash"] == pytest.approx(first.kpis["npv_cash"], abs=YUAN)
        assert books.kpis["lifetime_tax_paid"] == pytest.approx(
            first.kpis["lifetime_tax_paid"], abs=YUAN
        )
        assert np.abs(monthly["vat_paid"] - first.monthly["vat_paid"]).max() < YUAN
        # a run that ends: lifetime profit after tax is the same too
        assert books.kpis["lifetime_profit_after_tax"] == pytest.approx(
            first.kpis["lifetime_profit_after_tax"], abs=YUAN
        )
        # DTA = rate × (temporary differences + unused losses) − unrecognised, every month end
        gross = spec.tax.rate * (
            monthly["temporary_differences_end"] + monthly["unused_tax_losses_end"]
        )
        dta = gross - monthly["deferred_tax_unrecognised_end"]
        assert np.allclose(monthly["deferred_tax_asset_end"], dta, atol=1e-6)
        assert monthly["cash_end"].min() >= -1e-6  # the credit line carries the tax payments
        scale = float(np.abs(books.ledger.postings).max())
        assert np.abs(balance_sheet_gap(books.ledger)).max() <= 1e-9 * scale
    # the treatments do move the tax expense between years (else this test proves little)
    deferred = [b.annual["income_tax_deferred"].abs().sum() for b in runs]
    assert max(deferred) > 1000.0


@pytest.mark.slow  # with the baseline's simulation, about 2 s
def test_a_continuing_business_pays_the_same_tax_under_every_treatment(baseline_log) -> None:
    # Not scrapped at the horizon: profit differs by the closing carrying amounts, but taxable
    # profit (profit + the change in temporary differences) and so the cash do not.
    log, spec = baseline_log
    raw = spec.model_dump(by_alias=True)
    raw["simulation"]["end_of_life"] = False
    continuing = Scenario.model_validate(raw)
    price = unit_price(continuing)
    runs = [account(log, with_accounting(continuing, **p), price) for p in POLICIES[::2]]
    for books in runs:
        assert books.kpis["lifetime_tax_paid"] == pytest.approx(
            runs[0].kpis["lifetime_tax_paid"], abs=YUAN
        )
        assert books.kpis["npv_cash"] == pytest.approx(runs[0].kpis["npv_cash"], abs=YUAN)
