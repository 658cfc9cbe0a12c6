"""Calendar arithmetic of the books: fiscal years, year ends, payment terms, discounting.

Month 1 is taken to be calendar month 1 (January), so ``fiscal_year_end_month: 12`` closes the books
at months 12, 24, …; ``3`` at months 3, 15, …, the first fiscal year being short.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from warrantysim.scenario import DAYS_PER_MONTH

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def fiscal_year(months: IntArray, year_end_month: int) -> IntArray:
    """Fiscal year (1-based) of each 1-based month; year 1 ends at the first ``year_end_month``."""
    return (np.asarray(months) - year_end_month + 11) // 12 + 1


def year_end_indices(horizon_months: int, year_end_month: int) -> IntArray:
    """0-based indices of the months that close a fiscal year inside the horizon."""
    months = np.arange(1, horizon_months + 1)
    return np.nonzero((months - year_end_month) % 12 == 0)[0]


def delayed(
    monthly_amount: FloatArray, delay_days: float, settle_at_end: bool = True
) -> FloatArray:
    """When amounts spread evenly over each month's days fall due ``delay_days`` later.

    Month m's amount covers [m, m+1) in months; shifted by d = delay_days / D it covers
    [m + d, m + d + 1), i.e. (1 − frac(d)) in month m + ⌊d⌋ and frac(d) in the next. What falls
    due after the horizon is settled in its last month, so every account is closed at the end;
    a continuing business (``settle_at_end`` false) leaves it open, due after the horizon.
    """
    horizon = len(monthly_amount)
    shift = delay_days / DAYS_PER_MONTH
    whole, frac = int(np.floor(shift)), shift - np.floor(shift)
    first = np.arange(horizon) + whole
    second = first + 1
    inside = (first < horizon) | settle_at_end, (second < horizon) | settle_at_end
    first, second = np.minimum(first, horizon - 1), np.minimum(second, horizon - 1)
    out = sum_by(first, np.where(inside[0], monthly_amount * (1.0 - frac), 0.0), horizon)
    return out + sum_by(second, np.where(inside[1], monthly_amount * frac, 0.0), horizon)


def sum_by(index: IntArray, weights: FloatArray, size: int) -> FloatArray:
    """``np.bincount`` with weights, typed as the float array it is."""
    return np.asarray(np.bincount(index, weights=weights, minlength=size), dtype=np.float64)


def discount_factors(horizon_months: int, annual_rate: float) -> FloatArray:
    """(1 + r)^(−m/12) for the end of months m = 1..H: amounts are taken to flow at month ends."""
    months = np.arange(1, horizon_months + 1, dtype=np.float64)
    return np.power(1.0 + annual_rate, -months / 12.0)
