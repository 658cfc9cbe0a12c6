"""Spare-parts stock at book value: FIFO layers, straight-line age write-down, the year-end cap.

Costing (docs/design.md "Accounting"): every purchase receipt is a layer at its unit price; a
refurbished part re-enters stock as a new layer at its refurbishment cost (the returned core itself
is carried at zero). Repairs issue units first-in, first-out. Each unit's book value falls
straight-line from its cost to zero over ``age_writedown_months`` from its receipt day, booked
at month ends; a unit issued mid-month leaves at its book value of the previous month end (its
cost if received that month).

The cap acts on the whole warehouse: at a fiscal year end the written-down excess is a fraction f
of the book value, so every unit held then keeps (1 − f) of its value and, from then on, of its
age write-down (a reversal raises each group's factor instead, :mod:`.cap`). Units are therefore
grouped by the fiscal year ("epoch") they were received in; within a group all units share one
factor F, the product of the cap's scalings since, and the age-written-down
value of a group is a sum of piecewise-linear terms, evaluated for all months at once with
difference arrays:

    value_k(e) = c_k · (1 − clip((e − r_k)/L, 0, 1))
               = c_k − c_k (e − r_k)/L + c_k max(e − r_k − L, 0)/L      for e ≥ r_k,

summed over the units held at month end e (r receipt day, L write-down period in days). Booking
is O(units + months); no loop runs over months or units.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from warrantysim.accounting.cap import CapRule, cap_factors, previous
from warrantysim.accounting.periods import sum_by
from warrantysim.scenario import DAYS_PER_MONTH
from warrantysim.sim.eventlog import month_of

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Layers:
    """Receipts into stock, one row per purchase receipt or refurbished part."""

    part: IntArray
    day: FloatArray
    qty: IntArray
    unit_cost: FloatArray


@dataclass(frozen=True)
class StockUnits:
    """Every spare that entered stock, one row per unit, FIFO order within each part."""

    part: IntArray
    cost: FloatArray
    receipt_day: FloatArray
    receipt_month: IntArray
    exit_month: IntArray
    """0-based month a repair took it; H (the horizon) if still held at the end."""


@dataclass(frozen=True)
class Valuation:
    """Monthly movements of the stock at book value (CNY; index 0 = month 1)."""

    receipts: FloatArray
    issued_cost: FloatArray
    """Cost of the units issued to repairs."""
    issued_value: FloatArray
    """Their book value when issued: what a repair expenses."""
    age_writedown: FloatArray
    cap_writedown: FloatArray
    """Cap write-downs at year ends (positive)."""
    cap_writedown_reversed: FloatArray
    """Cap write-downs reversed at year ends (positive; :mod:`.cap`)."""
    leftover_cost: FloatArray
    """Cost of the units still held at the horizon's end (last month only)."""
    leftover_value: FloatArray
    """Their book value then: the end-of-life write-off."""
    cap_limit: FloatArray
    """The cap at each year end it was tested (NaN in other months)."""
    age_writedown_carried_out: FloatArray
    """The age write-down the units issued (or, in the last month, scrapped) take out of the
    books with them (结转): each unit's accumulated age write-down when it leaves."""
    cap_writedown_carried_out: FloatArray
    """The same for the cap write-downs (net of reversals) on the units that leave."""
    opening_cost: float = 0.0
    """Cost of the legacy lots (receipt days before day 0): on the opening balance sheet, so not
    in ``receipts``."""
    opening_writedown: float = 0.0
    """Their age write-down accumulated before month 1: the opening allowance (restated against
    opening equity, :mod:`.opening`), so not in ``age_writedown``."""


def stock_units(
    layers: Layers, issue_part: IntArray, issue_day: FloatArray, n_parts: int, horizon_months: int
) -> StockUnits:
    """Expand the layers into units, FIFO within each part, and note when each left stock."""
    order = np.lexsort((layers.day, layers.part))
    qty = layers.qty[order]
    part = np.repeat(layers.part[order], qty)
    receipt_day = np.repeat(layers.day[order], qty)
    receipt_month = month_of(receipt_day, horizon_months)
    exit_day = _fifo_exit_day(part, issue_part, issue_day, n_parts)
    held_to_end = np.isnan(exit_day)
    exit_month = np.maximum(month_of(np.nan_to_num(exit_day), horizon_months), receipt_month)
    exit_month[held_to_end] = horizon_months
    cost = np.repeat(layers.unit_cost[order], qty)
    return StockUnits(part, cost, receipt_day, receipt_month, exit_month)


def _fifo_exit_day(
    unit_part: IntArray, issue_part: IntArray, issue_day: FloatArray, n_parts: int
) -> FloatArray:
    """The day the k-th repair of a part took its k-th unit received; NaN if none took it."""
    if _sorted_by(issue_part, issue_day):  # as the claims come (by part, then FCFS)
        i_part, i_day = issue_part, issue_day
    else:
        issues = np.lexsort((issue_day, issue_part))
        i_part, i_day = issue_part[issues], issue_day[issues]
    n_units = np.bincount(unit_part, minlength=n_parts)
    n_issues = np.bincount(i_part, minlength=n_parts)
    if np.any(n_issues > n_units):
        short = np.nonzero(n_issues > n_units)[0].tolist()
        raise ValueError(f"parts {short}: more spares issued to repairs than ever entered stock")
    rank = _rank_within(unit_part, n_parts)
    issued = rank < n_issues[unit_part]
    first_issue = np.cumsum(n_issues) - n_issues
    exit_day = np.full(len(unit_part), np.nan)
    exit_day[issued] = i_day[first_issue[unit_part[issued]] + rank[issued]]
    return exit_day


def _sorted_by(key: IntArray, then: FloatArray) -> bool:
    """Whether rows are already in (key, then) order: then the stable ``lexsort`` would return
    them as they are (it costs a third of the booking's stock valuation)."""
    step, rise = np.diff(key), np.diff(then)
    return bool(np.all((step > 0) | ((step == 0) & (rise >= 0))))


def _rank_within(sorted_part: IntArray, n_parts: int) -> IntArray:
    counts = np.bincount(sorted_part, minlength=n_parts)
    start = np.cumsum(counts) - counts
    return np.arange(len(sorted_part)) - start[sorted_part]


def value_stock(
    units: StockUnits,
    horizon_months: int,
    writedown_months: int | None,
    cap: CapRule | None,
    end_of_life: bool = True,
) -> Valuation:
    """Book the stock's movements month by month (see the module docstring for the method).

    At ``end_of_life`` what is still held at the horizon is written off (leftover_*) and takes
    its write-downs out with it; a continuing business keeps it on the books."""
    year_ends = cap.year_ends if cap is not None else np.zeros(0, dtype=np.int64)
    group = np.searchsorted(year_ends, units.receipt_month, side="left")
    n_groups = len(year_ends) + 1
    writedown_days = None if writedown_months is None else writedown_months * DAYS_PER_MONTH
    held = _held_value(units, group, n_groups, horizon_months, writedown_days)
    issued = units.exit_month < horizon_months
    issued_u = _by_group_month(
        group[issued],
        units.exit_month[issued],
        n_groups,
        horizon_months,
        units.cost[issued] * _value_share(units, issued, writedown_days),
    )
    receipts_u = _by_group_month(group, units.receipt_month, n_groups, horizon_months, units.cost)
    factors, limits = cap_factors(held, issued_u, cap, horizon_months)
    carried = _age_carried_out(units, group, factors, year_ends, writedown_days, end_of_life)
    valuation = _opened(units, _scaled(units, held, issued_u, receipts_u, factors, limits, carried),
                        writedown_days)  # fmt: skip
    if end_of_life:
        return valuation
    none = np.zeros(horizon_months)
    cap_carried = valuation.cap_writedown_carried_out.copy()
    cap_carried[-1] -= valuation.leftover_cost[-1] - valuation.leftover_value[-1]
    return replace(valuation, leftover_cost=none, leftover_value=none,
                   cap_writedown_carried_out=cap_carried)  # fmt: skip


def _opened(units: StockUnits, v: Valuation, writedown_days: float | None) -> Valuation:
    """Take the legacy lots' cost and their write-down up to day 0 out of month 1's movements:
    they are the opening balances (a unit received at r < 0 is aged −r/L at day 0)."""
    legacy = units.receipt_day < 0.0
    if not legacy.any():
        return v
    cost = float(units.cost[legacy].sum())
    aged = 0.0
    if writedown_days is not None:
        share = np.clip(-units.receipt_day[legacy] / writedown_days, 0.0, 1.0)
        aged = float(units.cost[legacy] @ share)
    receipts, age_writedown = v.receipts.copy(), v.age_writedown.copy()
    receipts[0] -= cost
    age_writedown[0] -= aged
    return replace(v, receipts=receipts, age_writedown=age_writedown, opening_cost=cost,
                   opening_writedown=aged)  # fmt: skip


def _age_carried_out(
    units: StockUnits,
    group: IntArray,
    factors: FloatArray,
    year_ends: IntArray,
    writedown_days: float | None,
    end_of_life: bool = True,
) -> FloatArray:
    """Each unit's accumulated age write-down when it leaves, summed by the month it leaves.

    A unit of cost c leaves valued at the month end v before its exit month (the horizon's last
    month for leftovers) with value c·F·a(v), F its group's cap factor then and a the age share;
    its allowance c(1 − F·a(v)) is the age write-down plus the cap write-downs it took at each
    year end Y it was held, c·a(Y)·(f(Y−1) − f(Y)) (summation by parts of
    Σ_k c·f(k−1)·(a(k−1) − a(k)), the age write-down it was booked month by month).
    """
    horizon = factors.shape[1]
    if writedown_days is None:
        return np.zeros(horizon)
    v = np.minimum(units.exit_month, horizon) - 1  # the month end it leaves at; −1: before month 1

    def share(month_end: IntArray) -> FloatArray:
        age = ((month_end + 1) * DAYS_PER_MONTH - units.receipt_day) / writedown_days
        return np.asarray(1.0 - np.clip(age, 0.0, 1.0), dtype=np.float64)

    f_exit = np.where(v >= 0, factors[group, np.maximum(v, 0)], 1.0)
    allowance = units.cost * (1.0 - f_exit * share(v))
    for y in year_ends:
        before = factors[group, y - 1] if y > 0 else np.ones(len(group))
        held_then = (units.receipt_month <= y) & (y <= v)
        y_end = np.full(len(group), y, dtype=np.int64)
        capped = units.cost * share(y_end) * (before - factors[group, y])
        allowance = allowance - np.where(held_then, capped, 0.0)
    leave_month = np.minimum(units.exit_month, horizon - 1)
    if not end_of_life:  # what is held at the horizon stays, with its write-downs
        allowance = np.where(units.exit_month >= horizon, 0.0, allowance)
    return sum_by(leave_month, allowance, horizon)


def _value_share(
    units: StockUnits, mask: NDArray[np.bool_], writedown_days: float | None
) -> FloatArray:
    """Book value / cost of the masked units at the start of their exit month."""
    if writedown_days is None:
        return np.ones(int(mask.sum()))
    start_day = units.exit_month[mask] * DAYS_PER_MONTH
    return 1.0 - np.clip((start_day - units.receipt_day[mask]) / writedown_days, 0.0, 1.0)


def _by_group_month(
    group: IntArray, month: IntArray, n_groups: int, horizon: int, weights: FloatArray
) -> FloatArray:
    flat = sum_by(group * horizon + month, weights, n_groups * horizon)
    return flat.reshape(n_groups, horizon)


def _held_sum(
    group: IntArray,
    start: IntArray,
    end: IntArray,
    weights: FloatArray,
    n_groups: int,
    horizon: int,
) -> FloatArray:
    """Σ weights over the units held at each month end: [start, end) by difference arrays."""
    size = n_groups * (horizon + 1)
    diff = sum_by(group * (horizon + 1) + start, weights, size)
    diff -= sum_by(group * (horizon + 1) + end, weights, size)
    return np.cumsum(diff.reshape(n_groups, horizon + 1), axis=1)[:, :horizon]


def _held_value(
    units: StockUnits, group: IntArray, n_groups: int, horizon: int, writedown_days: float | None
) -> FloatArray:
    """Book value before any cap of each group's units held at each month end, shape (groups, H)."""
    start, end, cost, r = units.receipt_month, units.exit_month, units.cost, units.receipt_day

    def held(weights: FloatArray, first: IntArray = start) -> FloatArray:
        return _held_sum(group, first, end, weights, n_groups, horizon)

    at_cost = held(cost)
    if writedown_days is None:
        return at_cost
    month_end_day = (np.arange(horizon) + 1.0) * DAYS_PER_MONTH
    ageing = month_end_day * at_cost - held(cost * r)
    fully_aged = np.ceil((r + writedown_days) / DAYS_PER_MONTH).astype(np.int64) - 1
    fully_aged = np.clip(fully_aged, start, end)
    beyond = month_end_day * held(cost, fully_aged) - held(cost * (r + writedown_days), fully_aged)
    return at_cost - (ageing - beyond) / writedown_days


def _scaled(
    units: StockUnits,
    held: FloatArray,
    issued_u: FloatArray,
    receipts_u: FloatArray,
    factors: FloatArray,
    limits: FloatArray,
    carried: FloatArray,
) -> Valuation:
    horizon = held.shape[1]
    during = previous(factors)
    held_before = np.hstack([np.zeros((len(held), 1)), held[:, :-1]])
    age_u = held_before + receipts_u - issued_u - held
    leftover_cost, leftover_value = np.zeros(horizon), np.zeros(horizon)
    leftover_cost[-1] = units.cost[units.exit_month >= horizon].sum()
    leftover_value[-1] = factors[:, -1] @ held[:, -1]
    issued = units.exit_month < horizon
    issued_cost = sum_by(units.exit_month[issued], units.cost[issued], horizon)
    issued_value = (during * issued_u).sum(axis=0)
    # at a year end the cap either writes down or reverses, so the net splits cleanly
    cap_net = ((during - factors) * held).sum(axis=0)
    allowance_out = issued_cost - issued_value + leftover_cost - leftover_value
    return Valuation(
        receipts=receipts_u.sum(axis=0),
        issued_cost=issued_cost,
        issued_value=issued_value,
        age_writedown=(during * age_u).sum(axis=0),
        cap_writedown=np.maximum(cap_net, 0.0),
        cap_writedown_reversed=np.maximum(-cap_net, 0.0),
        leftover_cost=leftover_cost,
        leftover_value=leftover_value,
        cap_limit=limits,
        age_writedown_carried_out=carried,
        cap_writedown_carried_out=allowance_out - carried,
    )
