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
from warrantysim.accounting.ledger import FloatArray
from warrantysim.accounting.periods import delayed
from warrantysim.scenario import Scenario
from warrantysim.sim.eventlog import EventLog


@dataclass(frozen=True)
class Payables:
    """Monthly movements of the trade payables (CNY; index 0 = month 1)."""

    spares_on_credit: FloatArray
    """Spares received from suppliers, owed (Dr inventory or expense, Cr payables)."""
    components_on_credit: FloatArray
    """Components of the units sold, owed (Dr product cost, Cr payables)."""
    paid: FloatArray
    """Cash paid to suppliers (Dr payables, Cr cash)."""
    netted: FloatArray
    """Chargebacks set off against payables (Dr payables, Cr chargeback receivable)."""
    chargebacks_in_cash: FloatArray
    """Chargebacks the suppliers pay in cash (Dr cash, Cr chargeback receivable)."""


def payables(log: EventLog, scenario: Scenario) -> Payables:
    """Owed, paid and netted, summed over the suppliers."""
    horizon = log.horizon_months
    totals = {name: np.zeros(horizon) for name in Payables.__dataclass_fields__}
    for supplier in scenario.suppliers:
        for name, amount in _one_supplier(log, scenario, supplier).items():
            totals[name] = totals[name] + amount
    unsupplied = ops.chargebacks(log, scenario).collected - sum(
        ops.chargebacks(log, scenario, s).collected for s in scenario.suppliers
    )
    totals["chargebacks_in_cash"] = totals["chargebacks_in_cash"] + unsupplied
    return Payables(**totals)


def spares_bought_on_credit(log: EventLog, scenario: Scenario) -> FloatArray:
    """The spares of parts with a supplier received each month, at their price."""
    return _spares(log, scenario, None)[0]


def components_per_unit(scenario: Scenario, supplier: str) -> float:
    """What one unit sold owes ``supplier`` for its parts: Σ qty × list cost × (1 + uplift)."""
    uplift = scenario.suppliers[supplier].price_uplift
    return sum(
        p.qty_per_unit * p.unit_cost * (1.0 + uplift)
        for p in scenario.parts
        if p.supplier == supplier
    )


def _one_supplier(log: EventLog, scenario: Scenario, supplier: str) -> dict[str, FloatArray]:
    terms = scenario.suppliers[supplier]
    spares, spares_due = _spares(log, scenario, supplier)
    components = np.asarray(
        log.units_sold * components_per_unit(scenario, supplier), dtype=np.float64
    )
    due = spares_due + delayed(components, terms.payment_days)
    refunds = ops.chargebacks(log, scenario, supplier).collected
    netted = np.minimum(due, refunds) if terms.netting else np.zeros_like(due)
    return {
        "spares_on_credit": spares,
        "components_on_credit": components,
        "paid": due - netted,
        "netted": netted,
        "chargebacks_in_cash": refunds - netted,
    }


def _spares(
    log: EventLog, scenario: Scenario, supplier: str | None
) -> tuple[FloatArray, FloatArray]:
    """Spares bought from ``supplier`` (any supplier if None): received and due, by month."""
    parts = ops.log_parts(log, scenario)
    owed = np.array(
        [p.supplier is not None and (supplier is None or p.supplier == supplier) for p in parts]
    )
    days = np.array([scenario.suppliers[p.supplier].payment_days if p.supplier else 0.0
                     for p in parts])  # fmt: skip
    received = ops.layers(log, scenario)
    bought = received.day.size - log.returns.refurbished.sum()  # layers: purchases first
    part, day = received.part[:bought], received.day[:bought]
    amount = np.where(owed[part], received.qty[:bought] * received.unit_cost[:bought], 0.0)
    return ops.monthly(log, day, amount), ops.monthly(log, day + days[part], amount)
