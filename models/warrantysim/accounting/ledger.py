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
    opening: FloatArray | None = None
    """Debit-positive balance of each account at month 0 (``accounting/opening.py``); None: all
    accounts open at zero. They sum to zero: the opening equity balances them."""

    @property
    def horizon_months(self) -> int:
        return int(self.postings.shape[0])

    def movement(self, account: Account) -> FloatArray:
        """Debit-positive movement per month."""
        return self.postings[:, int(account)]

    def opening_balance(self, account: Account) -> float:
        """Debit-positive balance at month 0 (the start of month 1)."""
        return 0.0 if self.opening is None else float(self.opening[int(account)])

    def balance(self, account: Account) -> FloatArray:
        """Debit-positive balance at each month's end, from the opening balance."""
        return self.opening_balance(account) + np.cumsum(self.movement(account))

    def retained_earnings(self) -> FloatArray:
        """Opening equity + the profits (after tax) so far, at each month's end."""
        return -self.opening_balance(Account.OPENING_EQUITY) + np.cumsum(self.profit())

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
    entries: list[Entry],
    horizon_months: int,
    price: float,
    extras: dict[str, FloatArray],
    opening: FloatArray | None = None,
) -> Ledger:
    postings = np.zeros((horizon_months, len(Account)))
    for entry in entries:
        postings[:, int(entry.debit)] += entry.amount
        postings[:, int(entry.credit)] -= entry.amount
    return Ledger(tuple(entries), postings, price, extras, opening)


def trial_balance(ledger: Ledger) -> FloatArray:
    """Each month's sum of debit-positive postings over all accounts: zero when books balance."""
    return np.asarray(ledger.postings.sum(axis=1), dtype=np.float64)


def balance_sheet_gap(ledger: Ledger) -> FloatArray:
    """Assets − liabilities − equity at each month's end: zero when the books balance."""
    net_assets = sum(ledger.balance(a) for a in BALANCE_SHEET if a is not Account.OPENING_EQUITY)
    return np.asarray(net_assets - ledger.retained_earnings(), dtype=np.float64)


def postings_table(ledger: Ledger) -> pd.DataFrame:
    """Every posting, as an auditor traces it: a debit row and a credit row per entry and month
    with a non-zero amount (``month``, ``account``, ``debit``, ``credit``, ``event``: the entry's
    memo, i.e. the kind of event it books). A negative amount is shown on the other side."""
    frames = []
    for entry in ledger.entries:
        months = np.flatnonzero(entry.amount)
        amount = entry.amount[months]
        debit_side = np.where(amount > 0, entry.debit.column, entry.credit.column)
        credit_side = np.where(amount > 0, entry.credit.column, entry.debit.column)
        size, zero = np.abs(amount), np.zeros(len(months))
        for account, debit, credit in ((debit_side, size, zero), (credit_side, zero, size)):
            frames.append(
                pd.DataFrame(
                    {
                        "month": months + 1,
                        "account": account,
                        "debit": debit,
                        "credit": credit,
                        "event": entry.memo,
                    }
                )
            )
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return table.sort_values("month", kind="stable", ignore_index=True)


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
