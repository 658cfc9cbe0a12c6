"""The credit line and corporate income tax, solved together on everything booked before them.

Moved out of :mod:`.book` (issue 11): ``book`` posts the operations, VAT and period costs, then
hands the entries here. Tax paid is cash the line may have to lend, and the line's interest is
deductible, so the two are iterated to a fixed point (below).
"""

from __future__ import annotations

import numpy as np

from warrantysim.accounting.chart import Account as A
from warrantysim.accounting.financing import Borrowing, credit_line
from warrantysim.accounting.ledger import Entry, FloatArray, Ledger, ledger_from_entries, post
from warrantysim.accounting.tax import IncomeTax, income_tax
from warrantysim.scenario import Scenario
from warrantysim.sim.eventlog import EventLog


def book_financing_and_tax(
    entries: list[Entry], log: EventLog, scenario: Scenario, spares_cost_held: FloatArray
) -> dict[str, FloatArray]:
    """The credit line and income tax on every entry booked so far.

    They depend on each other (tax paid is cash the line may have to lend; interest is
    deductible), each month only on earlier months, so a fixed point is reached by iterating:
    each round changes interest by about rate/12 × tax rate of the last change. Every input is
    the same under the three spares treatments, so the tax paid and the loan are too.
    """
    horizon = log.horizon_months
    booked = ledger_from_entries(entries, horizon, 0.0, {})
    cash_before = booked.movement(A.CASH)
    differences = _temporary_differences(booked, spares_cost_held)
    loan = credit_line(cash_before, scenario.financing)
    for _ in range(50):
        tax = income_tax(booked.profit() - loan.interest, differences, scenario.tax)
        again = credit_line(cash_before - tax.paid, scenario.financing)
        converged = np.abs(again.interest - loan.interest).max(initial=0.0) < 1e-7
        loan = again
        if converged:
            break
    tax = income_tax(booked.profit() - loan.interest, differences, scenario.tax)
    _post_loan(entries, loan)
    _post_tax(entries, tax)
    return {
        "taxable_profit": tax.taxable_profit,
        "temporary_differences_end": tax.temporary_differences,
        "unused_tax_losses_end": tax.unused_losses,
        "expired_tax_losses": tax.expired_losses,
        "deferred_tax_unrecognised_end": tax.deferred_tax_unrecognised,
    }


def _temporary_differences(booked: Ledger, spares_cost_held: FloatArray) -> FloatArray:
    """Deductible temporary differences at month ends: spares (tax base = cost held, less the
    carrying amount), the warranty provision and the bad-debt allowance (:mod:`.tax`)."""
    carrying = booked.balance(A.SPARES_INVENTORY) + booked.balance(A.SPARES_WRITEDOWNS)
    spares = spares_cost_held - carrying
    provision = -booked.balance(A.WARRANTY_PROVISION)
    allowance = -booked.balance(A.BAD_DEBT_ALLOWANCE)
    return np.asarray(spares + provision + allowance, dtype=np.float64)


def _post_loan(entries: list[Entry], loan: Borrowing) -> None:
    post(entries, "credit line drawn", A.CASH, A.SHORT_TERM_BORROWING, loan.drawn)
    post(entries, "credit line repaid", A.SHORT_TERM_BORROWING, A.CASH, loan.repaid)
    post(entries, "interest paid", A.INTEREST_EXPENSE, A.CASH, loan.interest)


def _post_tax(entries: list[Entry], tax: IncomeTax) -> None:
    def split(amount: FloatArray) -> tuple[FloatArray, FloatArray]:
        return np.maximum(amount, 0.0), np.maximum(-amount, 0.0)

    charge, credit = split(tax.current)  # year to date: a loss after a profit gives some back
    post(entries, "current income tax", A.INCOME_TAX_CURRENT, A.INCOME_TAX_PAYABLE, charge)
    post(entries, "current income tax reversed", A.INCOME_TAX_PAYABLE, A.INCOME_TAX_CURRENT,
         credit)  # fmt: skip
    paid, refunded = split(tax.paid)
    post(entries, "income tax paid", A.INCOME_TAX_PAYABLE, A.CASH, paid)
    post(entries, "income tax refunded", A.CASH, A.INCOME_TAX_PAYABLE, refunded)
    grown, fallen = split(np.diff(tax.deferred_tax_asset, prepend=0.0))
    post(entries, "deferred tax asset recognised", A.DEFERRED_TAX_ASSET, A.INCOME_TAX_DEFERRED,
         grown)  # fmt: skip
    post(entries, "deferred tax asset reversed", A.INCOME_TAX_DEFERRED, A.DEFERRED_TAX_ASSET,
         fallen)  # fmt: skip
