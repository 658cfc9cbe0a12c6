"""The credit line (短期借款): drawn when cash would go negative, repaid from any surplus.

Month by month (amounts at month ends): interest on the balance drawn at the previous month end,
``interest_rate`` / 12, is paid in cash (财务费用); if cash before financing would be negative the
line is drawn by the shortfall (up to ``credit_line``), otherwise any surplus repays what is
drawn (a cash sweep: the cheapest way to hold no idle cash against a loan). So cash is never
negative while the limit holds; beyond it cash goes negative and ``min_cash`` shows by how much.
A balance left at the horizon's end stays a liability on the balance sheet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warrantysim.accounting.ledger import FloatArray
from warrantysim.scenario import Financing


@dataclass(frozen=True)
class Borrowing:
    """Monthly movements of the credit line (CNY; index 0 = month 1)."""

    drawn: FloatArray
    repaid: FloatArray
    interest: FloatArray


def credit_line(
    cash_flow: FloatArray, financing: Financing, opening_cash: float = 0.0
) -> Borrowing:
    """Draws, repayments and interest given the monthly cash flow before financing and the cash
    at month 0."""
    horizon = len(cash_flow)
    drawn, repaid, interest = np.zeros(horizon), np.zeros(horizon), np.zeros(horizon)
    if financing.credit_line is None:
        return Borrowing(drawn, repaid, interest)
    monthly_rate = financing.interest_rate / 12.0
    cash, loan = opening_cash, 0.0
    for m in range(horizon):  # sequential by nature: each month's interest is on the last balance
        interest[m] = loan * monthly_rate
        cash += float(cash_flow[m]) - interest[m]
        if cash < 0.0:
            drawn[m] = min(-cash, financing.credit_line - loan)
        else:
            repaid[m] = min(cash, loan)
        loan += drawn[m] - repaid[m]
        cash += drawn[m] - repaid[m]
    return Borrowing(drawn, repaid, interest)
