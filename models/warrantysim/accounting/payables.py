"""Trade payables (应付账款): what suppliers are owed for spares and product components.

A part with a ``supplier`` is bought on that supplier's terms: its spares (regular, last-buy and
emergency orders) are paid ``payment_days`` after receipt, and the components of each unit sold
(``qty_per_unit`` × list cost × (1 + uplift) of every part of the bill of materials it makes)
``payment_days`` after the sale (units sold evenly through the month, like the receivables).
What falls due after the horizon is paid in its last month. Refurbishment, labour and the rest of
the product cost are paid in cash when incurred.

Netting (``suppliers.NAME.netting: true``, 抵扣): a chargeback the supplier pays is set off
against what is due to it in the same month, Dr payables Cr chargeback receivable, up to what is
due then; the rest is paid in cash. Cash is the same either way (paying 100 and receiving 30, or
paying 70); the balance sheet and the cash-flow statement show it net.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warrantysim.accounting import operations as ops
from warrantysim.accounting.inventory import Layers
from warrantysim.accounting.ledger import FloatArray
from warrantysim.accounting.periods import delayed, sum_by
from warrantysim.scenario import Scenario
from warrantysim.sim.eventlog import EventLog, IntArray, month_of


@dataclass(frozen=True)
class Payables:
    """Monthly movements of the trade payables (CNY; index 0 = month 1)."""

    spares_on_credit: FloatArray
    """Spares received from suppliers, owed net of VAT (Dr inventory or expense, Cr payables);
    the input VAT on them is owed too (:mod:`.vat`)."""
    components_on_credit: FloatArray
    """Components of the units sold, owed (Dr product cost, Cr payables)."""
    paid: FloatArray
    """Cash paid to suppliers, VAT included (Dr payables, Cr cash)."""
    netted: FloatArray
    """Chargebacks set off against payables (Dr payables, Cr chargeback receivable)."""
    chargebacks_in_cash: FloatArray
    """Chargebacks the suppliers pay in cash (Dr cash, Cr chargeback receivable)."""


def payables(
    log: EventLog,
    scenario: Scenario,
    *,
    received: Layers | None = None,
    charge: ops.ClaimChargebacks | None = None,
) -> Payables:
    """Owed, paid and netted, summed over the suppliers (computed by supplier and month);
    ``received`` and ``charge``: ``operations.layers`` and ``operations.claim_chargebacks``
    when the caller has them already."""
    names = list(scenario.suppliers)
    supplier_of = _supplier_of_part(log, scenario, names)
    received = ops.layers(log, scenario) if received is None else received
    charge = ops.claim_chargebacks(log, scenario) if charge is None else charge
    spares, spares_due = _spares(log, scenario, supplier_of, len(names), received)
    components = np.array(
        [log.units_sold * components_per_unit(scenario, name) for name in names]
    ).reshape(len(names), log.horizon_months)
    days = [scenario.suppliers[name].payment_days for name in names]
    at_end = scenario.ends_at_horizon
    delays = [delayed(c, d, at_end) for c, d in zip(components, days, strict=True)]
    # what falls due includes the input VAT on the supplier's invoice (accounting/vat.py)
    gross = 1.0 + scenario.tax.vat_rate
    due = (spares_due + np.array(delays).reshape(len(names), log.horizon_months)) * gross
    refunds = _refunds(log, scenario, supplier_of, len(names), charge)
    netting = np.array([scenario.suppliers[name].netting for name in names], dtype=bool)
    netted = np.where(netting[:, None], np.minimum(due, refunds[:-1]), 0.0)
    return Payables(
        spares_on_credit=spares.sum(axis=0),
        components_on_credit=components.sum(axis=0),
        paid=(due - netted).sum(axis=0),
        netted=netted.sum(axis=0),
        chargebacks_in_cash=refunds.sum(axis=0) - netted.sum(axis=0),
    )


def components_per_unit(scenario: Scenario, supplier: str) -> float:
    """What one unit sold owes ``supplier`` for its parts: Σ qty × list cost × (1 + uplift)."""
    uplift = scenario.suppliers[supplier].price_uplift
    return sum(
        p.qty_per_unit * p.unit_cost * (1.0 + uplift)
        for p in scenario.parts
        if p.supplier == supplier
    )


def _supplier_of_part(log: EventLog, scenario: Scenario, names: list[str]) -> IntArray:
    """Each log part's supplier index into ``names``; len(names) for a part without one."""
    parts = ops.log_parts(log, scenario)
    index = [names.index(p.supplier) if p.supplier else len(names) for p in parts]
    return np.array(index, dtype=np.int64)


def _by_supplier_month(
    log: EventLog, supplier: IntArray, days: FloatArray, amounts: FloatArray, rows: int
) -> FloatArray:
    horizon = log.horizon_months
    flat = sum_by(supplier * horizon + month_of(days, horizon), amounts, rows * horizon)
    return flat.reshape(rows, horizon)


def _spares(
    log: EventLog, scenario: Scenario, supplier_of: IntArray, n_suppliers: int, received: Layers
) -> tuple[FloatArray, FloatArray]:
    """Spares bought from each supplier: received and due, shape (suppliers, months)."""
    days = np.array([scenario.suppliers[p.supplier].payment_days if p.supplier else 0.0
                     for p in ops.log_parts(log, scenario)])  # fmt: skip
    bought = len(log.purchases.part)  # layers list the purchases first, then refurbished parts
    part, day = received.part[:bought], received.day[:bought]
    amount = received.qty[:bought] * received.unit_cost[:bought]
    who = supplier_of[part]
    rows = n_suppliers + 1  # the last row: parts without a supplier, paid on receipt, dropped
    owed = _by_supplier_month(log, who, day, amount, rows)[:-1]
    due_day = day + days[part]
    if not scenario.ends_at_horizon:  # a continuing business still owes it at the horizon
        amount = np.where(due_day < log.horizon_day, amount, 0.0)
    due = _by_supplier_month(log, who, due_day, amount, rows)[:-1]
    return owed, due


def _refunds(
    log: EventLog,
    scenario: Scenario,
    supplier_of: IntArray,
    n_suppliers: int,
    charge: ops.ClaimChargebacks,
) -> FloatArray:
    """Accepted chargebacks paid, by supplier (last row: none) and month."""
    who = supplier_of[log.claims.part]
    amount = charge.amount
    if not scenario.ends_at_horizon:  # paid after the horizon: still receivable at it
        amount = np.where(charge.due_day < log.horizon_day, amount, 0.0)
    return _by_supplier_month(log, who, charge.due_day, amount, n_suppliers + 1)
