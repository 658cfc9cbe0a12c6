"""The fast path: one part's stock as window arithmetic, exact for fixed lead times, unlimited
repair capacity and claims that all take a part (sim/service.py is the SimPy engine, the model's
semantics; tests/test_sim_engines.py shows both give identical event logs where this applies).

The process advances in windows no longer than the shortest delay by which anything done inside a
window can come back as supply: the lead time, repair plus refurbishment, the review period. Then
every unit of supply that arrives inside a window was ordered or returned before it, and the
window's events can be settled exactly, as a batch, when the window closes:

* FCFS matching. Supplies are interchangeable, so the k-th waiting claim (in claim order) gets the
  k-th unit of supply to become available: it is served at max(claim day, k-th supply day).
* One-for-one ordering (base stock, and after a last buy). The inventory position counts parts
  coming back from refurbishment (METRIC, Sherbrooke 1968), so a claim whose part will be
  refurbished leaves it unchanged and orders nothing; any other claim orders a replacement unless
  the position is above its level ("credits", left by a cut in S or by the last buy).

Month ends, reviews and the last buy are window boundaries, so stock is counted and decided at
exactly those instants. Orders that could not arrive before the horizon's end are not placed; at
the end, claims still waiting are served by an emergency purchase and leftover stock is scrapped.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field

import numpy as np
import simpy
from numpy.typing import NDArray

from warrantysim.scenario import DAYS_PER_MONTH, MinMax, Part, Scenario
from warrantysim.sim.eventlog import PurchaseKind
from warrantysim.sim.replenishment import TOLERANCE_DAYS, Decisions, Mode, control_days

_EMPTY = np.zeros(0)


@dataclass(frozen=True)
class OrderChunk:
    """Orders placed together or one after another, a row each."""

    order_day: NDArray[np.float64]
    qty: NDArray[np.int64]
    kind: NDArray[np.int64]
    """A :class:`PurchaseKind` per row."""
    receipt_day: NDArray[np.float64]


def opening_qty(scenario: Scenario) -> NDArray[np.int64]:
    """Spares of each part (scenario order) on the shelf at month 0 (``opening_balance``)."""
    lots = scenario.opening_balance.spares
    qty = [sum(lot.qty for lot in lots.get(part.name, [])) for part in scenario.parts]
    return np.array(qty, dtype=np.int64)


def initial_stock(part: Part, level: int, opening: int) -> tuple[int, int]:
    """The day-0 buy and the credits: the opening stock is topped up to the first level (base
    stock S, min/max max); what it holds above S is used up before anything is ordered."""
    stocking = part.stocking
    target = stocking.max if isinstance(stocking, MinMax) else level
    credits = 0 if isinstance(stocking, MinMax) else max(opening - target, 0)
    return max(target - opening, 0), credits


def recoverable(part: Part, refurb_draw: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Which claims' parts refurbishment will recover (one draw per claim against the yield)."""
    if part.refurbish is None:
        return np.zeros(len(refurb_draw), dtype=bool)
    return refurb_draw < part.refurbish.yield_


@dataclass
class StockOutcome:
    """What the process did; lists of rows become the event log's tables."""

    serve_day: NDArray[np.float64]
    refurbished: NDArray[np.bool_]
    return_day: NDArray[np.float64]
    done_day: NDArray[np.float64]
    orders: list[OrderChunk] = field(default_factory=list)
    """Orders in the order placed, in chunks."""
    end_scrap: int = 0
    emergency_at_close: int = 0
    snapshots: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Month-end (on hand, backorders, on order, in refurbishment)."""

    @classmethod
    def empty(cls, n: int) -> StockOutcome:
        """Before the run, for ``n`` claims: nothing served yet."""
        return cls(np.full(n, np.nan), np.zeros(n, bool), np.full(n, np.nan), np.full(n, np.nan))


class PartStock(Decisions):
    """State of one part's stock; ``run`` is the SimPy process."""

    def __init__(
        self,
        env: simpy.Environment,
        part: Part,
        claim_day: NDArray[np.float64],
        refurb_draw: NDArray[np.float64],
        *,
        levels: NDArray[np.int64] | None,
        last_buy_cover: int | None,
        repair_days: float,
        horizon_months: int,
        scrap_at_end: bool = True,
        opening: int = 0,
    ) -> None:
        self.env, self.part, self.claim_day = env, part, claim_day
        self.opening = opening
        self.scrap_at_end = scrap_at_end
        self.lead_time_days = part.mean_lead_time_days  # the fast path serves fixed times only
        self.horizon_day = horizon_months * DAYS_PER_MONTH
        self.repair_days = repair_days
        self.levels = levels
        self.level = int(levels[0]) if levels is not None and len(levels) else 0
        self.last_buy_cover = last_buy_cover
        n = len(claim_day)
        self.refurb_ok = recoverable(part, refurb_draw)
        self.any_refurb = bool(self.refurb_ok.any())
        """False: every claim orders (no mask to apply, no returns to await)."""
        self.refurb_days = part.refurbish.days if part.refurbish else 0.0
        self.out = StockOutcome.empty(n)
        self.mode = Mode.MIN_MAX if isinstance(part.stocking, MinMax) else Mode.BASE_STOCK
        self.on_hand = 0
        self.credits = 0
        self.arrived = self.served = 0
        self.order_arrivals: NDArray[np.float64] = _EMPTY
        self.recorded: list[tuple[NDArray[np.float64], int, PurchaseKind]] = []
        """Orders placed (days, qty each, kind), made into one chunk at the end (:meth:`_close`)."""
        self.refurb_arrivals: NDArray[np.float64] = _EMPTY
        self.month_ends = np.arange(1, horizon_months + 1) * DAYS_PER_MONTH
        self.control_days = control_days(part, horizon_months)
        self.boundaries = self._boundaries()

    # -- the process -------------------------------------------------------------------------
    def run(self) -> Generator[simpy.Event, None, None]:
        self._initial_stock()
        for start, end in zip(self.boundaries[:-1], self.boundaries[1:], strict=True):
            yield self.env.timeout(end - start)
            self._settle(start, end)
            if end >= self.month_ends[len(self.out.snapshots)] - TOLERANCE_DAYS:
                self._snapshot()
        self._close()

    def _boundaries(self) -> NDArray[np.float64]:
        """Window edges: every instant at which stock is counted or decided (exactly), plus a
        regular grid no coarser than the shortest feedback delay, kept off those instants."""
        step = min(self.lead_time_days, self._refurb_cycle_days(), self._review_days())
        control = self.control_days
        grid = np.arange(0.0, self.horizon_day, step)
        near = np.searchsorted(control, grid)
        gap = np.minimum(
            np.abs(grid - control[np.minimum(near, len(control) - 1)]),
            np.abs(grid - control[np.maximum(near - 1, 0)]),
        )
        return np.union1d(control, grid[gap > TOLERANCE_DAYS])

    def _refurb_cycle_days(self) -> float:
        return self.repair_days + self.refurb_days if self.part.refurbish else np.inf

    def _review_days(self) -> float:
        stocking = self.part.stocking
        return stocking.review_days if isinstance(stocking, MinMax) else np.inf

    def _initial_stock(self) -> None:
        qty, self.credits = initial_stock(self.part, self.level, self.opening)
        if qty > 0:
            self._record(np.zeros(1), qty, PurchaseKind.INITIAL)
        self.on_hand = self.opening + qty

    # -- one window ----------------------------------------------------------------------------
    def _settle(self, start: float, end: float) -> None:
        self._decide(start)
        first_new = self.arrived
        self.arrived = int(self.claim_day.searchsorted(end, side="left"))
        refurb_in, self.refurb_arrivals = _split(self.refurb_arrivals, end)
        if self.mode is not Mode.MIN_MAX:
            self._order_one_for_one(first_new)
        orders_in, self.order_arrivals = _split(self.order_arrivals, end)
        self._match(start, _merge(orders_in, refurb_in))

    def _position(self) -> int:
        """On hand + on order + coming back from refurbishment − backorders (METRIC's position
        for a repairable item: a waiting claim whose part will be refurbished counts too)."""
        backorders = self.arrived - self.served
        coming_back = int(self.refurb_ok[self.served : self.arrived].sum())
        coming_back += len(self.refurb_arrivals)
        return self.on_hand + len(self.order_arrivals) + coming_back - backorders

    def _order(self, day: float, qty: int, kind: PurchaseKind) -> None:
        receipt = day + self.lead_time_days
        if receipt >= self.horizon_day:
            return  # it could only arrive to be scrapped
        self._record(np.array([day]), qty, kind)
        self.order_arrivals = np.concatenate([self.order_arrivals, np.full(qty, receipt)])

    def _order_one_for_one(self, first_new: int) -> None:
        """Each new claim whose part will not come back from refurbishment orders one, unless
        a credit (IP above S, left by a cut in S or the last buy) absorbs it."""
        if first_new == self.arrived:
            return
        new = slice(first_new, self.arrived)
        demand_day = self.claim_day[new]
        if self.any_refurb:
            demand_day = demand_day[~self.refurb_ok[new]]
        absorbed = min(self.credits, len(demand_day))
        self.credits -= absorbed
        orders_at = demand_day[absorbed:]
        receipt = orders_at + self.lead_time_days
        # claim days are sorted, so the receipts before the horizon are a prefix
        inside = int(receipt.searchsorted(self.horizon_day, side="left"))
        if inside:
            kind = (
                PurchaseKind.EMERGENCY if self.mode is Mode.AFTER_LAST_BUY else PurchaseKind.REGULAR
            )
            self._record(orders_at[:inside], 1, kind)
            self.order_arrivals = np.concatenate([self.order_arrivals, receipt[:inside]])

    def _record(self, days: NDArray[np.float64], qty: int, kind: PurchaseKind) -> None:
        self.recorded.append((days, qty, kind))

    def _order_chunk(self) -> OrderChunk:
        """Every order recorded, in the order placed, as one chunk (a row per order)."""
        days = np.concatenate([d for d, _, _ in self.recorded])
        count = [len(d) for d, _, _ in self.recorded]
        qty = np.repeat(np.array([q for _, q, _ in self.recorded], dtype=np.int64), count)
        kind = np.repeat(np.array([int(k) for _, _, k in self.recorded], dtype=np.int64), count)
        lead = np.where(kind == PurchaseKind.INITIAL, 0.0, self.lead_time_days)
        return OrderChunk(days, qty, kind, days + lead)

    def _match(self, start: float, arrivals: NDArray[np.float64]) -> None:
        waiting = self.arrived - self.served
        if self.on_hand >= waiting:  # no backlog, and stock covers every new claim on arrival
            n, served = waiting, slice(self.served, self.arrived)
            self.out.serve_day[served] = self.claim_day[served]
        else:
            supply = np.concatenate([np.full(self.on_hand, start), arrivals])
            n = min(len(supply), waiting)
            served = slice(self.served, self.served + n)
            self.out.serve_day[served] = np.maximum(self.claim_day[served], supply[:n])
        self._returns(served)
        self.served += n
        self.on_hand += len(arrivals) - n

    def _returns(self, served: slice) -> None:
        """Returns of the claims just served; without refurbishment nothing comes back to the
        stock, so they are left to :meth:`_close`, for all claims at once."""
        if self.part.refurbish is None or served.start == served.stop:
            return
        back = np.minimum(self.out.serve_day[served] + self.repair_days, self.horizon_day)
        self.out.return_day[served] = back
        done = back + self.refurb_days
        # at an end of life one finishing after the horizon is scrap; a continuing business
        # finishes it after the horizon (it is refurbished, back in stock then)
        ok = self.refurb_ok[served] & ((done < self.horizon_day) | (not self.scrap_at_end))
        self.out.refurbished[served] = ok
        self.out.done_day[served] = np.where(ok, done, back)
        if ok.any():
            self.refurb_arrivals = np.concatenate([self.refurb_arrivals, done[ok]])

    def _snapshot(self) -> None:
        backorders = self.arrived - self.served
        self.out.snapshots.append(
            (self.on_hand, backorders, len(self.order_arrivals), len(self.refurb_arrivals))
        )

    def _close(self) -> None:
        """At the horizon: serve what still waits by an emergency buy, scrap what is left."""
        waiting = slice(self.served, self.arrived)
        n = self.arrived - self.served
        if n:
            # Bought and fitted at once: it carries no lead time, so its receipt is its order day.
            self.out.emergency_at_close = n
            self.out.serve_day[waiting] = self.horizon_day
            self._returns(waiting)
            self.served = self.arrived
        if self.part.refurbish is None:
            back = np.minimum(self.out.serve_day + self.repair_days, self.horizon_day)
            self.out.return_day, self.out.done_day = back, back.copy()
        self.out.orders = [self._order_chunk()] if self.recorded else []
        if not self.scrap_at_end:  # a continuing business keeps its stock past the horizon
            if self.out.snapshots:
                self.out.snapshots[-1] = (self.on_hand, 0, 0, 0)
            return
        self.out.end_scrap = self.on_hand
        self.on_hand = 0
        if self.out.snapshots:
            self.out.snapshots[-1] = (0, 0, 0, 0)


def _split(
    arrivals: NDArray[np.float64], end: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Supply arriving before ``end``, and the rest (kept for later windows); both sorted."""
    if not len(arrivals):
        return arrivals, arrivals
    cut = int(arrivals.searchsorted(end, side="left"))
    return arrivals[:cut], arrivals[cut:]


def _merge(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    if not len(b):
        return a
    if not len(a):
        return b
    return np.sort(np.concatenate([a, b]))
