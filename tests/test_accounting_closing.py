"""At the horizon's end the books close: nothing is owed either way and cash is the profit.

The trial balance is zero by construction (every entry posts both sides), so it cannot catch a
wrong amount; these checks can. With no opening capital and no dividends, once receivables,
payables-like balances, stock and provision are all settled, cash at the end must equal the
lifetime profit; and cash is rebuilt here from the event log's money flows alone.
"""

from __future__ import annotations

import numpy as np
import pytest

from factories import part, replicate, scenario
from warrantysim.accounting import account
from warrantysim.accounting.pricing import product_unit_cost, spare_unit_cost, unit_price
from warrantysim.scenario import Scenario


def fleet(treatment: str, accrual: float | str = "auto") -> Scenario:
    parts = [
        part("board", unit_cost=900.0, life={"shape": 0.8, "scale_months": 60.0},
             supplier="acme", supplier_fault_share=0.5,
             refurbish={"yield": 0.4, "cost": 100.0, "days": 10}, scrap_value_share=0.05,
             stocking={"policy": "base_stock", "level": "auto"},
             last_buy={"month": 10, "service_level": 0.9}),
        part("fan", unit_cost=50.0, life={"shape": 2.0, "scale_months": 30.0},
             stocking={"policy": "min_max", "min": 20, "max": 80, "review_days": 7}),
    ]  # fmt: skip
    return scenario(
        parts,
        product={"units_per_month": 800, "sales_months": 12},
        suppliers={"acme": {"chargeback_share": 0.5, "recovery_rate": 0.8, "payment_days": 90,
                            "price_uplift": 0.02}},
        sales_terms={"receivable_days": 60, "bad_debt_rate": 0.01},
        service={"labour_cost_per_repair": 100.0, "logistics_cost_per_repair": 30.0,
                 "late_penalty_per_day": 20.0, "target_days": 3},
        quality={"screening_coverage": 0.5, "screening_cost_per_unit": 5.0},
        accounting={"spares_treatment": treatment, "accrual_per_unit": accrual,
                    "age_writedown_months": 12, "book_value_cap": {"absolute": 20000.0}},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("treatment", "accrual"),
    [("capitalise", "auto"), ("expense_on_purchase", "auto"), ("accrue_per_unit", "auto"),
     ("accrue_per_unit", 1.0), ("accrue_per_unit", 5000.0)],
)  # fmt: skip
def test_books_close_and_cash_is_lifetime_profit(treatment: str, accrual: float | str) -> None:
    spec = fleet(treatment, accrual)
    log = replicate(spec, 4, 0)
    books = account(log, spec, unit_price(spec))
    last = books.monthly.iloc[-1]
    for balance in ("receivables_end", "chargeback_receivable_end", "spares_book_value_end",
                    "warranty_provision_end"):  # fmt: skip
        assert last[balance] == pytest.approx(0.0, abs=1e-6), balance
    lifetime = books.monthly["profit"].sum()
    assert last["cash_end"] == pytest.approx(lifetime, abs=1e-4)
    assert last["cash_end"] == pytest.approx(cash_from_the_log(spec, log), abs=1e-4)
    # Releasing the provision is income; an under-accrual is more expense, never negative income.
    assert (books.monthly["provision_release"] >= 0).all()


def cash_from_the_log(spec: Scenario, log) -> float:
    """Every yuan in and out over the life, straight from the events and the scenario's prices."""
    price, service = unit_price(spec), spec.service
    units = log.units_sold.sum()
    sales_in = units * price * (1 - spec.sales_terms.bad_debt_rate)
    product_out = units * product_unit_cost(spec)
    unit_cost = np.array([spare_unit_cost(spec, p) for p in spec.parts])
    emergency_extra = np.array(
        [p.last_buy.emergency_premium if p.last_buy else 0.0 for p in spec.parts]
    )
    p = log.purchases
    premium = np.where(p.kind == 3, 1.0 + emergency_extra[p.part], 1.0)
    spares_out = float((p.qty * unit_cost[p.part] * premium).sum())
    c = log.claims
    n_claims = len(c.part)
    repairs_out = n_claims * (service.labour_cost_per_repair + service.logistics_cost_per_repair)
    late_days = np.maximum(c.wait_days + service.repair_days - service.target_days, 0.0)
    penalties_out = late_days.sum() * service.late_penalty_per_day
    refurb_cost = np.array([q.refurbish.cost if q.refurbish else 0.0 for q in spec.parts])
    refurb_out = refurb_cost[log.returns.part[log.returns.refurbished]].sum()
    scrap_share = np.array([q.scrap_value_share for q in spec.parts])
    s = log.scrap
    scrap_in = float((s.qty * unit_cost[s.part] * scrap_share[s.part]).sum())
    supplier = spec.suppliers["acme"]
    accepted = c.chargeback_accepted & (c.part == 0)  # the supplier's decisions, in the log
    chargeback_in = accepted.sum() * unit_cost[0] * supplier.chargeback_share
    screening_out = log.units_screened.sum() * spec.quality.screening_cost_per_unit
    return float(sales_in + scrap_in + chargeback_in - product_out - spares_out - repairs_out
                 - penalties_out - refurb_out - screening_out)  # fmt: skip
