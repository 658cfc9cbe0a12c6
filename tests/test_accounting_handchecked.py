"""Hand-checked books: small logs whose statements can be worked out on paper (arithmetic in
comments).

D = 365.25 / 12 days per month. Month m (1-based) covers days [(m-1)·D, m·D).
"""

from __future__ import annotations

import numpy as np
import pytest

from factories import D, make_log, widget
from factories import books_scenario as scenario
from warrantysim.accounting import account, accrual_per_unit
from warrantysim.accounting.kpis import inventory_turnovers, receivable_days
from warrantysim.accounting.pricing import expected_warranty_cost_per_unit
from warrantysim.sim.eventlog import PurchaseKind, ScrapReason

CENT = 0.005


def stock_of_100_log(horizon_months: int = 24):
    """100 parts bought at 10 on day 0; 2 issued to repairs in the middle of every month."""
    claims = [(0, (m + 0.5) * D, (m + 0.5) * D) for m in range(horizon_months) for _ in range(2)]
    left = 100 - len(claims)
    return make_log(
        horizon_months,
        purchases=[(0, 0.0, 100, PurchaseKind.INITIAL)],
        claims=claims,
        scrap=[(0, horizon_months * D, left, ScrapReason.END_OF_HORIZON)],
    )


def stock_scenario(**accounting):
    return scenario(accounting={"spares_treatment": "capitalise", **accounting})


def test_age_writedown_of_100_parts_at_month_12() -> None:
    # 24 parts issued by the end of month 12, 76 left. Each is 12 months old at the end of month 12
    # and loses 1/36 of its cost a month: book value 76 × 10 × (1 − 12/36) = 506.67; the other
    # 1000 − 506.67 = 493.33 has been expensed (repairs at book value plus age write-downs).
    books = account(stock_of_100_log(), stock_scenario(age_writedown_months=36), 50.0).monthly
    month12 = books.iloc[11]
    assert month12["spares_book_value_end"] == pytest.approx(76 * 10 * (1 - 12 / 36), abs=CENT)
    assert month12["spares_book_value_gross_end"] == pytest.approx(760.0, abs=CENT)
    expensed = books.loc[:11, ["spare_parts_cost", "age_writedown"]].to_numpy().sum()
    assert expensed == pytest.approx(1000 - 506.6667, abs=CENT)


def test_first_months_of_the_age_writedown() -> None:
    # Month 1: the 2 parts issued were bought that month: expensed at cost, 2 × 10 = 20; the 98 held
    # at month end lose 98 × 10/36 = 27.22. Month 2: 2 parts leave at their month-1 value
    # 2 × 10 × 35/36 = 19.44; the 96 held lose 96 × 10/36 = 26.67.
    books = account(stock_of_100_log(), stock_scenario(age_writedown_months=36), 50.0).monthly
    assert books["spare_parts_cost"].iloc[:2].tolist() == pytest.approx([20.0, 20 * 35 / 36])
    assert books["age_writedown"].iloc[:2].tolist() == pytest.approx([980 / 36, 960 / 36])


def test_cap_of_400_writes_down_the_excess_at_year_end() -> None:
    # Book value at the end of month 12 before the cap: 506.67 (above); the cap 400 writes down
    # 106.67 then, and nowhere else before the horizon's last month.
    policy = {"age_writedown_months": 36, "book_value_cap": {"absolute": 400.0}}
    books = account(stock_of_100_log(), stock_scenario(**policy), 50.0).monthly
    assert books["cap_writedown"].iloc[11] == pytest.approx(106.6667, abs=CENT)
    assert books["spares_book_value_end"].iloc[11] == pytest.approx(400.0, abs=CENT)
    assert books["book_value_cap_limit"].iloc[11] == 400.0
    others = books["cap_writedown"].drop(index=11)
    assert np.allclose(others, 0.0)


def test_cap_scales_later_issues_and_age_writedown() -> None:
    # After the cap every part keeps 400/506.67 = 0.7895 of its value: in month 13 the 2 parts
    # issued leave at 2 × 10 × (24/36) × 0.7895 = 10.53 and the 74 held lose 74 × 10/36 × 0.7895.
    policy = {"age_writedown_months": 36, "book_value_cap": {"absolute": 400.0}}
    books = account(stock_of_100_log(), stock_scenario(**policy), 50.0).monthly
    kept = 400.0 / (760 * 2 / 3)
    assert books["spare_parts_cost"].iloc[12] == pytest.approx(2 * 10 * 24 / 36 * kept)
    assert books["age_writedown"].iloc[12] == pytest.approx(740 / 36 * kept)


def test_cap_on_the_cost_of_sales_before_the_year_being_closed() -> None:
    # 2 % of the 36 months before year 1 (the year being closed is left out): 36 × 12,000/12 =
    # 36,000; 0.02 × 36,000 = 720 > 506.67, nothing written down at month 12. At month 24 the
    # window is the 24 months before month 1 (24,000) and months 1-12, whose cost of sales is the
    # spares issued: 20 + Σ_{m=2..12} 2 × 10 × (1 − (m−1)/36) = 20 + 220 − 20 × 66/36 = 203.33;
    # 0.02 × 24,203.33 = 484.07, and the 52 parts held are worth 52 × 10 × 12/36 = 173.33 < it.
    share = {"share_of_trailing_cost_of_sales": 0.02, "prior_annual_cost_of_sales": 12000.0}
    sc = stock_scenario(age_writedown_months=36, book_value_cap=share)
    books = account(stock_of_100_log(36), sc, 50.0).monthly
    issued = 20 + 220 - 20 * 66 / 36
    assert books["spare_parts_cost"].iloc[:12].sum() == pytest.approx(issued)
    assert books["book_value_cap_limit"].iloc[11] == pytest.approx(0.02 * 36_000)
    assert books["book_value_cap_limit"].iloc[23] == pytest.approx(0.02 * (24_000 + issued))
    assert np.allclose(books["cap_writedown"], 0.0)


def test_the_previous_three_years_from_a_history() -> None:
    # 12 months of history at 100 units a month, product cost 30, expected warranty cost w per
    # unit: the 36 months before month 1 hold only those 12 months, 12 × 100 × (30 + w); 1 % of
    # it caps the idle stock at month 12. A non-zero prior_annual_cost_of_sales overrides it.
    product = {"unit_cost": 30.0, "history_months": 12}
    share = {"book_value_cap": {"share_of_trailing_cost_of_sales": 0.01}}
    sc = scenario([widget()], product=product, accounting=share)
    history = 1200 * (30.0 + expected_warranty_cost_per_unit(sc))
    books = account(idle_stock_log(24, [100] * 12 + [0] * 12), sc, 50.0).monthly
    assert books["book_value_cap_limit"].iloc[11] == pytest.approx(0.01 * history)
    override = {"share_of_trailing_cost_of_sales": 0.01, "prior_annual_cost_of_sales": 24000.0}
    sc = scenario([widget()], product=product, accounting={"book_value_cap": override})
    books = account(idle_stock_log(24, [100] * 12 + [0] * 12), sc, 50.0).monthly
    assert books["book_value_cap_limit"].iloc[11] == pytest.approx(0.01 * 72_000)


def idle_stock_log(horizon_months: int = 48, units_sold: list[int] | None = None):
    """100 parts bought at 10 on day 0 that no repair ever takes (book value 1,000 throughout)."""
    return make_log(
        horizon_months,
        units_sold=units_sold,
        purchases=[(0, 0.0, 100, PurchaseKind.INITIAL)],
        scrap=[(0, horizon_months * D, 100, ScrapReason.END_OF_HORIZON)],
    )


@pytest.mark.parametrize(
    ("cap", "limit"),
    [
        ({"absolute": 700.0}, 700.0),
        # 1 % of 36 months before month 1 at 24,000 a year: 0.01 × 72,000 = 720
        ({"share_of_trailing_cost_of_sales": 0.01, "prior_annual_cost_of_sales": 24000.0}, 720.0),
        # 1 % of this year's plan of 50,000 = 500
        ({"share_of_planned_cost_of_sales": 0.01, "planned_annual_cost_of_sales": 50000.0}, 500.0),
        # 80 turns a year on a plan of 50,000: at most 50,000 / 80 = 625
        ({"target_inventory_turns": 80.0, "planned_annual_cost_of_sales": 50000.0}, 625.0),
        # all four: the lowest, 500
        ({"absolute": 700.0, "share_of_trailing_cost_of_sales": 0.01,
          "prior_annual_cost_of_sales": 24000.0, "share_of_planned_cost_of_sales": 0.01,
          "target_inventory_turns": 80.0, "planned_annual_cost_of_sales": 50000.0}, 500.0),
    ],
)  # fmt: skip
def test_the_cap_from_each_control_point(cap: dict, limit: float) -> None:
    # the idle stock is worth 1,000 at month 12: 1,000 − limit is written down then
    books = account(idle_stock_log(24), stock_scenario(book_value_cap=cap), 50.0).monthly
    assert books["book_value_cap_limit"].iloc[11] == pytest.approx(limit)
    assert books["cap_writedown"].iloc[11] == pytest.approx(1000.0 - limit)


def test_the_auto_plan_is_the_planned_units_at_product_and_expected_warranty_cost() -> None:
    # 100 units a month for 12 months at (30 + w) each, w the model's expected warranty cost
    # per unit; 2 % of it caps the stock. In year 2 nothing is planned: no plan, no cap.
    sc = scenario(
        [widget()],
        product={"unit_cost": 30.0},
        accounting={"book_value_cap": {"share_of_planned_cost_of_sales": 0.02}},
    )
    plan = 1200 * (30.0 + expected_warranty_cost_per_unit(sc))
    books = account(idle_stock_log(36, [100] * 12 + [0] * 24), sc, 50.0).monthly
    assert books["book_value_cap_limit"].iloc[11] == pytest.approx(0.02 * plan)
    assert np.isinf(books["book_value_cap_limit"].iloc[23])


def test_three_tranches_finish_an_excess() -> None:
    # Cap 400 on idle stock worth 1,000: an excess of 600 found at month 12, written off as
    # 200 at months 12, 24 and 36; at month 24 the excess (800 − 400 = 400) is what is still
    # scheduled (2 × 200), so nothing is added. Book value 800, 600, 400; nothing more after.
    cap = {"absolute": 400.0, "tranches": 3}
    books = account(idle_stock_log(60), stock_scenario(book_value_cap=cap), 50.0).monthly
    assert books["cap_writedown"].iloc[[11, 23, 35]].tolist() == pytest.approx([200.0] * 3)
    assert books["spares_book_value_end"].iloc[[11, 23, 35, 47]].tolist() == pytest.approx(
        [800.0, 600.0, 400.0, 400.0]
    )
    assert books["cap_writedown"].sum() == pytest.approx(600.0)


def test_a_consumed_part_carries_its_cap_writedown_out() -> None:
    # Cap 400 on the 76 parts held at month 12 (760): 360 written down, each part keeps
    # 400/760. In month 13 two parts leave at 2 × 10 × 400/760 = 10.53 and take their share of
    # the allowance, 2 × 10 × 360/760 = 9.47, with them (结转); the allowance left on the 74
    # parts held is 74 × 10 × 360/760 = 350.53.
    books = account(
        stock_of_100_log(), stock_scenario(book_value_cap={"absolute": 400.0}), 50.0
    ).monthly
    assert books["spare_parts_cost"].iloc[12] == pytest.approx(20 * 400 / 760)
    assert books["cap_writedown_carried_out"].iloc[12] == pytest.approx(20 * 360 / 760)
    assert books["spares_writedowns_end"].iloc[12] == pytest.approx(740 * 360 / 760)


@pytest.mark.parametrize("reversal", [True, False])
def test_a_cap_writedown_reversed_when_the_cap_rises(reversal: bool) -> None:
    # 1 % of the cost of sales of the 36 months before the year closed. Month 12: 36 months at
    # 24,000 a year, 0.01 × 72,000 = 720 on idle stock of 1,000: 280 written down. Year 1 sells
    # 100 units a month at a product cost of 30: 36,000. Month 24: 0.01 × (48,000 + 36,000) =
    # 840 > 720, so 120 of the 280 is reversed (存货跌价准备转回), book value 840; under ASC 330
    # (writedown_reversal: false) nothing is, and the book value stays 720.
    sc = scenario(
        [widget()],
        product={"unit_cost": 30.0},
        accounting={"spares_treatment": "capitalise", "writedown_reversal": reversal,
                    "book_value_cap": {"share_of_trailing_cost_of_sales": 0.01,
                                       "prior_annual_cost_of_sales": 24000.0}},
    )  # fmt: skip
    books = account(idle_stock_log(36, [100] * 12 + [0] * 24), sc, 50.0).monthly
    assert books["cap_writedown"].iloc[11] == pytest.approx(280.0)
    assert books["book_value_cap_limit"].iloc[23] == pytest.approx(840.0)
    reversed_ = 120.0 if reversal else 0.0
    assert books["cap_writedown_reversal"].iloc[23] == pytest.approx(reversed_)
    assert books["cap_writedown"].iloc[23] == 0.0
    assert books["spares_book_value_end"].iloc[23] == pytest.approx(720.0 + reversed_)


def test_a_reversal_stops_at_the_earlier_writedown() -> None:
    # As above with a prior 12,000 a year: month 12, 0.02 × 36,000 = 720, 280 written down; month
    # 24: 0.02 × (24,000 + 36,000) = 1,200 > 1,000: only the 280 is reversed, book value 1,000
    # (the cost, never more).
    sc = scenario(
        [widget()],
        product={"unit_cost": 30.0},
        accounting={"spares_treatment": "capitalise",
                    "book_value_cap": {"share_of_trailing_cost_of_sales": 0.02,
                                       "prior_annual_cost_of_sales": 12000.0}},
    )  # fmt: skip
    books = account(idle_stock_log(36, [100] * 12 + [0] * 24), sc, 50.0).monthly
    assert books["cap_writedown_reversal"].iloc[23] == pytest.approx(280.0)
    assert books["spares_book_value_end"].iloc[23] == pytest.approx(1000.0)


def test_end_of_life_writes_off_leftover_and_books_its_scrap_value() -> None:
    # 24 months × 2 = 48 issued, 52 left. With a 36-month write-down they are 24 months old at the
    # end: 52 × 10 × 12/36 = 173.33 written off; scrap value 5 % × 10 × 52 = 26.
    sc = scenario([widget(scrap_value_share=0.05)], accounting={"age_writedown_months": 36})
    books = account(stock_of_100_log(), sc, 50.0).monthly
    assert books["end_of_life_writeoff"].iloc[-1] == pytest.approx(520 / 3, abs=CENT)
    assert books["salvage_income"].iloc[-1] == pytest.approx(26.0)
    assert books["spares_book_value_end"].iloc[-1] == pytest.approx(0.0, abs=1e-9)
    assert books["spares_book_value_gross_end"].iloc[-1] == pytest.approx(0.0, abs=1e-9)


def steady_claims_log(sales_months: int = 60, horizon_months: int = 96):
    """1000 units sold a month for ``sales_months``; exponential lives with λ = 0.01 a month and
    a 36-month warranty give each cohort λ × 1000 = 10 claims a month over the 36 months after
    each sale. Sales spread evenly over their month, so the first and the 37th month get half: 5."""
    claims = []
    for sale in range(sales_months):
        for k, n in [(0, 5), *[(k, 10) for k in range(1, 36)], (36, 5)]:
            day = (sale + k + 0.5) * D
            claims += [(0, day, day)] * n
    claims.sort()
    return make_log(
        horizon_months,
        units_sold=[1000] * sales_months + [0] * (horizon_months - sales_months),
        purchases=[(0, 0.0, len(claims), PurchaseKind.INITIAL)],
        claims=claims,
    )


def provision_scenario(accrual, sales_months: int = 60, horizon_months: int = 96):
    return scenario(
        [widget(unit_cost=100.0, life={"shape": 1.0, "scale_months": 100.0})],
        product={"sales_months": sales_months, "warranty_months": 36},
        service={"labour_cost_per_repair": 20.0, "logistics_cost_per_repair": 5.0},
        simulation={"horizon_months": horizon_months},
        accounting={"spares_treatment": "accrue_per_unit", "accrual_per_unit": accrual},
    )


def test_auto_accrual_is_the_renewal_cost_of_a_unit() -> None:
    # Exponential lives: M(t) = λt (Poisson), so M(36) = 0.36 claims per unit over the warranty,
    # each costing 100 + 20 + 5 = 125: 45 per unit. Tolerance: the renewal solver's grid.
    assert accrual_per_unit(provision_scenario("auto")) == pytest.approx(45.0, rel=2e-3)


def test_steady_provision_holds_half_a_warranty_of_claims() -> None:
    # Each unit sold accrues λ W × 125 = 45. At the end of month 60 the cohorts sold in months
    # 1-24 have claimed all 36 × 10, those of months 25-60 claimed 5 + 10 d for d = 0..35 months
    # since the sale month: Σ = 36 × 5 + 10 × 630 = 6,480; total 24 × 360 + 6,480 = 15,120 claims.
    # Provision = 60,000 × 45 − 15,120 × 125 = 810,000; a steady month draws 360 claims × 125 =
    # 45,000, so the provision holds 18 months of claims: W/2 (the cohorts in warranty are half
    # way through it on average).
    books = account(steady_claims_log(), provision_scenario(45.0), 50.0)
    assert books.monthly["warranty_provision_end"].iloc[59] == pytest.approx(810_000.0)
    assert books.kpis["provision_months_of_claims"] == pytest.approx(18.0)
    # and all that is left at the end is released: cohorts 1-60 claimed exactly what they accrued;
    # the year-end reviews find the balance right, up to the renewal solver's grid (M(t) = λt is
    # solved numerically: a few cents on 810,000)
    assert books.monthly["provision_release"].sum() == pytest.approx(0.0, abs=0.1)
    assert books.monthly["warranty_accrual"].sum() == pytest.approx(60_000 * 45.0, abs=0.1)
    assert books.monthly["warranty_provision_end"].iloc[-1] == pytest.approx(0.0, abs=1e-6)


def sales_log():
    """100 units a month at 50 for the first 12 of 24 months; the stock of 100 parts as above."""
    base = stock_of_100_log()
    return make_log(
        24,
        units_sold=[100] * 12 + [0] * 12,
        purchases=[(0, 0.0, 100, PurchaseKind.INITIAL)],
        claims=[(0, day, day) for day in base.claims.serve_day],
        scrap=[(0, 24 * D, 52, ScrapReason.END_OF_HORIZON)],
    )


def test_receivable_days_on_a_hand_built_ledger() -> None:
    # 5,000 of sales a month, paid 45 days after the sale (45/D = 1.478 months). At the end of
    # month 1 all 5,000 is open; from month 2 on, the last 45 days' sales, 5,000 × 45/D. Averaged
    # over the 12 sales months: 5,000 × (1 + 11 × 45/D)/12; per day 5,000/D of revenue:
    # DSO = (D + 11 × 45)/12 = 43.79 days.
    sc = scenario(sales_terms={"receivable_days": 45.0})
    books = account(sales_log(), sc, 50.0)
    assert books.monthly["receivables_end"].iloc[1] == pytest.approx(5000 * 45 / D)
    assert books.kpis["receivable_days"] == pytest.approx((D + 11 * 45) / 12)
    assert receivable_days(books.monthly) == books.kpis["receivable_days"]


def test_inventory_turnovers_on_a_hand_built_ledger() -> None:
    # No write-down: month-end book value 1000 − 20 m for m = 1..23, then 0 after end of life:
    # average (23,000 − 20 × 276)/24 = 728.33. Sales 60,000, all in months 1..12, whose
    # average book value is 870: the brief's turnover over the selling months is 60,000 / 870.
    # Spares issued at cost: 48 × 10 = 480 over 2 years: 240 / 728.33 = 0.3295.
    books = account(sales_log(), scenario(), 50.0)
    turns = inventory_turnovers(books.monthly)
    assert turns["inventory_turnover_sales"] == pytest.approx(60_000 / 870)
    assert turns["inventory_turnover_cost"] == pytest.approx(240 / (17_480 / 24))
    # fiscal year 1: average of 1000 − 20 m over m = 1..12 is 870; 60,000 / 870
    assert books.annual["inventory_turnover_sales"].iloc[0] == pytest.approx(60_000 / 870)


def test_performance_profit_adds_back_the_excluded_lines() -> None:
    # Bad debt 2 % of 5,000 a month (100) and the age write-down are added back by default;
    # a late penalty of 3 a day is added back only when the policy lists it.
    log = make_log(
        24,
        units_sold=[100] * 12 + [0] * 12,
        purchases=[(0, 0.0, 10, PurchaseKind.INITIAL)],
        claims=[(0, 10.0, 20.0)],  # waits 10 days, target 5: 5 days late, 15 of penalty
        scrap=[(0, 24 * D, 9, ScrapReason.END_OF_HORIZON)],
    )
    terms = {"receivable_days": 0.0, "bad_debt_rate": 0.02}
    service = {"late_penalty_per_day": 3.0}
    sc = scenario(sales_terms=terms, service=service, accounting={"age_writedown_months": 12})
    books = account(log, sc, 50.0).monthly
    assert books["bad_debt"].iloc[0] == pytest.approx(100.0)
    assert books["late_penalties"].iloc[0] == pytest.approx(15.0)
    gap = books["performance_profit"] - books["profit"]
    added = books["bad_debt"] + books["age_writedown"] - books["age_writedown_carried_out"]
    assert np.allclose(gap, added)
    assert books["age_writedown"].iloc[0] == pytest.approx(9 * 10 * (D - 0.0) / (12 * D))
    # The part issued on day 20 leaves at its cost (nothing written down yet); the 9 left are
    # fully written down by month 12 (9 × 10 = 90) and carry that 90 out when scrapped in month 24,
    # so appraisal profit is charged their cost then, and over the lifetime it is profit + bad debt.
    assert books["age_writedown"].sum() == pytest.approx(90.0)
    assert books["age_writedown_carried_out"].iloc[:-1].sum() == 0.0
    assert books["age_writedown_carried_out"].iloc[-1] == pytest.approx(90.0)
    assert gap.sum() == pytest.approx(books["bad_debt"].sum())
    only_penalties = scenario(
        sales_terms=terms,
        service=service,
        accounting={"performance_profit_excludes": ["late_penalties"]},
    )
    books = account(log, only_penalties, 50.0).monthly
    assert np.allclose(books["performance_profit"] - books["profit"], books["late_penalties"])


def test_chargeback_is_income_when_accepted_and_paid_in_full() -> None:
    # One supplier-fault claim served on day 5, on a part of list cost 10 with a 10 % uplift: spare
    # cost 11; the chargeback is 50 % of it, 5.50. The supplier accepts it 30 days later, day 35
    # (month 2): income 5.50 then (IAS 37 para 53: virtually certain only once accepted), paid in
    # full 90 days after that, day 125 (month 5: 125 / 30.44 = 4.1). The same claim rejected is
    # never income and never written off: nothing is booked for it.
    sc = scenario(
        [widget(supplier="acme")],
        suppliers={"acme": {"chargeback_share": 0.5, "recovery_rate": 0.8, "payment_days": 90.0,
                            "acceptance_days": 30.0, "price_uplift": 0.1}},
    )  # fmt: skip

    def books_of(accepted: bool):
        log = make_log(
            12,
            purchases=[(0, 0.0, 2, PurchaseKind.INITIAL)],
            claims=[(0, 5.0, 5.0)],
            supplier_fault=[True],
            chargeback_accepted=[accepted],
            scrap=[(0, 12 * D, 1, ScrapReason.END_OF_HORIZON)],
        )
        return account(log, sc, 50.0).monthly

    books = books_of(True)
    assert books["chargeback_income"].tolist() == pytest.approx([0.0, 5.5] + [0.0] * 10)
    assert books["chargeback_receivable_end"].iloc[3] == pytest.approx(5.5)
    assert books["chargeback_receivable_end"].iloc[4] == pytest.approx(0.0, abs=1e-12)
    assert books["cash_flow"].iloc[4] == pytest.approx(5.5)
    assert books["spare_parts_cost"].iloc[0] == pytest.approx(11.0)
    rejected = books_of(False)
    assert rejected["chargeback_income"].sum() == 0.0
    assert rejected["chargeback_unrecovered"].sum() == 0.0
    assert rejected["cash_flow"].sum() == pytest.approx(books["cash_flow"].sum() - 5.5)


def test_refurbished_part_reenters_stock_at_its_refurbishment_cost() -> None:
    # One part bought at 10 is issued on day 5 and its core refurbished for 3 by day 19; the
    # refurbished unit is issued on day 40 and expensed at 3, the refurbishment's cost.
    sc = scenario([widget(refurbish={"yield": 0.5, "cost": 3.0, "days": 14.0})])
    log = make_log(
        12,
        purchases=[(0, 0.0, 1, PurchaseKind.INITIAL)],
        claims=[(0, 5.0, 5.0), (0, 40.0, 40.0)],
        refurbished=[True, False],
        scrap=[(0, 40.0, 1, ScrapReason.RETURN_UNREPAIRABLE)],
    )
    books = account(log, sc, 50.0).monthly
    assert books["spare_parts_cost"].iloc[:2].tolist() == pytest.approx([10.0, 3.0])
    assert books["spares_book_value_end"].iloc[0] == pytest.approx(3.0)


def test_three_treatments_differ_in_timing_only() -> None:
    # The 100 parts (1,000) with 100 units sold a month for 12 months and no write-down:
    # capitalise expenses 2 × 10 = 20 a month as parts are used and writes off the 52 left
    # (520) at the end; expense_on_purchase expenses all 1,000 in month 1; accrue_per_unit
    # charges 0.5 × 100 = 50 a month to the provision while selling (600) and draws 20 a month from
    # it. The year-end review in month 12 re-estimates it: cohort i = 1..12 (100 units, λ = 0.01
    # a month, 12-month warranty, half a month old on average at the end of its month) has
    # 0.01 (i − 0.5) claims a unit left, Σ 100 × 0.01 (i − 0.5) = 72 claims × 10 = 720, against a
    # balance of 600 − 12 × 20 = 360: a top-up of 360 (month 12 costs 50 + 360 = 410). At the end
    # it releases 960 − 24 × 20 = 480 and writes off the 520 left (520 − 480 = 40). Lifetime: 1,000.
    spares = ["spare_parts_cost", "warranty_accrual", "end_of_life_writeoff"]
    cost = {}
    for treatment in ("capitalise", "expense_on_purchase", "accrue_per_unit"):
        sc = scenario(accounting={"spares_treatment": treatment, "accrual_per_unit": 0.5})
        books = account(sales_log(), sc, 50.0).monthly
        cost[treatment] = (books[spares].sum(axis=1) - books["provision_release"]).to_numpy()
    assert cost["capitalise"][:3].tolist() == [20.0] * 3
    assert cost["capitalise"][-1] == pytest.approx(20.0 + 520.0)
    assert cost["expense_on_purchase"][0] == 1000.0
    assert np.count_nonzero(cost["expense_on_purchase"]) == 1
    assert cost["accrue_per_unit"][:11].tolist() == [50.0] * 11
    assert cost["accrue_per_unit"][11] == pytest.approx(50.0 + 360.0, abs=1e-4)  # solver grid
    assert cost["accrue_per_unit"][-1] == pytest.approx(520.0 - 480.0, abs=1e-4)
    for timing in cost.values():
        assert timing.sum() == pytest.approx(1000.0, abs=CENT)


def test_accrual_and_age_writedown_charge_a_spare_once() -> None:
    # One unit sold in month 1 accrues 10 to the provision; one spare costing 10 is bought on
    # day 0 and written down straight-line over 2 months; a repair takes it in month 3. Six
    # months, so no fiscal year end (and no review) falls inside. The rule: a spare bought under
    # the accrual treatment is paid for by the provision, so its age write-down draws the
    # provision instead of being a second expense.
    #   month 1: accrual 10 (expense); age write-down 10 × D / 2D = 5 drawn: provision 5
    #   month 2: age write-down 5 drawn: provision 0, spare's book value 0
    #   month 3: the repair takes it at book value 0: draws 0; its 10 of write-down leaves with it
    # The spare's 10 reaches the P&L once (the accrual); nothing is released at the end. Before
    # the rule, the 10 of age write-down was an expense too, and the end of life released 10.
    log = make_log(
        6,
        units_sold=[1, 0, 0, 0, 0, 0],
        purchases=[(0, 0.0, 1, PurchaseKind.INITIAL)],
        claims=[(0, 2.5 * D, 2.5 * D)],
    )
    accrue = {"spares_treatment": "accrue_per_unit", "accrual_per_unit": 10.0}
    sc = scenario(accounting={**accrue, "age_writedown_months": 2})
    m = account(log, sc, 50.0).monthly
    assert m["warranty_accrual"].tolist() == [10.0, 0, 0, 0, 0, 0]
    assert m["age_writedown"].abs().sum() == 0.0
    assert m["provision_used"].iloc[:3].tolist() == pytest.approx([5.0, 5.0, 0.0])
    assert m["warranty_provision_end"].iloc[:3].tolist() == pytest.approx([5.0, 0.0, 0.0])
    assert m["provision_release"].sum() == 0.0
    assert m["spares_book_value_end"].iloc[:2].tolist() == pytest.approx([5.0, 0.0])
    # capitalised instead, the same spare costs the same 10, as age write-down (5 + 5)
    capitalised = account(log, scenario(accounting={"age_writedown_months": 2}), 50.0).monthly
    assert capitalised["age_writedown"].iloc[:2].tolist() == pytest.approx([5.0, 5.0])
    assert capitalised["profit"].sum() == pytest.approx(m["profit"].sum(), abs=CENT)


def test_months_of_claims_is_measured_at_steady_state() -> None:
    # 1,000 units a month for 36 of 72 months (test_accounting_handchecked.steady_claims_log's
    # pattern: each cohort claims 10 a month over the 36 months after its sale, 5 in the first and
    # the 37th). Each claim costs 100 + 20 + 5 = 125; each unit 0.36 claims × 125 = 45, accrued per
    # unit. At the end of month 36 (the last sales month, a fiscal year end) cohort i = 1..36 is
    # 36 − i + ½ months old on average, with 0.01 (i − ½) claims a unit to come:
    # Σ 1,000 × 0.01 (i − ½) = 10 × (666 − 18) = 6,480 claims × 125 = 810,000 in the provision
    # (the review agrees: 36,000 × 45 − (12,960 − 6,480) × 125 = 810,000).
    # Steady-state draw: the trailing year's 1,000 units a month × 45 a unit = 45,000 a month,
    # so 810,000 / 45,000 = 18.0 months. The old measure divided by the trailing year's own draws,
    # months 25-36, whose claims 5 + 10 (k − 1) average 300 × 125 = 37,500: 21.6 months, because
    # the young cohorts' claims were still ramping up.
    sc = provision_scenario(45.0, sales_months=36, horizon_months=72)
    books = account(steady_claims_log(sales_months=36, horizon_months=72), sc, 50.0)
    assert books.monthly["warranty_provision_end"].iloc[35] == pytest.approx(810_000.0, rel=1e-6)
    assert books.kpis["provision_months_of_claims"] == pytest.approx(18.0, rel=1e-6)
    trailing = books.monthly["provision_used"].iloc[24:36].mean()
    assert 810_000.0 / trailing == pytest.approx(21.6, rel=1e-6)
    assert np.all(books.monthly["warranty_provision_end"] >= -1e-6)
