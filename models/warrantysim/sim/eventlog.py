"""The event log: everything one replication did, in parts, units and days, as columns.

It is the only thing the simulation hands to the accounting layer. Tables are numpy columns of
equal length; times are days since the start of month 1 (month m covers [(m-1)·D, m·D),
D = 365.25/12). Events the model closes at the horizon's end carry the horizon's end as their
time and fall in the last month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from warrantysim.scenario import DAYS_PER_MONTH

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


class PurchaseKind(IntEnum):
    INITIAL = 0
    """Stock bought at time 0 to reach the first stocking level."""
    REGULAR = 1
    LAST_BUY = 2
    EMERGENCY = 3
    """After a last buy ran short, or to close backorders left at the horizon's end."""


class ScrapReason(IntEnum):
    RETURN_UNREPAIRABLE = 0
    """A part taken out of a customer's unit that was not refurbished (failed, or not tried)."""
    END_OF_HORIZON = 1
    """Stock left over (on hand, arriving or in refurbishment) when the horizon ends."""


def month_of(days: FloatArray, horizon_months: int) -> IntArray:
    """0-based month of each day (month m covers [(m−1)·D, m·D)); later days, i.e. events closed
    at the horizon's end, fall in the last month."""
    index = np.floor(np.asarray(days, dtype=np.float64) / DAYS_PER_MONTH).astype(np.int64)
    return np.clip(index, 0, horizon_months - 1)


@dataclass(frozen=True)
class Claims:
    """One row per warranty claim, sorted by (part, claim_day)."""

    part: IntArray
    claim_day: FloatArray
    """The failure: the customer's claim."""
    serve_day: FloatArray
    """When a spare was taken from stock for it (claim_day if one was on hand); a
    no-fault-found claim takes none: its serve_day is its claim_day."""
    supplier_fault: BoolArray
    sale_month: IntArray
    """The sales cohort (1-based month) of the unit that failed."""
    early_defect: BoolArray
    no_fault_found: BoolArray
    """Diagnosed with no fault: a technician's time and logistics, no spare, no return."""
    repair_start_day: FloatArray
    """A technician started the repair (after the spare was issued)."""
    repair_done_day: FloatArray
    """The repaired unit goes back to the customer (may lie after the horizon's end)."""
    chargeback_accepted: BoolArray
    """A supplier-fault claim whose chargeback the supplier accepts (its own random stream,
    probability ``recovery_rate``); a rejected one is never income."""
    position: IntArray
    """The failed part position within its part's fleet (unit × qty_per_unit + slot; the units
    sold before month 1 come after those sold in the horizon), so a position's claims can be
    followed as one renewal process; −1 for a no-fault-found claim (no part failed)."""
    sale_day: FloatArray
    """The sale day of the claiming unit (negative for units sold before month 1)."""

    @property
    def wait_days(self) -> FloatArray:
        """Waiting for a spare."""
        return self.serve_day - self.claim_day

    @property
    def technician_wait_days(self) -> FloatArray:
        return self.repair_start_day - self.serve_day

    @property
    def turnaround_days(self) -> FloatArray:
        """Claim to repaired unit back."""
        return self.repair_done_day - self.claim_day

    @property
    def takes_part(self) -> BoolArray:
        return ~self.no_fault_found

    @property
    def filled_from_stock(self) -> BoolArray:
        """Took a spare that was on hand at the claim (no-fault-found claims take none)."""
        return np.asarray((self.serve_day == self.claim_day) & ~self.no_fault_found, dtype=bool)


@dataclass(frozen=True)
class Returns:
    """One row per claim that took a spare (claims' order): the removed part comes back when the
    repair is done."""

    part: IntArray
    return_day: FloatArray
    refurbished: BoolArray
    """True: it went through refurbishment and back into stock at ``done_day``."""
    done_day: FloatArray
    """Back in stock (refurbished) or scrapped (not)."""


@dataclass(frozen=True)
class Purchases:
    part: IntArray
    order_day: FloatArray
    receipt_day: FloatArray
    qty: IntArray
    kind: IntArray
    """A :class:`PurchaseKind`."""


@dataclass(frozen=True)
class Scrap:
    part: IntArray
    day: FloatArray
    qty: IntArray
    reason: IntArray
    """A :class:`ScrapReason`."""


@dataclass(frozen=True)
class EventLog:
    horizon_months: int
    part_names: tuple[str, ...]
    units_sold: IntArray
    """Units sold in each month, index 0 = month 1 (length horizon_months)."""
    units_screened: IntArray
    defects_screened_out: IntArray
    """Early-defect positions found by screening, shape (parts, months)."""
    claims: Claims
    returns: Returns
    purchases: Purchases
    scrap: Scrap
    on_hand_end: IntArray
    """Spares on hand at each month's end, shape (parts, months)."""
    backorders_end: IntArray
    on_order_end: IntArray
    in_refurbishment_end: IntArray
    technicians: int = 0
    """Technicians at the repair centre; 0: no repair centre (unlimited capacity)."""
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def n_parts(self) -> int:
        return len(self.part_names)

    @property
    def horizon_day(self) -> float:
        return self.horizon_months * DAYS_PER_MONTH

    def month_index(self, days: FloatArray) -> IntArray:
        """0-based month of each day; the horizon's end falls in the last month."""
        return month_of(days, self.horizon_months)

    def by_part_month(
        self, part: IntArray, days: FloatArray, weights: NDArray[np.generic] | None = None
    ) -> NDArray[np.float64]:
        """Sum of ``weights`` (default 1 per row) per (part, month): shape (parts, months)."""
        flat = part.astype(np.int64) * self.horizon_months + self.month_index(days)
        size = self.n_parts * self.horizon_months
        sums = np.bincount(flat, weights=weights, minlength=size).astype(np.float64, copy=False)
        return sums.reshape(self.n_parts, self.horizon_months)
