"""The accrual treatment's provision: what is accrued and drawn, the reviews, and how they settle
with a book-value cap.

Under ``accrue_per_unit`` the warranty cost in cost of sales is the warranty expense the P&L
recognises: the accruals plus the reviews' top-ups less their releases (:mod:`.provision`). The
cap's control point on the trailing cost of sales (:mod:`.cap`) therefore counts the reviews too,
as the capitalise treatment's counts the spares issued at book value: the same cost of sales,
measured at the time each treatment recognises it (docs/design.md, "Book-value cap").

That makes the cap and the reviews depend on each other: a review deducts the write-downs of the
stock held (the cap's among them), and the cap of a year end reads the cost of sales of the
months before the fiscal year it closes. The dependence runs strictly forward in time (a cap at
year end m reads reviews at months ≤ m − 12, which read caps at months ≤ m − 12), so iterating
"value the stock, review" from reviews of zero fixes at least one more year end each pass and
stops, unchanged to the bit, after at most one pass per year end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from warrantysim.accounting import operations as ops
from warrantysim.accounting.inventory import Valuation
from warrantysim.accounting.ledger import FloatArray
from warrantysim.accounting.pricing import expected_warranty_cost_per_unit
from warrantysim.accounting.provision import Reviewed, review
from warrantysim.scenario import Scenario
from warrantysim.sim.conditioned import Followed, follow_positions
from warrantysim.sim.eventlog import EventLog


@dataclass(frozen=True)
class Settled:
    """The provision's monthly movements (CNY) once reviews and cap agree."""

    accrued: FloatArray
    drawn: FloatArray
    reviewed: Reviewed

    @property
    def review_expense(self) -> FloatArray:
        """The reviews' net warranty expense per month: top-ups less releases."""
        return np.asarray(self.reviewed.top_up - self.reviewed.release, dtype=np.float64)


def accrual_per_unit(scenario: Scenario) -> float:
    """The provision charged per unit sold; ``auto`` is the model's own expected warranty cost."""
    accrual = scenario.accounting.accrual_per_unit
    return expected_warranty_cost_per_unit(scenario) if accrual == "auto" else float(accrual)


def settle(
    log: EventLog, scenario: Scenario, value: Callable[[FloatArray | None], Valuation]
) -> tuple[Valuation, Settled]:
    """The stock's valuation and the provision's movements, consistent with each other.

    ``value(review_expense)``: the stock valued with the cap's cost of sales including that
    review expense (None: the accruals alone; also the answer when no cap reads cost of sales).
    """
    followed = follow_positions(log)
    valuation = value(None)
    settled = _reviewed(log, scenario, valuation, followed)
    if scenario.accounting.book_value_cap.share_of_trailing_cost_of_sales is None:
        return valuation, settled
    for _ in range(log.horizon_months // 12 + 2):  # one pass per year end fixes it, plus a check
        valuation = value(settled.review_expense)
        again = _reviewed(log, scenario, valuation, followed)
        if np.array_equal(again.review_expense, settled.review_expense):
            return valuation, again
        settled = again
    raise RuntimeError("provision reviews and the book-value cap did not settle")  # unreachable


def _reviewed(log: EventLog, scenario: Scenario, v: Valuation, followed: Followed) -> Settled:
    accrued = np.asarray(log.units_sold * accrual_per_unit(scenario), dtype=np.float64)
    drawn = v.issued_value + ops.labour_logistics(log, scenario) + v.age_writedown
    reviewed = review(log, scenario, accrued, drawn, allowance_held(v), followed)
    return Settled(accrued, drawn, reviewed)


def allowance_held(v: Valuation) -> FloatArray:
    """Accumulated write-downs on the stock held at each month end."""
    issued_allowance = v.issued_cost - v.issued_value
    return np.cumsum(
        v.age_writedown + v.cap_writedown - v.cap_writedown_reversed - issued_allowance
    )
