"""Caches bounded in bytes, for event logs and booked replications (in the kernel and in the
warm workers alike)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import Generic, TypeVar

import numpy as np
import pandas as pd

from warrantysim.api import ReplicationTables

K = TypeVar("K")
V = TypeVar("V")

LOG_BYTES = 512 * 2**20
"""Event logs kept: at most this many bytes (an event log of the full fleet is about 10 MiB)."""
DEMAND_BYTES = 128 * 2**20
"""Replications' sales and claims kept in the workers (``sim.model.Demand``, about 4.4 MiB each
for the full fleet): a stocking change reuses them."""
RUN_BYTES = 256 * 2**20
"""Booked replications kept: at most this many bytes of frames."""


class ByteBoundCache(Generic[K, V]):
    """A thread-safe mapping that forgets its oldest entries beyond ``max_bytes``."""

    def __init__(self, max_bytes: int, size_of: Callable[[V], int]) -> None:
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.max_bytes, self._size_of = max_bytes, size_of

    def get(self, key: K) -> V | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: K, value: V) -> None:
        size = self._size_of(value)
        with self._lock:
            if key in self._items:
                self._bytes -= self._items.pop(key)[1]
            self._items[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes and len(self._items) > 1:
                self._bytes -= self._items.popitem(last=False)[1][1]

    @property
    def total_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)


def log_bytes(value: object) -> int:
    """The bytes of an event log's arrays (its tables are dataclasses of numpy columns, or
    tuples of them)."""
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if is_dataclass(value) and not isinstance(value, type):
        return sum(log_bytes(getattr(value, f.name)) for f in fields(value))
    if isinstance(value, tuple | list):
        return sum(log_bytes(item) for item in value)
    return 0


OBJECT_CELL_BYTES = 64
"""What a text cell of a frame is counted as (a short Python string). The size of a frame is
estimated from its shape: measuring it (``memory_usage``, which builds a Series per column of
the wide statements) cost a fifth of a second per answer."""


def run_bytes(run: ReplicationTables) -> int:
    frames = (run.monthly, run.annual, run.parts, *run.statements.values())
    return int(sum(_frame_bytes(f) for f in frames)) + 64 * len(run.kpis)


def _frame_bytes(frame: pd.DataFrame) -> int:
    rows, columns = frame.shape
    texts = int((frame.dtypes == object).sum())  # noqa: E721  # an elementwise dtype test
    return 8 * rows * (columns + 1) + OBJECT_CELL_BYTES * rows * texts
