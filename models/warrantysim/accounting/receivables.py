"""Trade receivables and their bad-debt allowance (坏账准备, CAS 22 / IFRS 9 expected credit loss).

At every month end the allowance is the expected loss on the receivables still open: each open
yuan is lost with probability ``bad_debt_rate`` (the simplified approach for trade receivables
without a financing component, IFRS 9 para 5.5.15), so allowance = rate × open receivables. The
month's credit-impairment loss (信用减值损失) is what brings the allowance there after the
write-offs of the month (Dr allowance, Cr receivables on the due date):

    loss_m = allowance_m − allowance_(m−1) + written_off_m.

With the model's terms this is rate × the month's revenue (the receivable is open in full until its
due date, when (1 − rate) is collected and rate written off), so the loss is recognised when the
sale is, not when the debt goes bad; over a run that settles everything it totals the write-offs.
"""

from __future__ import annotations

import numpy as np

from warrantysim.accounting.ledger import FloatArray
from warrantysim.accounting.operations import CashTerm


def allowance(sale: CashTerm, bad_debt_rate: float) -> FloatArray:
    """The allowance at each month end: rate × the receivables open then."""
    open_receivables = np.cumsum(sale.recognised - sale.collected - sale.written_off)
    return np.asarray(bad_debt_rate * open_receivables, dtype=np.float64)


def credit_loss(sale: CashTerm, bad_debt_rate: float) -> FloatArray:
    """The month's credit-impairment loss (see the module docstring)."""
    held = allowance(sale, bad_debt_rate)
    return np.diff(held, prepend=0.0) + sale.written_off
