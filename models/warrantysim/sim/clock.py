"""SimPy pieces the service engine is built from: a clock that schedules at absolute days, the
spares store and the technicians, which count what SimPy itself granted.

The clock schedules at an absolute day rather than after a delay because ``now + (day − now)``
need not equal ``day`` in floating point, and the engine's serve days must equal the fast path's
to the bit (tests/test_sim_engines.py). It pushes onto SimPy's own event queue, exactly as
``Environment.schedule`` does (SimPy 4), so event order is SimPy's: (time, priority, insertion).
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush

import simpy
from simpy.events import NORMAL, URGENT, EventPriority

__all__ = ["NORMAL", "URGENT", "Clock", "PriorityTechnicians", "SparesStore", "Technicians"]

Callback = Callable[[simpy.Event], None]


class Clock(simpy.Environment):
    """A SimPy environment with ``at`` (an event at an absolute day, for processes to yield) and
    ``call_at`` (run a callback at a day)."""

    def at(self, day: float, priority: EventPriority = NORMAL) -> simpy.Event:
        """An event that fires at ``day`` (a timeout at an absolute time)."""
        event = simpy.Event(self)
        event._ok = True
        event._value = None
        heappush(self._queue, (day, priority, next(self._eid), event))
        return event

    def call_at(self, day: float, callback: Callback, priority: EventPriority = NORMAL) -> None:
        self.at(day, priority).callbacks.append(callback)

    @property
    def events_scheduled(self) -> int:
        """Events put on the queue so far: SimPy's insertion counter (reading it takes a number,
        harmless: the numbers only order events)."""
        return next(self._eid)


class SparesStore(simpy.Container):
    """A part's spares on hand; its FIFO get queue is the first-come, first-served backorders."""

    def __init__(self, env: simpy.Environment, init: int) -> None:
        super().__init__(env, init=init)
        self.issued = 0
        """Gets SimPy has granted: parts issued from stock."""

    def _do_get(self, event: simpy.resources.container.ContainerGet) -> bool | None:
        granted = super()._do_get(event)
        self.issued += bool(granted)
        return granted


class _CountsGrants:
    """Counts the requests SimPy grants (repairs started) in ``_do_put``, SimPy's own hook."""

    granted = 0

    def _do_put(self, event: simpy.resources.resource.Request) -> None:
        super()._do_put(event)  # type: ignore[misc]
        self.granted += event.triggered


class Technicians(_CountsGrants, simpy.Resource):
    """The repair centre's technicians, first come, first served."""


class PriorityTechnicians(_CountsGrants, simpy.PriorityResource):
    """Technicians who take the lowest priority number first (FCFS within a priority)."""
