"""The money of each physical event in the log, as monthly amounts (CNY; index 0 = month 1).

Pricing of events (the contract is docs/design.md "Accounting"; choices made here are named):
- a spare costs ``pricing.spare_unit_cost`` (list cost × (1 + supplier uplift)); an emergency order
  costs (1 + ``last_buy.emergency_premium``) times that when the part has a last buy; spares of a
  part with a supplier are paid ``payment_days`` after receipt (:mod:`.payables`), others on
  receipt;
- a refurbished part costs ``refurbish.cost``, paid when it is done; a failed refurbishment costs
  nothing (the yield is decided at inspection); the returned core carries no value;
- a repair costs labour + logistics when the spare is issued (a no-fault-found claim, which takes
  no spare, at its claim); the late penalty is charged per day by which the turnaround (claim to
  repaired) exceeds ``target_days``, when the repair is done;
- a supplier-fault claim that took a spare is put to the supplier, who decides
  ``acceptance_days`` after the spare was issued; the simulation draws the decision (accepted with
  probability ``recovery_rate``, ``claims.chargeback_accepted``). An accepted claim is income then
  (IAS 37 para 53 / CAS 13: only a virtually certain, 基本确定, reimbursement is recognised), a
  receivable of ``chargeback_share`` × spare cost paid ``payment_days`` later; a rejected claim is
  never income, so nothing is written off;
- a unit sold earns the price net of VAT, paid with its output VAT ``receivable_days`` after
  the sale, less ``bad_debt_rate`` written off on the due date against the allowance
  (:mod:`.receivables`); its product cost (``pricing.product_unit_cost``) is paid when it is
  sold, except its suppliers' components, paid on their terms with their input VAT
  (:mod:`.payables`, :mod:`.vat`); its screening cost is paid when it is sold.
  Screening's rejected parts are returned to the supplier at no cost;
- scrap earns ``scrap_value_share`` × spare cost in cash.
Amounts that fall due after the horizon are settled in its last month when the horizon ends
the business (``simulation.end_of_life``); a continuing business leaves them open (receivables,
chargebacks due, payables), for the terminal value to count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from warrantysim.accounting.inventory import Layers
from warrantysim.accounting.periods import delayed, sum_by
from warrantysim.accounting.pricing import net_unit_price, product_unit_cost, spare_unit_cost
from warrantysim.scenario import Part, Scenario
from warrantysim.sim.eventlog import EventLog, PurchaseKind, month_of

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class CashTerm:
    """An amount recognised in one month and settled (partly) later."""

    recognised: FloatArray
    collected: FloatArray
    written_off: FloatArray


def log_parts(log: EventLog, scenario: Scenario) -> list[Part]:
    """The scenario's parts in the log's order (part index i of the log is ``parts[i]``)."""
    return [scenario.part(name) for name in log.part_names]


def spare_costs(log: EventLog, scenario: Scenario) -> FloatArray:
    return np.array([spare_unit_cost(scenario, p) for p in log_parts(log, scenario)])


def layers(log: EventLog, scenario: Scenario) -> Layers:
    """Purchase receipts at their prices and refurbished parts at their refurbishment cost."""
    parts = log_parts(log, scenario)
    buy = log.purchases
    premium = np.array([p.last_buy.emergency_premium if p.last_buy else 0.0 for p in parts])
    emergency = buy.kind == PurchaseKind.EMERGENCY
    price = spare_costs(log, scenario)[buy.part] * (
        1.0 + np.where(emergency, premium[buy.part], 0.0)
    )
    back = log.returns.refurbished
    if not scenario.ends_at_horizon:  # refurbished after the horizon: not in these books
        back = back & (log.returns.done_day < log.horizon_day)
    refurb_cost = np.array([p.refurbish.cost if p.refurbish else 0.0 for p in parts])
    return Layers(
        part=np.concatenate([buy.part, log.returns.part[back]]).astype(np.int64),
        day=np.concatenate([buy.receipt_day, log.returns.done_day[back]]),
        qty=np.concatenate([buy.qty, np.ones(int(back.sum()), dtype=np.int64)]).astype(np.int64),
        unit_cost=np.concatenate([price, refurb_cost[log.returns.part[back]]]),
    )


def monthly(log: EventLog, days: FloatArray, amounts: FloatArray | float) -> FloatArray:
    """Sum ``amounts`` by the month of ``days``."""
    weights = np.broadcast_to(np.asarray(amounts, dtype=np.float64), np.shape(days))
    return sum_by(month_of(days, log.horizon_months), weights, log.horizon_months)


def settled(log: EventLog, scenario: Scenario, days: FloatArray, amounts: FloatArray) -> FloatArray:
    """Sum ``amounts`` by the month of ``days``; after the horizon: in its last month when it
    ends the business, else not at all (still open then)."""
    if scenario.ends_at_horizon:
        return monthly(log, days, amounts)
    return monthly(log, days, np.where(np.asarray(days) < log.horizon_day, amounts, 0.0))


def revenue(log: EventLog, scenario: Scenario, price: float) -> FloatArray:
    """Revenue net of VAT (营业收入)."""
    return np.asarray(log.units_sold * net_unit_price(scenario, price), dtype=np.float64)


def sales(log: EventLog, scenario: Scenario, price: float) -> CashTerm:
    """The receivable: revenue plus output VAT, owed ``receivable_days`` after the sale."""
    gross = revenue(log, scenario, price) * (1.0 + scenario.tax.vat_rate)
    due = delayed(gross, scenario.sales_terms.receivable_days, scenario.ends_at_horizon)
    rate = scenario.sales_terms.bad_debt_rate
    return CashTerm(gross, due * (1.0 - rate), due * rate)


def product_cost(log: EventLog, scenario: Scenario) -> FloatArray:
    return np.asarray(log.units_sold * product_unit_cost(scenario), dtype=np.float64)


def screening_cost(log: EventLog, scenario: Scenario) -> FloatArray:
    per_unit = scenario.quality.screening_cost_per_unit
    return np.asarray(log.units_screened * per_unit, dtype=np.float64)


def labour_logistics(log: EventLog, scenario: Scenario) -> FloatArray:
    service = scenario.service
    per_repair = service.labour_cost_per_repair + service.logistics_cost_per_repair
    return monthly(log, log.claims.serve_day, per_repair)


def late_penalties(log: EventLog, scenario: Scenario) -> FloatArray:
    service = scenario.service
    late_days = np.maximum(log.claims.turnaround_days - service.target_days, 0.0)
    return monthly(log, log.claims.repair_done_day, late_days * service.late_penalty_per_day)


@dataclass(frozen=True)
class ClaimChargebacks:
    """Each claim's accepted chargeback (0 if none) and when it is accepted and paid."""

    amount: FloatArray
    accept_day: FloatArray
    due_day: FloatArray


def claim_chargebacks(log: EventLog, scenario: Scenario) -> ClaimChargebacks:
    parts = log_parts(log, scenario)
    terms = [scenario.suppliers[p.supplier] if p.supplier else None for p in parts]
    share = np.array([t.chargeback_share if t else 0.0 for t in terms])
    acceptance_days = np.array([t.acceptance_days if t else 0.0 for t in terms])
    payment_days = np.array([t.payment_days if t else 0.0 for t in terms])
    claims = log.claims
    # no part, nothing to charge back; a rejected claim is never booked
    accepted = claims.chargeback_accepted & claims.supplier_fault & claims.takes_part
    amount = np.where(accepted, (share * spare_costs(log, scenario))[claims.part], 0.0)
    accept_day = claims.serve_day + acceptance_days[claims.part]
    return ClaimChargebacks(amount, accept_day, accept_day + payment_days[claims.part])


def chargebacks(
    log: EventLog, scenario: Scenario, claimed: ClaimChargebacks | None = None
) -> CashTerm:
    """Chargebacks recognised and collected by month; ``claimed``: :func:`claim_chargebacks`
    when the caller has it already."""
    charge = claim_chargebacks(log, scenario) if claimed is None else claimed
    return CashTerm(
        recognised=settled(log, scenario, charge.accept_day, charge.amount),
        collected=settled(log, scenario, charge.due_day, charge.amount),
        written_off=np.zeros(log.horizon_months),
    )


def salvage(log: EventLog, scenario: Scenario) -> FloatArray:
    share = np.array([p.scrap_value_share for p in log_parts(log, scenario)])
    value = (share * spare_costs(log, scenario))[log.scrap.part] * log.scrap.qty
    return monthly(log, log.scrap.day, value)
