"""The SimPy engine: every claim lives in a SimPy model of the service.

A claim arrives (failures are drawn up front, vectorised: they are exogenous), takes a spare
from its part's :class:`~warrantysim.sim.clock.SparesStore` or waits, first come, first served,
in the store's get queue; only then does it wait for a technician at the repair centre (a
``simpy.Resource``; a claim waiting for a part holds no technician), is repaired for a random
time, and its removed part goes to refurbishment (back into the store when done) or scrap.
No-fault-found claims skip the store. Replenishment: one-for-one orders at each claim, each
delivered by an event after its lead time, and a control process per part (a SimPy process) that
counts the stock at month ends and takes the periodic decisions (base-stock level changes,
min/max reviews, the last buy: sim/replenishment.py).

Cost per claim: claims are callbacks on scheduled events, not a SimPy process each, because a
process costs a generator, its start event and a resume per step (benchmarks/README.md has the
measurement). At one instant, control (counting, deciding) comes before supply arriving, as in
the fast path's windows (sim/stock.py), which this engine reproduces exactly where it applies.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from functools import partial

import numpy as np
import simpy
from numpy.typing import NDArray

from warrantysim.scenario import DAYS_PER_MONTH, MinMax, RepairCentre, Scenario
from warrantysim.sim.clock import URGENT, Clock, SparesStore, Technicians
from warrantysim.sim.durations import Durations
from warrantysim.sim.eventlog import PurchaseKind
from warrantysim.sim.replenishment import TOLERANCE_DAYS, Decisions, Mode, control_days
from warrantysim.sim.rng import Streams
from warrantysim.sim.stock import OrderChunk, StockOutcome, initial_stock, opening_qty, recoverable

__all__ = ["Centre", "PartService", "Repairs", "Ticket"]


@dataclass(frozen=True)
class Ticket:
    """A claim at the repair centre."""

    part: int
    claim: int
    """Index among the part's claims that took a spare, or among its no-fault-found claims."""
    no_fault_found: bool


@dataclass
class Repairs:
    """When each claim's repair started and ended (days)."""

    start_day: NDArray[np.float64]
    done_day: NDArray[np.float64]

    @classmethod
    def empty(cls, n: int) -> Repairs:
        return cls(np.full(n, np.nan), np.full(n, np.nan))


class Centre:
    """The repair centre: ``technicians`` and a repair time drawn per repair, in start order.

    Subclass and override :meth:`request` for another queue discipline (tests/test_sim_queues.py
    serves business customers first with a ``PriorityTechnicians``).
    """

    def __init__(self, env: Clock, spec: RepairCentre, streams: Streams) -> None:
        self.env = env
        self.technicians = self.make_technicians(env, spec.technicians)
        self.times = Durations(spec.repair_days, streams.repair())

    def make_technicians(self, env: Clock, capacity: int) -> simpy.Resource:
        return Technicians(env, capacity)

    def request(self, ticket: Ticket) -> simpy.resources.resource.Request:
        return self.technicians.request()

    def repair(
        self, ticket: Ticket, repairs: Repairs, then: Callable[[int], None] | None = None
    ) -> None:
        """Queue ``ticket``; when its repair is done, record it and call ``then(claim)`` (a plain
        call, not another event: a claim costs SimPy events enough)."""
        self.request(ticket).callbacks.append(partial(self._start, ticket.claim, repairs, then))

    def _start(
        self, i: int, repairs: Repairs, then: Callable[[int], None] | None, request: simpy.Event
    ) -> None:
        start = self.env.now
        repairs.start_day[i] = start
        finish = partial(self._finish, i, repairs, then, request)
        self.env.call_at(start + self.times.draw(), finish)

    def _finish(
        self,
        i: int,
        repairs: Repairs,
        then: Callable[[int], None] | None,
        request: simpy.Event,
        _: simpy.Event,
    ) -> None:
        self.technicians.release(request)  # type: ignore[arg-type]
        repairs.done_day[i] = self.env.now
        if then is not None:
            then(i)


class PartService(Decisions):
    """One part: its spares store, its replenishment and its claims."""

    def __init__(
        self,
        env: Clock,
        scenario: Scenario,
        index: int,
        claim_day: NDArray[np.float64],
        refurb_draw: NDArray[np.float64],
        nff_day: NDArray[np.float64],
        *,
        levels: NDArray[np.int64] | None,
        last_buy_cover: int | None,
        centre: Centre | None,
        streams: Streams,
    ) -> None:
        part = scenario.parts[index]
        self.env, self.part, self.index, self.claim_day = env, part, index, claim_day
        self.horizon_day = scenario.horizon_days
        self.scrap_at_end = scenario.ends_at_horizon
        self.repair_days = scenario.service.repair_days
        self.centre = centre
        self.levels, self.last_buy_cover = levels, last_buy_cover
        self.level = int(levels[0]) if levels is not None and len(levels) else 0
        n = len(claim_day)
        self.refurb_ok = recoverable(part, refurb_draw)
        self.refurb_days = part.refurbish.days if part.refurbish else 0.0
        self.out = StockOutcome.empty(n)
        self.repairs = Repairs.empty(n)
        self.lead = Durations(part.lead_time_days, streams.lead_time(part.name))
        self.mode = Mode.MIN_MAX if isinstance(part.stocking, MinMax) else Mode.BASE_STOCK
        self.credits = self.on_order = self.in_refurbishment = self.coming_back = 0
        self.rows: list[tuple[float, int, PurchaseKind, float]] = []
        self.store = SparesStore(env, self._initial_stock(opening_qty(scenario)[index]))
        self.controls = control_days(part, scenario.horizon_months)
        self.controls = self.controls[self.controls < self.horizon_day - TOLERANCE_DAYS]
        self.month_ends = np.arange(1, scenario.horizon_months + 1) * DAYS_PER_MONTH
        self.arrived = 0
        self.nff_day, self.nff_repairs = nff_day, Repairs.empty(len(nff_day))
        self._start_no_fault_found()
        env.process(self._control())
        if n:
            env.call_at(float(claim_day[0]), self._claim)

    # -- claims ----------------------------------------------------------------------------------
    def _claim(self, _: simpy.Event) -> None:
        i = self.arrived
        self.arrived += 1
        if self.arrived < len(self.claim_day):
            self.env.call_at(float(self.claim_day[self.arrived]), self._claim)
        if self.refurb_ok[i]:
            self.coming_back += 1  # its part will be refurbished: the position does not drop
        elif self.mode is not Mode.MIN_MAX:
            self._one_for_one(float(self.claim_day[i]))
        self.store.get(1).callbacks.append(partial(self._issued, i))

    def _start_no_fault_found(self) -> None:
        """Claims with no fault take no part: with unlimited repair capacity they are done
        ``repair_days`` after the claim; at a repair centre they queue for a technician."""
        if self.centre is None:
            self.nff_repairs = Repairs(self.nff_day.copy(), self.nff_day + self.repair_days)
        elif len(self.nff_day):
            self.env.call_at(float(self.nff_day[0]), partial(self._no_fault_found, 0))

    def _no_fault_found(self, j: int, _: simpy.Event) -> None:
        assert self.centre is not None
        if j + 1 < len(self.nff_day):
            self.env.call_at(float(self.nff_day[j + 1]), partial(self._no_fault_found, j + 1))
        self.centre.repair(Ticket(self.index, j, no_fault_found=True), self.nff_repairs)

    def _issued(self, i: int, _: object) -> None:
        now = self.env.now
        self.out.serve_day[i] = now
        if self.centre is None:
            self.repairs.start_day[i] = now
            self.repairs.done_day[i] = now + self.repair_days
            self._returned(i, min(now + self.repair_days, self.horizon_day))
            return
        ticket = Ticket(self.index, i, no_fault_found=False)
        self.centre.repair(ticket, self.repairs, self._repaired)

    def _repaired(self, i: int) -> None:
        self._returned(i, min(self.env.now, self.horizon_day))

    def _returned(self, i: int, back: float) -> None:
        """The removed part is back: into refurbishment, or scrap."""
        self.out.return_day[i] = back
        if self.part.refurbish is None:
            self.out.done_day[i] = back
            return
        done = back + self.refurb_days
        ok = bool(self.refurb_ok[i]) and (done < self.horizon_day or not self.scrap_at_end)
        self.out.refurbished[i] = ok
        self.out.done_day[i] = done if ok else back
        self.coming_back -= bool(self.refurb_ok[i]) and not ok  # too late: it will not be back
        if ok:
            self.in_refurbishment += 1
            self.env.call_at(done, self._refurbished)

    def _refurbished(self, _: simpy.Event) -> None:
        self.in_refurbishment -= 1
        self.coming_back -= 1
        self.store.put(1)

    # -- replenishment -----------------------------------------------------------------------------
    def _initial_stock(self, opening: int) -> int:
        qty, self.credits = initial_stock(self.part, self.level, opening)
        if qty > 0:
            self.rows.append((0.0, qty, PurchaseKind.INITIAL, 0.0))
        return opening + qty

    def _one_for_one(self, day: float) -> None:
        if self.credits > 0:
            self.credits -= 1
            return
        kind = PurchaseKind.EMERGENCY if self.mode is Mode.AFTER_LAST_BUY else PurchaseKind.REGULAR
        self._order(day, 1, kind)

    def _order(self, day: float, qty: int, kind: PurchaseKind) -> None:
        receipt = day + self.lead.draw()
        if receipt >= self.horizon_day:
            return  # it could only arrive to be scrapped
        self.rows.append((day, qty, kind, receipt))
        self.on_order += qty
        self.env.call_at(receipt, partial(self._receive, qty))

    def _receive(self, qty: int, _: simpy.Event) -> None:
        self.on_order -= qty
        self.store.put(qty)

    def _position(self) -> int:
        """On hand + on order + coming back from refurbishment − backorders (METRIC)."""
        backorders = len(self.store.get_queue)
        return int(self.store.level) + self.on_order + self.coming_back - backorders

    # -- control: count at month ends; decide at reviews, month starts, the last buy ---------------
    def _control(self) -> Generator[simpy.Event, None, None]:
        """The part's control process: at each control day, before supply arriving then
        (URGENT), count the stock at a month's end, then take the day's decisions."""
        for day in self.controls.tolist():
            yield self.env.at(day, URGENT)
            if day >= self.month_ends[len(self.out.snapshots)] - TOLERANCE_DAYS:
                self.out.snapshots.append(
                    (int(self.store.level), len(self.store.get_queue), self.on_order,
                     self.in_refurbishment)
                )  # fmt: skip
            self._decide(day)

    # -- the horizon's end -------------------------------------------------------------------------
    def close(self) -> None:
        """Claims still waiting get an emergency part at the horizon; leftover stock is scrap."""
        waiting = np.nonzero(np.isnan(self.out.serve_day[: self.arrived]))[0]
        self.store.get_queue.clear()
        self.out.emergency_at_close = len(waiting)
        for i in waiting:
            self._issued(int(i), None)
        if self.scrap_at_end:
            self.out.end_scrap = int(self.store.level)
            self.out.snapshots.append((0, 0, 0, 0))
        else:  # a continuing business keeps its stock past the horizon
            self.out.snapshots.append((int(self.store.level), 0, 0, 0))
        self.out.orders = [_chunk(self.rows)] if self.rows else []


def _chunk(rows: list[tuple[float, int, PurchaseKind, float]]) -> OrderChunk:
    """Order rows (day, qty, kind, receipt) as one chunk with a kind per row."""
    day, qty, kind, receipt = zip(*rows, strict=True)
    return OrderChunk(
        np.array(day, dtype=np.float64),
        np.array(qty, dtype=np.int64),
        np.array(kind, dtype=np.int64),
        np.array(receipt, dtype=np.float64),
    )


@dataclass(frozen=True)
class ServiceOutcome:
    """What one part's service did."""

    stock: StockOutcome
    repairs: Repairs
    """Of the claims that took a part, in claim order."""
    nff_repairs: Repairs
    """Of the no-fault-found claims, in claim order."""


@dataclass(frozen=True)
class EngineCounts:
    """What SimPy itself counted: gets granted by the stores, technicians granted, events."""

    store_gets: int
    technician_grants: int
    events: int


def run_service(
    scenario: Scenario,
    parts: list[tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]],
    levels: tuple[NDArray[np.int64] | None, ...],
    covers: tuple[int | None, ...],
    streams: Streams,
    centre_type: type[Centre] = Centre,
) -> tuple[list[ServiceOutcome], EngineCounts]:
    """Run the service of every part; ``parts`` holds (claim days of claims that take a part,
    their refurbishment draws, no-fault-found claim days) per part."""
    env = Clock()
    spec = scenario.service.repair_centre
    centre = centre_type(env, spec, streams) if spec is not None else None
    services = [
        PartService(env, scenario, p, claim_day, draws, nff_day, levels=levels[p],
                    last_buy_cover=covers[p], centre=centre, streams=streams)
        for p, (claim_day, draws, nff_day) in enumerate(parts)
    ]  # fmt: skip
    env.run(until=scenario.horizon_days)
    for service in services:
        service.close()
    env.run()  # repairs still under way at the horizon's end finish after it
    granted = getattr(centre.technicians, "granted", 0) if centre is not None else 0
    counts = EngineCounts(sum(s.store.issued for s in services), granted, env.events_scheduled)
    return [ServiceOutcome(s.out, s.repairs, s.nff_repairs) for s in services], counts
