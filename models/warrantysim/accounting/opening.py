"""The opening balance sheet of a continuing business (``opening_balance``) and its restatement.

The scenario states the books at the start of month 1 as the legacy books keep them, under the
status-quo policy: the warehouse at historic cost (``capitalise``, no write-down), receivables,
payables, cash and any warranty provision; the equity (opening retained earnings) is the plug
that makes them balance. The legacy lots are stock like any other: issued first in, first out
before anything bought later (they carry receipt days before day 0, −``age_months`` · D), aged
from their age for the age write-down, part of the cap's base.

Applying another policy to them is a change of accounting policy (CAS 28 第十一条, IAS 8 para 22:
retrospective application): the opening carrying amounts are restated as if the policy had
always applied, against opening retained earnings, net of the tax effect, and nothing of it
reaches the year's profit.

- age write-down over L months: each lot at cost · (1 − min(age / L, 1));
- ``expense_on_purchase``: the spares would have been expensed when bought: carrying amount 0;
- the tax effect: the restated carrying amounts lower the spares below their tax base (their
  cost), a deductible temporary difference, so the opening deferred tax asset grows by rate ×
  the restatement, recognised as far as :mod:`.tax` recognises any (the run's own profit over the
  forecast years). The legacy books' own deferred tax asset is that of their provision.

So ``opening_restatement`` = (restated − legacy carrying amount of the spares) + (restated −
legacy deferred tax asset): the change in opening equity, negative when the policy lowers it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warrantysim.accounting.chart import Account
from warrantysim.accounting.inventory import Layers
from warrantysim.accounting.ledger import FloatArray
from warrantysim.scenario import DAYS_PER_MONTH, OpeningBalance, Scenario, SparesTreatment

__all__ = [
    "OpeningBooks",
    "join_layers",
    "opening_books",
    "opening_differences",
    "opening_layers",
    "spares_carrying_amount",
    "spread_over_days",
]


def opening_layers(scenario: Scenario, part_names: tuple[str, ...]) -> Layers:
    """The legacy lots as stock layers, received ``age_months`` before day 0 (the log's order
    of parts)."""
    lots = scenario.opening_balance.spares
    rows = [
        (p, -lot.age_months * DAYS_PER_MONTH, lot.qty, lot.unit_cost)
        for p, name in enumerate(part_names)
        for lot in lots.get(name, [])
        if lot.qty > 0
    ]
    part, day, qty, cost = zip(*rows, strict=True) if rows else ((), (), (), ())
    return Layers(
        part=np.array(part, dtype=np.int64),
        day=np.array(day, dtype=np.float64),
        qty=np.array(qty, dtype=np.int64),
        unit_cost=np.array(cost, dtype=np.float64),
    )


def join_layers(a: Layers, b: Layers) -> Layers:
    return Layers(
        part=np.concatenate([a.part, b.part]),
        day=np.concatenate([a.day, b.day]),
        qty=np.concatenate([a.qty, b.qty]),
        unit_cost=np.concatenate([a.unit_cost, b.unit_cost]),
    )


def spares_carrying_amount(scenario: Scenario) -> float:
    """The legacy lots restated under the scenario's policy (module docstring)."""
    if scenario.accounting.spares_treatment is SparesTreatment.EXPENSE_ON_PURCHASE:
        return 0.0
    months = scenario.accounting.age_writedown_months
    return float(
        sum(
            lot.qty * lot.unit_cost * (1.0 - min(lot.age_months / months, 1.0) if months else 1.0)
            for lots in scenario.opening_balance.spares.values()
            for lot in lots
        )
    )


def spread_over_days(
    amount: float, days: float, horizon: int, settle_at_end: bool = True
) -> FloatArray:
    """``amount`` settled evenly over the days [0, ``days``), by month (all in month 1 for 0
    days); what falls after the horizon is settled in its last month, like every other term,
    unless the business continues (``settle_at_end`` false): then it is still open."""
    out = np.zeros(horizon)
    if amount == 0.0:
        return out
    if days <= 0.0:
        out[0] = amount
        return out
    edges = np.arange(horizon + 1) * DAYS_PER_MONTH
    covered = np.clip(edges, 0.0, days)
    out += amount * np.diff(covered) / days
    if settle_at_end:
        out[-1] += amount * max(days - edges[-1], 0.0) / days
    return out


@dataclass(frozen=True)
class OpeningBooks:
    """The restated opening balances and what the restatement changed (CNY)."""

    balances: FloatArray
    """Debit-positive balance of each account at month 0; they sum to zero (the equity is the
    plug, on ``Account.OPENING_EQUITY``)."""
    restatement: float
    """Restated − legacy opening equity (negative: the policy lowers it)."""
    legacy_equity: float

    @property
    def retained_earnings(self) -> float:
        return float(-self.balances[int(Account.OPENING_EQUITY)])


def opening_books(
    scenario: Scenario, deferred_tax_asset: float, legacy_deferred_tax_asset: float
) -> OpeningBooks:
    """The month-0 balances under the scenario's policy; the deferred tax assets (restated and
    legacy) come from :func:`warrantysim.accounting.tax.recognised_at_opening`."""
    opening: OpeningBalance = scenario.opening_balance
    cost = opening.spares_cost
    carrying = spares_carrying_amount(scenario)
    expensed = scenario.accounting.spares_treatment is SparesTreatment.EXPENSE_ON_PURCHASE
    balances = np.zeros(len(Account))
    balances[int(Account.CASH)] = opening.cash
    balances[int(Account.TRADE_RECEIVABLES)] = opening.receivables
    balances[int(Account.SPARES_INVENTORY)] = 0.0 if expensed else cost
    balances[int(Account.SPARES_WRITEDOWNS)] = 0.0 if expensed else carrying - cost
    balances[int(Account.WARRANTY_PROVISION)] = -opening.warranty_provision
    balances[int(Account.ACCOUNTS_PAYABLE)] = -opening.payables
    balances[int(Account.DEFERRED_TAX_ASSET)] = deferred_tax_asset
    balances[int(Account.OPENING_EQUITY)] = -balances.sum()
    legacy = (
        opening.cash + opening.receivables + cost - opening.payables
        - opening.warranty_provision + legacy_deferred_tax_asset
    )  # fmt: skip
    restated = float(-balances[int(Account.OPENING_EQUITY)])
    return OpeningBooks(balances, restated - legacy, legacy)


def opening_differences(scenario: Scenario) -> tuple[float, float]:
    """Deductible temporary differences at month 0, restated and legacy: the spares' tax base
    (cost) less their carrying amount, plus the provision (deducted when claims are paid)."""
    opening = scenario.opening_balance
    restated = opening.spares_cost - spares_carrying_amount(scenario)
    return restated + opening.warranty_provision, opening.warranty_provision
