"""The year-end cap on the spares' book value (备件库账面规模总量控制, BRIEF §2 and §4).

Control points (the lowest configured one is the cap of that year end):
- ``absolute``: a fixed amount (the article's 15 million yuan);
- ``share`` × the cost of sales of the ``trailing_months`` before the fiscal year being closed
  (the article's "previous three years", 前三年; the year being closed is left out, so a manager
  cannot raise this year's cap by this year's own cost of sales); months before month 1 take
  ``prior_monthly_cost_of_sales``;
- ``share_of_plan`` × this year's planned cost of sales, and planned cost of sales / target
  inventory turns (a warehouse that turns at least ``target_turns`` a year holds at most
  plan / turns). Both apply only in years with a plan (run-off years plan no sales).

Tranches (分批处理完毕): an excess found at a year end is scheduled in ``tranches`` equal parts,
the first at that year end, so it is written off in full over that many year ends. When stock is
consumed meanwhile and the excess found at a later year end is smaller than what is still
scheduled, the schedule shrinks pro rata to it (never writing below the cap); when it is larger,
the new part is scheduled the same way.

Reversal (存货跌价准备转回, CAS 1 para 19 / IAS 2 para 33): with ``reversal`` on, at a year end
where the book value is below the cap and the stock still held carries cap write-downs, they are
reversed up to the cap, never beyond the age-written-down value (age write-downs are not
reversed). ASC 330-10-35-14 forbids it: ``reversal: false``.

The cap acts on the whole warehouse, pro rata: a write-down of a fraction f of the value leaves each
receipt group ("epoch", :mod:`.inventory`) (1 − f) of its value; a reversal moves each group's
factor F toward 1 by the same fraction t of its cap allowance, F + t(1 − F).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

MONTHS_PER_YEAR = 12


@dataclass(frozen=True)
class CapRule:
    """The year-end cap: its control points, tranches and whether it may be reversed."""

    absolute: float | None
    share: float | None
    trailing_months: int
    prior_monthly_cost_of_sales: float
    year_ends: IntArray
    """0-based months at which the cap is applied."""
    base_cost_of_sales: FloatArray
    """Monthly cost of sales without the spares issued to repairs."""
    issues_in_cost_of_sales: bool
    """True when spares issued to repairs are expensed into cost of sales (``capitalise``)."""
    planned_cost_of_sales: FloatArray = field(default_factory=lambda: np.zeros(0))
    """The planned cost of sales of the fiscal year closed at each year end (aligned with them)."""
    share_of_plan: float | None = None
    target_turns: float | None = None
    tranches: int = 1
    reversal: bool = True
    prior_months: int | None = None
    """How many months before month 1 had sales (``history_months``); None: as many as asked."""

    def prior_cost_of_sales(self, cost_of_sales: FloatArray, month: int) -> float:
        """Cost of sales of the ``trailing_months`` before the fiscal year closing at ``month``."""
        end = month + 1 - MONTHS_PER_YEAR  # first month of the year being closed (excluded)
        start = end - self.trailing_months
        inside = float(cost_of_sales[max(start, 0) : max(end, 0)].sum())
        before_month_1 = max(min(end, 0) - start, 0)
        if self.prior_months is not None:  # a history of h months: no sales before it
            before_month_1 = max(min(end, 0) - max(start, -self.prior_months), 0)
        return inside + before_month_1 * self.prior_monthly_cost_of_sales

    def limit(self, cost_of_sales: FloatArray, k: int) -> float:
        """The cap at the k-th year end: the lowest configured control point (∞ if none)."""
        limits = [] if self.absolute is None else [self.absolute]
        if self.share is not None:
            limits.append(self.share * self.prior_cost_of_sales(cost_of_sales, self.year_end(k)))
        plan = float(self.planned_cost_of_sales[k]) if k < len(self.planned_cost_of_sales) else 0.0
        if plan > 0.0 and self.share_of_plan is not None:
            limits.append(self.share_of_plan * plan)
        if plan > 0.0 and self.target_turns is not None:
            limits.append(plan / self.target_turns)
        return min(limits) if limits else math.inf

    def year_end(self, k: int) -> int:
        return int(self.year_ends[k])


def cap_factors(
    held: FloatArray, issued_u: FloatArray, cap: CapRule | None, horizon: int
) -> tuple[FloatArray, FloatArray]:
    """Π of the cap's scalings per receipt group after each month, and the cap at each year end.

    ``held``: age-written-down value (before any cap) of each group's units held at each month
    end; ``issued_u``: the same for the units issued in each month (for the cost of sales).
    """
    factors = np.ones_like(held)
    limits = np.full(horizon, np.nan)
    if cap is None:
        return factors, limits
    schedule = np.zeros(len(cap.year_ends) + cap.tranches)
    for k, month in enumerate(cap.year_ends):
        before = factors[:, month - 1] if month > 0 else np.ones(len(factors))
        value = float(before @ held[:, month])
        limits[month] = cap.limit(_cost_of_sales(cap, factors, issued_u), k)
        due = _tranche_due(schedule, k, max(value - limits[month], 0.0), cap.tranches)
        if due > 0.0 and value > 0.0:
            factors[: k + 1, month:] *= 1.0 - due / value
        elif cap.reversal and value < limits[month]:
            _reverse(factors, before, held, k, int(month), limits[month] - value)
    return factors, limits


def _tranche_due(schedule: FloatArray, k: int, excess: float, tranches: int) -> float:
    """Update the schedule (in place: the loop's own state) with the excess found; due now."""
    pending = float(schedule[k:].sum())
    if pending > excess:
        schedule[k:] *= excess / pending
    else:
        schedule[k : k + tranches] += (excess - pending) / tranches
    return float(schedule[k])


def _reverse(
    factors: FloatArray, before: FloatArray, held: FloatArray, k: int, month: int, room: float
) -> None:
    """Reverse cap write-downs on the stock held, up to ``room`` (the cap less the value)."""
    allowance = float((1.0 - before) @ held[:, month])  # cap write-downs still on the stock held
    if allowance <= 0.0:
        return
    t = min(room / allowance, 1.0)
    factors[: k + 1, month:] = (before[: k + 1] + t * (1.0 - before[: k + 1]))[:, None]


def previous(factors: FloatArray) -> FloatArray:
    """The factors in force during each month: those of the previous month end."""
    return np.hstack([np.ones((len(factors), 1)), factors[:, :-1]])


def _cost_of_sales(cap: CapRule, factors: FloatArray, issued_u: FloatArray) -> FloatArray:
    if not cap.issues_in_cost_of_sales:
        return cap.base_cost_of_sales
    issued = np.asarray((previous(factors) * issued_u).sum(axis=0), dtype=np.float64)
    return cap.base_cost_of_sales + issued
