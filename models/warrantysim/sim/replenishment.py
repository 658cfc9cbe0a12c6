"""The periodic replenishment decisions both engines take, and when they take them.

At each control day (:func:`control_days`: day 0, month ends, min/max reviews, the last buy) a
part's stock is counted, then decided: the last buy when it is due, else a min/max review, else
at a month's start the month's base-stock level. Both the fast path (sim/stock.py) and the SimPy
engine (sim/service.py) inherit :class:`Decisions` and supply the inventory position and how an
order is placed, so the rules are written once.
"""

from __future__ import annotations

from enum import Enum, auto

import numpy as np
from numpy.typing import NDArray

from warrantysim.scenario import DAYS_PER_MONTH, MinMax, Part
from warrantysim.sim.eventlog import PurchaseKind

__all__ = ["TOLERANCE_DAYS", "Decisions", "Mode", "control_days", "on_grid"]

TOLERANCE_DAYS = 1e-7
"""Instants closer than this are one instant (month ends against a review grid)."""


class Mode(Enum):
    BASE_STOCK = auto()
    MIN_MAX = auto()
    AFTER_LAST_BUY = auto()
    """One-for-one with level 0: order only what the stock and pipeline cannot cover."""


def control_days(part: Part, horizon_months: int) -> NDArray[np.float64]:
    """Instants at which a part's stock is counted (month ends) or decided (day 0, reviews,
    the last buy), sorted; instants a hair apart (within 1e-7 days) count as one, the first."""
    month_ends = np.arange(1, horizon_months + 1) * DAYS_PER_MONTH
    horizon_day = horizon_months * DAYS_PER_MONTH
    days = [np.zeros(1), month_ends]
    if isinstance(part.stocking, MinMax):
        days.append(np.arange(0.0, horizon_day, part.stocking.review_days))
    if part.last_buy is not None:
        days.append(np.array([(part.last_buy.month - 1) * DAYS_PER_MONTH]))
    edges = np.unique(np.concatenate(days))
    edges = edges[edges <= horizon_day]
    keep = np.concatenate([[True], np.diff(edges) > TOLERANCE_DAYS])
    return np.asarray(edges[keep], dtype=np.float64)


def on_grid(day: float, step: float) -> bool:
    if not np.isfinite(step):
        return False
    ratio = day / step
    return abs(ratio - round(ratio)) * step < TOLERANCE_DAYS


class Decisions:
    """Last buy, min/max review and base-stock level changes over an engine's own state.

    ``credits`` is the inventory position above S (left by a cut in S or by the last buy): the
    next claims that would order one absorb it instead.
    """

    part: Part
    mode: Mode
    credits: int
    level: int
    levels: NDArray[np.int64] | None
    last_buy_cover: int | None

    def _position(self) -> int:
        """On hand + on order + coming back from refurbishment − backorders (METRIC)."""
        raise NotImplementedError

    def _order(self, day: float, qty: int, kind: PurchaseKind) -> None:
        """Place an order (not if it could only arrive after the horizon's end)."""
        raise NotImplementedError

    def _decide(self, day: float) -> None:
        last_buy = self.part.last_buy
        due = last_buy is not None and day >= (last_buy.month - 1) * DAYS_PER_MONTH
        if due and self.mode is not Mode.AFTER_LAST_BUY:
            self._last_buy(day)
            return
        stocking = self.part.stocking
        if (
            self.mode is Mode.MIN_MAX
            and isinstance(stocking, MinMax)
            and on_grid(day, stocking.review_days)
        ):
            self._review(day, stocking)
        if self.mode is Mode.BASE_STOCK and day > 0 and on_grid(day, DAYS_PER_MONTH):
            self._set_level(day, round(day / DAYS_PER_MONTH))

    def _review(self, day: float, stocking: MinMax) -> None:
        position = self._position()
        if position <= stocking.min:
            self._order(day, stocking.max - position, PurchaseKind.REGULAR)

    def _set_level(self, day: float, month_index: int) -> None:
        """A new month's S: credits (IP − S) absorb a cut; a rise is ordered at once."""
        assert self.levels is not None
        new = int(self.levels[min(month_index, len(self.levels) - 1)])
        self.credits -= new - self.level
        self.level = new
        if self.credits < 0:
            self._order(day, -self.credits, PurchaseKind.REGULAR)
            self.credits = 0

    def _last_buy(self, day: float) -> None:
        assert self.last_buy_cover is not None
        position = self._position()
        qty = max(0, self.last_buy_cover - position)
        if qty:
            self._order(day, qty, PurchaseKind.LAST_BUY)
        self.mode = Mode.AFTER_LAST_BUY
        self.credits = max(0, position + qty)
