"""Properties every set of books must have, on random consistent logs and on real replications.

- every month's trial balance is zero, and assets = provision + retained earnings;
- cash reconciles: cash = retained earnings − receivables − book value + provision;
- with the same physical operations, lifetime profit is the same to the cent under every spares
  treatment, with or without age write-down and cap (DESIGN.md "Accounting", End of life);
- each money line totals what the log's events are worth, priced by hand.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import books_scenario as scenario
from factories import random_log, replicate, widget
from warrantysim.accounting import account, balance_sheet_gap, book, trial_balance
from warrantysim.accounting.pricing import spare_unit_cost
from warrantysim.scenario import Scenario, load_scenario
from warrantysim.sim.eventlog import EventLog, PurchaseKind

CENT = 0.005
TREATMENTS = ("capitalise", "expense_on_purchase", "accrue_per_unit")
WRITEDOWNS = (None, 12)
CAPS = (
    {},
    {"absolute": 100.0},
    {"share_of_trailing_cost_of_sales": 0.001, "prior_annual_cost_of_sales": 50_000.0},
    {"absolute": 50.0, "share_of_trailing_cost_of_sales": 0.002, "tranches": 3},
)


def policies(base: Scenario, cap_scale: float = 1.0) -> list[Scenario]:
    """Every treatment × write-down × cap of the base scenario (caps' absolute × ``cap_scale``)."""
    out = []
    for treatment, months, cap in itertools.product(TREATMENTS, WRITEDOWNS, CAPS):
        scaled = {k: v * cap_scale if k == "absolute" else v for k, v in cap.items()}
        out.append(
            with_accounting(
                base,
                spares_treatment=treatment,
                age_writedown_months=months,
                book_value_cap=base.accounting.book_value_cap.model_dump() | scaled,
            )
        )
    return out


def check_balanced(log: EventLog, scenario: Scenario, price: float) -> float:
    """Assert the books of one policy balance and reconcile; return lifetime profit."""
    books = account(log, scenario, price)
    ledger, monthly = books.ledger, books.monthly
    assert np.array_equal(ledger.postings, book(log, scenario, price).postings)  # pure function
    scale = max(1.0, float(np.abs(ledger.postings).max()))
    assert np.abs(trial_balance(ledger)).max() <= 1e-9 * scale
    assert np.abs(balance_sheet_gap(ledger)).max() <= 1e-9 * scale
    cash = (
        monthly["retained_earnings_end"] - monthly["receivables_end"]
        + monthly["bad_debt_allowance_end"]
        - monthly["chargeback_receivable_end"] - monthly["spares_book_value_end"]
        + monthly["warranty_provision_end"] + monthly["payables_end"] + monthly["borrowing_end"]
        - monthly["deferred_tax_asset_end"] + monthly["income_tax_payable_end"]
        + monthly["vat_payable_end"] - monthly["vat_credit_end"]
        + monthly["surcharges_payable_end"]
    )  # fmt: skip
    assert np.allclose(monthly["cash_end"], cash, rtol=0, atol=1e-9 * scale)
    assert np.allclose(monthly["cash_end"].diff().fillna(monthly["cash_end"]), monthly["cash_flow"])
    for line in ("age_writedown", "cap_writedown", "end_of_life_writeoff", "spare_parts_cost"):
        assert monthly[line].min() >= -1e-9 * scale, line
    assert monthly["spares_book_value_end"].min() >= -1e-9 * scale
    final = monthly.iloc[-1]
    for balance in (
        "spares_book_value_gross_end",
        "spares_writedowns_end",
        "warranty_provision_end",
    ):
        assert abs(final[balance]) <= 1e-9 * scale, balance
    return float(monthly["profit"].sum())


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_random_books_balance_and_lifetime_profit_is_policy_free(seed: int) -> None:
    log, scenario = random_log(seed)
    profits = [check_balanced(log, sc, 700.0) for sc in policies(scenario)]
    assert max(profits) - min(profits) < CENT


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_each_line_totals_what_the_events_are_worth(seed: int) -> None:
    log, scenario = random_log(seed)
    books = account(log, scenario, 700.0).monthly
    parts = [scenario.part(n) for n in log.part_names]
    cost = np.array([spare_unit_cost(scenario, p) for p in parts])
    terms = [scenario.suppliers[p.supplier] for p in parts if p.supplier]
    share = np.array([t.chargeback_share for t in terms])
    fault = log.claims.supplier_fault
    chargeback = (share * cost)[log.claims.part[fault]].sum()
    assert books["chargeback_income"].sum() == pytest.approx(chargeback)
    # random_log's suppliers accept every claim of their fault; a rejected one is never booked
    assert books["chargeback_unrecovered"].sum() == 0.0
    scrap_share = np.array([p.scrap_value_share for p in parts])
    salvage = ((scrap_share * cost)[log.scrap.part] * log.scrap.qty).sum()
    assert books["salvage_income"].sum() == pytest.approx(salvage)
    revenue = log.units_sold.sum() * 700.0
    assert books["revenue"].sum() == pytest.approx(revenue)
    assert books["bad_debt"].sum() == pytest.approx(0.01 * revenue)
    per_repair = (
        scenario.service.labour_cost_per_repair + scenario.service.logistics_cost_per_repair
    )
    assert books["labour_logistics"].sum() == pytest.approx(per_repair * len(log.claims.part))
    assert books["screening_cost"].sum() == pytest.approx(1.5 * log.units_screened.sum())
    late = np.maximum(log.claims.wait_days + 2.0 - 5.0, 0.0).sum() * 4.0
    assert books["late_penalties"].sum() == pytest.approx(late)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_lifetime_spare_cost_is_what_entered_stock(seed: int) -> None:
    # Every treatment recognises, over the life of the line, exactly what the spares cost: the
    # purchases (emergency ones with their premium) and the refurbishments.
    log, scenario = random_log(seed)
    parts = [scenario.part(n) for n in log.part_names]
    cost = np.array([spare_unit_cost(scenario, p) for p in parts])
    buy = log.purchases
    premium = np.where(buy.kind == PurchaseKind.EMERGENCY, 1.5, 1.0)
    refurb = np.array([p.refurbish.cost for p in parts if p.refurbish])
    spent = (cost[buy.part] * buy.qty * premium).sum()
    spent += refurb[log.returns.part[log.returns.refurbished]].sum()
    lines = ["spare_parts_cost", "age_writedown", "cap_writedown", "end_of_life_writeoff"]
    for sc in policies(scenario)[::3]:
        books = account(log, sc, 700.0).monthly
        recognised = books[lines].to_numpy().sum() + books["provision_used"].sum()
        recognised -= books["cap_writedown_reversal"].sum()  # a reversal gives a write-down back
        if sc.accounting.spares_treatment == "accrue_per_unit":
            recognised -= len(log.claims.part) * 15.0  # the provision also paid labour, logistics
        assert recognised == pytest.approx(spent, abs=CENT)


@pytest.fixture(scope="module")
def baseline() -> tuple[EventLog, Scenario]:
    scenario = load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "baseline.yaml")
    return replicate(scenario, 2026, 0), scenario


def test_real_books_balance_and_lifetime_profit_is_policy_free(baseline) -> None:
    log, scenario = baseline
    # caps in millions: the baseline's stock is worth a few million CNY
    profits = [check_balanced(log, sc, 5600.0) for sc in policies(scenario, cap_scale=20_000.0)]
    assert max(profits) - min(profits) < CENT


def with_accounting(scenario: Scenario, **fields) -> Scenario:
    """The scenario with these accounting fields, validated like a loaded file."""
    raw = scenario.model_dump(by_alias=True)
    raw["accounting"] |= fields
    return Scenario.model_validate(raw)


def annual_profit(log: EventLog, scenario: Scenario, **accounting) -> np.ndarray:
    books = account(log, with_accounting(scenario, **accounting), 5600.0)
    return books.annual["profit"].to_numpy()


def test_absorbing_spares_moves_profit_earlier_not_away(baseline) -> None:
    # The brief's claim: recognising spare cost earlier (on purchase, or accrued per unit sold)
    # lowers the first year's reported profit; the total does not change.
    log, scenario = baseline
    status_quo = annual_profit(log, scenario)
    for treatment in ("expense_on_purchase", "accrue_per_unit"):
        absorbed = annual_profit(log, scenario, spares_treatment=treatment)
        assert absorbed[0] < status_quo[0]
        assert absorbed.sum() == pytest.approx(status_quo.sum(), abs=CENT)


def test_cap_writes_down_only_at_fiscal_year_ends(baseline) -> None:
    log, scenario = baseline
    cap = scenario.accounting.book_value_cap.model_dump() | {"absolute": 1_000_000.0}
    policy = with_accounting(scenario, book_value_cap=cap, fiscal_year_end_month=6)
    books = account(log, policy, 5600.0).monthly
    written = books.loc[books["cap_writedown"] > 0, "month"].to_numpy()
    assert len(written) > 0
    assert np.all(written % 12 == 6)
    at_year_end = books.set_index("month").loc[written]
    assert np.allclose(at_year_end["spares_book_value_end"], 1_000_000.0)


def test_steady_provision_of_a_real_run_holds_half_a_warranty_of_claims() -> None:
    # Renewal theory: with exponential lives (rate λ = 1/100 a month) a unit claims at rate λ
    # throughout its W = 36-month warranty, so under steady sales S = 1,000 a month the provision
    # holds the expected claims still to come of the cohorts in warranty, S λ c W²/2, against
    # monthly draws S λ c W: W/2 = 18 months (c = 125 a claim).
    # Noise, analytically: month 60 closes a fiscal year, so the provision then is the review's
    # estimate, which is deterministic here (sales have no noise, stock never runs out). The
    # steady draw is the lifetime draws c·N over 60 months of sales, and N, the claims of 60,000
    # units each with Poisson(λW = 0.36) claims, is Poisson(21,600). So months = 18 · 21,600 / N
    # and, by the delta method, sd(months) = 18 / √21,600 = 0.122 months a replication (measured
    # over 12 replications: 0.116). The mean of 4 has a standard error of 0.061; 4 of them.
    standard_error = 18.0 / np.sqrt(60 * 1000 * 0.36) / np.sqrt(4)
    part = widget(
        unit_cost=100.0,
        life={"shape": 1.0, "scale_months": 100.0},
        stocking={"policy": "base_stock", "level": 1500},
    )
    sc = scenario(
        [part],
        product={"sales_months": 60, "units_per_month": 1000, "warranty_months": 36},
        service={"labour_cost_per_repair": 25.0},
        simulation={"horizon_months": 96},
        accounting={"spares_treatment": "accrue_per_unit", "accrual_per_unit": 0.36 * 125.0},
    )
    months = [
        account(replicate(sc, 7, r), sc, 50.0).kpis["provision_months_of_claims"] for r in range(4)
    ]
    assert np.mean(months) == pytest.approx(18.0, abs=4 * standard_error)
