"""The monthly journal: balanced two-sided entries, summed per month and account.

Every entry debits one account and credits another by the same monthly amounts, so each month's
trial balance (the sum of all debit-positive postings) is zero by construction; the tests check it
anyway, because the statements and KPIs read the postings, not the entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from warrantysim.accounting.chart import BALANCE_SHEET, INCOME, PNL, Account

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Entry:
    """Debit ``debit`` and credit ``credit`` by ``amount`` (CNY per month, index 0 = month 1)."""

    memo: str
    debit: Account
    credit: Account
    amount: FloatArray


@dataclass(frozen=True)
class Ledger:
    """A replication's journal and its postings: ``postings[m, a]`` is month m+1's debit-positive
    movement on account a."""

    entries: tuple[Entry, ...]
    postings: FloatArray
    price: float
    extras: dict[str, FloatArray] = field(default_factory=dict)
    """Figures the statements need that are not postings (e.g. the cap's limit at each year end)."""

    @property
    def horizon_months(self) -> int:
        return int(self.postings.shape[0])

    def movement(self, account: Account) -> FloatArray:
        """Debit-positive movement per month."""
        return self.postings[:, int(account)]

    def balance(self, account: Account) -> FloatArray:
        """Debit-positive balance at each month's end (all accounts open at zero)."""
        return np.cumsum(self.movement(account))

    def line(self, account: Account) -> FloatArray:
        """A P&L line as the statements show it: incomes and expenses both positive when normal."""
        sign = -1.0 if account in INCOME else 1.0
        return sign * self.movement(account) + 0.0  # + 0.0 turns -0.0 into 0.0

    def profit(self) -> FloatArray:
        """Monthly profit: minus the sum of the P&L postings (credits are income)."""
        return np.asarray(-self.postings[:, [int(a) for a in PNL]].sum(axis=1), dtype=np.float64)


def post(
    entries: list[Entry], memo: str, debit: Account, credit: Account, amount: FloatArray
) -> None:
    """Append one balanced entry (helper for :func:`warrantysim.accounting.book.book`)."""
    entries.append(Entry(memo, debit, credit, np.asarray(amount, dtype=np.float64)))


def ledger_from_entries(
    entries: list[Entry], horizon_months: int, price: float, extras: dict[str, FloatArray]
) -> Ledger:
    postings = np.zeros((horizon_months, len(Account)))
    for entry in entries:
        postings[:, int(entry.debit)] += entry.amount
        postings[:, int(entry.credit)] -= entry.amount
    return Ledger(tuple(entries), postings, price, extras)


def trial_balance(ledger: Ledger) -> FloatArray:
    """Each month's sum of debit-positive postings over all accounts: zero when books balance."""
    return np.asarray(ledger.postings.sum(axis=1), dtype=np.float64)


def balance_sheet_gap(ledger: Ledger) -> FloatArray:
    """Assets − liabilities − retained earnings at each month's end: zero when the books balance."""
    net_assets = sum(ledger.balance(a) for a in BALANCE_SHEET)
    return np.asarray(net_assets - np.cumsum(ledger.profit()), dtype=np.float64)


def journal_table(ledger: Ledger) -> pd.DataFrame:
    """The journal as finance reads it: a row per entry and month with a non-zero amount."""
    rows = [
        (month + 1, entry.memo, entry.debit.column, entry.credit.column, float(amount))
        for entry in ledger.entries
        for month in np.flatnonzero(entry.amount)
        for amount in [entry.amount[month]]
    ]
    columns = ["month", "memo", "debit", "credit", "amount"]
    return pd.DataFrame(rows, columns=columns).sort_values(
        "month", kind="stable", ignore_index=True
    )
