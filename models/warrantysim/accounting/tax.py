"""China corporate income tax (企业所得税): current tax, loss carry-forward, deferred tax assets.

Taxable profit (应纳税所得额) of a month is the profit before tax plus the change in the deductible
temporary differences D (CAS 18 / IAS 12): what the books have expensed and the tax law deducts
only when realised. Here D at a month end is

- the spares held: tax base (their cost; spares are deducted when consumed or scrapped) less their
  carrying amount: the write-down allowance (存货跌价准备), or the whole cost under
  ``expense_on_purchase``;
- the warranty provision (预计负债; deducted when claims are paid);
- the bad-debt allowance (坏账准备; deducted when the debt is written off).

So taxable profit, and every yuan of tax paid, is the same under the three spares treatments,
with or without write-downs and caps; only the tax *expense* moves between years with the books.

Tax years are calendar years (month 1 is January). A year's loss is carried forward
``loss_carry_forward_years`` years (5; 10 for a high-tech enterprise, 高新技术企业), used oldest
first, and expires unused after that (企业所得税法 第十八条). Current tax is booked year to date:
rate × max(taxable profit so far this year − losses available, 0), so the year's expense is the
year's tax. Payments as in China: a prepayment (预缴) within 15 days after each quarter, on the
year's tax so far less what was prepaid (the month after the quarter end), and the annual
settlement (汇算清缴) by 31 May of the next year (paid in May; a refund if overpaid). What falls
after the horizon is paid in its last month.

Deferred tax asset (递延所得税资产) = rate × (D + unused losses), recognised only to the extent
future taxable profit is probable (CAS 18 第十三条, IAS 12 para 24, 34). The rule here: the taxable
profit before the reversals is taken as the run's own profit before tax over the next
``deferred_tax_forecast_years`` years (the plan is the run, as a budget that is met); the asset is
capped at rate × that profit (at zero when it is a loss), and what the cap leaves out is reported
as ``deferred_tax_unrecognised``. At the horizon's end nothing lies ahead, so a run that ends
recognises no asset then and its lifetime tax expense is its lifetime tax paid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warrantysim.accounting.ledger import FloatArray
from warrantysim.scenario import Tax

MONTHS_PER_YEAR = 12
_SETTLEMENT_MONTH = 5
"""May: the annual settlement is due by 31 May of the next year."""


@dataclass(frozen=True)
class IncomeTax:
    """Monthly amounts (CNY; index 0 = month 1) and month-end balances of income tax."""

    taxable_profit: FloatArray
    current: FloatArray
    """Current tax expense (当期所得税费用)."""
    paid: FloatArray
    """Cash paid (negative: refunded)."""
    deferred_tax_asset: FloatArray
    """Recognised at each month end."""
    deferred_tax_unrecognised: FloatArray
    temporary_differences: FloatArray
    unused_losses: FloatArray
    expired_losses: FloatArray
    opening_deferred_tax_asset: float = 0.0
    """Recognised at month 0 on the opening balance's differences (``accounting/opening.py``)."""

    @property
    def deferred(self) -> FloatArray:
        """Deferred tax expense (递延所得税费用): the fall in the recognised asset."""
        return -np.diff(self.deferred_tax_asset, prepend=self.opening_deferred_tax_asset)


def income_tax(
    profit_before_tax: FloatArray,
    temporary_differences: FloatArray,
    tax: Tax,
    opening_differences: float = 0.0,
    settle_at_end: bool = True,
) -> IncomeTax:
    """Current tax, payments and the deferred tax asset (see the module docstring);
    ``opening_differences``: those of the opening balance sheet (no tax losses carried in)."""
    horizon = len(profit_before_tax)
    taxable = profit_before_tax + np.diff(temporary_differences, prepend=opening_differences)
    current, unused, expired = _current(taxable, tax)
    gross = tax.rate * (temporary_differences + unused)
    capped = np.minimum(gross, tax.rate * np.maximum(_forecast(profit_before_tax, tax), 0.0))
    return IncomeTax(
        taxable_profit=taxable,
        current=current,
        paid=_payments(current, horizon, settle_at_end),
        deferred_tax_asset=capped,
        deferred_tax_unrecognised=gross - capped,
        temporary_differences=np.asarray(temporary_differences, dtype=np.float64),
        unused_losses=unused,
        expired_losses=expired,
        opening_deferred_tax_asset=recognised_at_opening(opening_differences, profit_before_tax,
                                                         tax),
    )  # fmt: skip


def recognised_at_opening(differences: float, profit_before_tax: FloatArray, tax: Tax) -> float:
    """The deferred tax asset on month-0 differences, recognised by the rule of every month end:
    at most rate × the run's profit before tax over the forecast years from month 1."""
    window = tax.deferred_tax_forecast_years * MONTHS_PER_YEAR
    ahead = float(np.sum(profit_before_tax[:window]))
    return min(tax.rate * differences, tax.rate * max(ahead, 0.0))


def _current(taxable: FloatArray, tax: Tax) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Current tax by month (year to date), unused losses at month ends, losses expired."""
    horizon = len(taxable)
    current, unused, expired = np.zeros(horizon), np.zeros(horizon), np.zeros(horizon)
    pool: list[list[float]] = []  # [year of origin, amount left], oldest first
    for start in range(0, horizon, MONTHS_PER_YEAR):
        year = start // MONTHS_PER_YEAR
        months = range(start, min(start + MONTHS_PER_YEAR, horizon))
        available = sum(amount for _, amount in pool)
        so_far = tax_so_far = 0.0
        for m in months:
            so_far += float(taxable[m])
            owed = tax.rate * max(so_far - available, 0.0)
            current[m], tax_so_far = owed - tax_so_far, owed
            unused[m] = available - min(max(so_far, 0.0), available) + max(-so_far, 0.0)
        _use_losses(pool, so_far)
        if so_far < 0.0:
            pool.append([float(year), -so_far])
        last = months[-1]
        expired[last] = sum(a for y, a in pool if y <= year - tax.loss_carry_forward_years)
        pool[:] = [[y, a] for y, a in pool if y > year - tax.loss_carry_forward_years]
        unused[last] -= expired[last]
    return current, unused, expired


def _use_losses(pool: list[list[float]], taxable_year: float) -> None:
    """Set the year's profit off against the losses carried, oldest first (in place: the pool
    is this module's working list, not an input)."""
    left = max(taxable_year, 0.0)
    for entry in pool:
        used = min(entry[1], left)
        entry[1] -= used
        left -= used
    pool[:] = [entry for entry in pool if entry[1] > 0.0]


def _payments(current: FloatArray, horizon: int, settle_at_end: bool = True) -> FloatArray:
    """Quarterly prepayments the month after each quarter, the settlement in May next year;
    what falls after the horizon in its last month, or (a continuing business) owed at it."""
    paid = np.zeros(horizon + 1)
    for start in range(0, horizon, MONTHS_PER_YEAR):
        end = min(start + MONTHS_PER_YEAR, horizon)
        prepaid = 0.0
        for quarter_end in range(start + 2, end + 2, 3):
            q = min(quarter_end, end - 1)
            due = max(float(current[start : q + 1].sum()) - prepaid, 0.0)
            paid[min(q + 1, horizon)] += due
            prepaid += due
            if q == end - 1:
                break
        settle = min(start + MONTHS_PER_YEAR + _SETTLEMENT_MONTH - 1, horizon)
        paid[settle] += float(current[start:end].sum()) - prepaid
    if settle_at_end:
        paid[horizon - 1] += paid[horizon]
    return paid[:horizon]


def _forecast(profit_before_tax: FloatArray, tax: Tax) -> FloatArray:
    """Profit before tax over the ``deferred_tax_forecast_years`` after each month end."""
    window = tax.deferred_tax_forecast_years * MONTHS_PER_YEAR
    ahead = np.concatenate([np.cumsum(profit_before_tax[::-1])[::-1][1:], [0.0]])
    beyond = np.concatenate([ahead[window:], np.zeros(min(window, len(ahead)))])
    return np.asarray(ahead - beyond, dtype=np.float64)
