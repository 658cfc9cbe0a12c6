"""Finance: the event log booked into a monthly double-entry ledger, statements and KPIs.

``account(log, scenario, price)`` is what the API calls; ``book`` gives the journal itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from warrantysim.accounting.accrual import accrual_per_unit
from warrantysim.accounting.book import book
from warrantysim.accounting.cas import balance_sheet, cash_flow_statement, income_statement
from warrantysim.accounting.chart import Account
from warrantysim.accounting.kpis import finance_kpis
from warrantysim.accounting.ledger import (
    Ledger,
    balance_sheet_gap,
    journal_table,
    postings_table,
    trial_balance,
)
from warrantysim.accounting.statements import annual_statement, monthly_statement
from warrantysim.scenario import Scenario
from warrantysim.sim.eventlog import EventLog

__all__ = [
    "Account",
    "AccountingTables",
    "Ledger",
    "account",
    "accrual_per_unit",
    "balance_sheet_gap",
    "book",
    "journal_table",
    "postings_table",
    "trial_balance",
]


@dataclass(frozen=True)
class AccountingTables:
    """One replication's books: a row per month, a row per fiscal year, and the finance KPIs."""

    monthly: pd.DataFrame
    annual: pd.DataFrame
    kpis: dict[str, float]
    ledger: Ledger

    def cas_statements(self) -> dict[str, pd.DataFrame]:
        """利润表, 资产负债表, 现金流量表 (:mod:`.cas`), by the name of their output file."""
        return {
            "income_statement": income_statement(self.monthly),
            "balance_sheet": balance_sheet(self.monthly),
            "cash_flow": cash_flow_statement(self.ledger, self.monthly),
        }


def account(log: EventLog, scenario: Scenario, price: float) -> AccountingTables:
    """Book the log under the scenario's accounting policy and report it."""
    ledger = book(log, scenario, price)
    monthly = monthly_statement(ledger, scenario)
    annual = annual_statement(monthly)
    return AccountingTables(monthly, annual, finance_kpis(monthly, annual, scenario), ledger)
