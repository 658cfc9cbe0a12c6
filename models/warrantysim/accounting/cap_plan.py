"""The year-end cap of a scenario (:class:`.cap.CapRule`) as the books apply it: its year ends,
the cost of sales it is a share of, the previous years' cost of sales before month 1 (the
history's at the plan, or ``prior_annual_cost_of_sales``) and this year's plan."""

from __future__ import annotations

import numpy as np

from warrantysim.accounting import operations as ops
from warrantysim.accounting.cap import CapRule
from warrantysim.accounting.ledger import FloatArray
from warrantysim.accounting.periods import IntArray, year_end_indices
from warrantysim.accounting.pricing import expected_warranty_cost_per_unit, product_unit_cost
from warrantysim.scenario import Scenario, SparesTreatment
from warrantysim.sim.eventlog import EventLog
from warrantysim.sim.sales import history_units, planned_units

__all__ = ["cap_rule", "planned_cost_of_sales"]


def cap_rule(
    log: EventLog,
    scenario: Scenario,
    price: float,
    accrual_per_unit: float,
    review_expense: FloatArray | None = None,
) -> CapRule | None:
    """The cap of ``scenario`` on ``log``'s books (None without a control point);
    ``review_expense``: the provision reviews' net expense by month (:mod:`.accrual`)."""
    policy = scenario.accounting
    cap = policy.book_value_cap
    points = (cap.absolute, cap.share_of_trailing_cost_of_sales, cap.share_of_planned_cost_of_sales,
              cap.target_inventory_turns)  # fmt: skip
    if all(point is None for point in points):
        return None
    year_ends = year_end_indices(log.horizon_months, policy.fiscal_year_end_month)
    if scenario.ends_at_horizon:
        # the last month's stock is written off at end of life anyway; capping it first would
        # only move that write-off between two lines
        year_ends = year_ends[year_ends < log.horizon_months - 1]
    capitalise = policy.spares_treatment is SparesTreatment.CAPITALISE
    base = ops.product_cost(log, scenario)
    if capitalise:
        base = base + ops.labour_logistics(log, scenario)
    else:  # the warranty expense: accruals, and the reviews' top-ups less releases
        base = base + log.units_sold * accrual_per_unit
        base = base if review_expense is None else base + review_expense
    return CapRule(
        absolute=cap.absolute,
        share=cap.share_of_trailing_cost_of_sales,
        trailing_months=cap.trailing_months,
        prior_monthly_cost_of_sales=_prior_monthly_cost_of_sales(scenario, price),
        prior_months=_prior_months(scenario),
        year_ends=year_ends,
        base_cost_of_sales=base,
        issues_in_cost_of_sales=capitalise,
        planned_cost_of_sales=planned_cost_of_sales(scenario, price, year_ends, log.horizon_months),
        share_of_plan=cap.share_of_planned_cost_of_sales,
        target_turns=cap.target_inventory_turns,
        tranches=cap.tranches,
        reversal=policy.writedown_reversal,
    )


def _prior_months(scenario: Scenario) -> int | None:
    """With a history and no override, the months before month 1 with sales are the history's."""
    overridden = scenario.accounting.book_value_cap.prior_annual_cost_of_sales > 0
    history = scenario.product.history_months
    return history if history and not overridden else None


def _prior_monthly_cost_of_sales(scenario: Scenario, price: float) -> float:
    """``prior_annual_cost_of_sales`` / 12 if set (an override); else, with a history, its
    average month at the plan: units × (product unit cost + expected warranty cost per unit)."""
    cap = scenario.accounting.book_value_cap
    if cap.prior_annual_cost_of_sales > 0 or not scenario.product.history_months:
        return cap.prior_annual_cost_of_sales / 12.0
    per_unit = product_unit_cost(scenario) + expected_warranty_cost_per_unit(scenario)
    return float(history_units(scenario, price).mean()) * per_unit


def planned_cost_of_sales(
    scenario: Scenario, price: float, year_ends: IntArray, horizon_months: int
) -> FloatArray:
    """The plan of the fiscal year closed at each year end: the configured amount, or (``auto``)
    the planned units of its months × (product unit cost + expected warranty cost per unit)."""
    cap = scenario.accounting.book_value_cap
    if cap.share_of_planned_cost_of_sales is None and cap.target_inventory_turns is None:
        return np.zeros(len(year_ends))  # no plan control point: nothing to plan
    if cap.planned_annual_cost_of_sales != "auto":
        return np.full(len(year_ends), float(cap.planned_annual_cost_of_sales))
    per_unit = product_unit_cost(scenario) + expected_warranty_cost_per_unit(scenario)
    units = np.zeros(horizon_months)
    plan = planned_units(scenario, price)[:horizon_months]
    units[: len(plan)] = plan
    cumulative = np.concatenate([[0.0], np.cumsum(units)])
    first = np.maximum(year_ends + 1 - 12, 0)
    return np.asarray((cumulative[year_ends + 1] - cumulative[first]) * per_unit)
