"""The vectorised stock valuation against a naive one: a loop over months and units, written the
way a bookkeeper would do it (FIFO queue; each month end: age write-down of what is held, then the
cap at fiscal year ends, pro rata; repairs take the oldest unit at its last month-end value)."""

from __future__ import annotations

from collections import deque

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import random_log
from warrantysim.accounting.cap import CapRule
from warrantysim.accounting.inventory import StockUnits, stock_units, value_stock
from warrantysim.accounting.operations import layers
from warrantysim.scenario import DAYS_PER_MONTH
from warrantysim.sim.eventlog import month_of


def naive_fifo_exit_months(units: StockUnits, issue_part, issue_day, horizon: int) -> np.ndarray:
    """Replay receipts and issues in time order through a queue per part."""
    queues: dict[int, deque[int]] = {}
    exit_month = np.full(len(units.cost), horizon)
    events = [
        (d, 0, i, int(p))
        for i, (p, d) in enumerate(zip(units.part, units.receipt_day, strict=True))
    ]
    events += [(d, 1, -1, int(p)) for p, d in zip(issue_part, issue_day, strict=True)]
    for day, is_issue, unit, part in sorted(events):
        queue = queues.setdefault(part, deque())
        if is_issue:
            exit_month[queue.popleft()] = month_of(np.array([day]), horizon)[0]
        else:
            queue.append(unit)
    return exit_month


def naive_values(
    units: StockUnits, horizon: int, writedown_months: int | None, cap: CapRule | None
):
    """Month-end book value, issued value, cap write-down and the age write-down carried out
    with the units that leave, per month, unit by unit."""
    factor = np.ones(len(units.cost))
    value_end, issued, capped = np.zeros(horizon), np.zeros(horizon), np.zeros(horizon)
    carried, age_so_far, last = np.zeros(horizon), np.zeros(len(units.cost)), units.cost.copy()
    queues: list[list[float]] = []
    year_ends = set() if cap is None else set(cap.year_ends.tolist())
    cost_of_sales = np.array(cap.base_cost_of_sales) if cap is not None else None

    def aged(k: int, day: float) -> float:
        if writedown_months is None:
            return 1.0
        age = (day - units.receipt_day[k]) / (writedown_months * DAYS_PER_MONTH)
        return 1.0 - min(max(age, 0.0), 1.0)

    for m in range(horizon):
        for k in np.flatnonzero(units.exit_month == m):
            issued[m] += units.cost[k] * aged(k, m * DAYS_PER_MONTH) * factor[k]
            carried[m] += age_so_far[k]
        held = np.flatnonzero((units.receipt_month <= m) & (units.exit_month > m))
        values = {k: units.cost[k] * aged(k, (m + 1) * DAYS_PER_MONTH) * factor[k] for k in held}
        for k in held:  # this month's age write-down: last month end's value less this one's
            age_so_far[k] += last[k] - values[k]
        if cost_of_sales is not None and cap is not None and cap.issues_in_cost_of_sales:
            cost_of_sales[m] += issued[m]
        if m in year_ends and cap is not None and cost_of_sales is not None:
            total = sum(values.values())
            limit = cap.limit(cost_of_sales, list(cap.year_ends).index(m))
            due = _tranches_due(queues, max(total - limit, 0.0), cap.tranches)
            if due > 0.0:
                keep = 1.0 - due / total
                for k in held:
                    factor[k] *= keep
                    values[k] *= keep
            elif cap.reversal and total < limit:  # reverse the cap's allowance, pro rata
                allowance = {k: units.cost[k] * aged(k, (m + 1) * DAYS_PER_MONTH) - values[k]
                             for k in held}  # fmt: skip
                pool = sum(allowance.values())
                t = min((limit - total) / pool, 1.0) if pool > 1e-12 else 0.0
                for k in held:
                    values[k] += t * allowance[k]
                    factor[k] += t * (1.0 - factor[k])
            capped[m] = total - sum(values.values())
        value_end[m] = sum(values.values())
        last[held] = [values[k] for k in held]
    carried[-1] += age_so_far[units.exit_month >= horizon].sum()  # scrapped at the end
    return value_end, issued, capped, carried


def _tranches_due(queues: list[list[float]], excess: float, tranches: int) -> float:
    """Each excess found is a queue of equal parts; shrink them all when the excess has shrunk."""
    pending = sum(sum(q) for q in queues)
    if pending > excess:
        queues[:] = [[x * excess / pending for x in q] for q in queues]
    elif excess > pending:
        queues.append([(excess - pending) / tranches] * tranches)
    due = sum(q.pop(0) for q in queues if q)
    queues[:] = [q for q in queues if q]
    return due


def cap_rule(
    horizon: int, absolute: float | None, share: float | None, tranches: int, reversal: bool
) -> CapRule:
    year_ends = np.arange(11, horizon - 1, 12)
    return CapRule(
        absolute=absolute,
        share=share,
        trailing_months=18,
        prior_monthly_cost_of_sales=300.0,
        year_ends=year_ends,
        base_cost_of_sales=np.linspace(100.0, 900.0, horizon),
        issues_in_cost_of_sales=True,
        tranches=tranches,
        reversal=reversal,
    )


@settings(max_examples=20, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.sampled_from([None, 1, 7, 36]),
    st.sampled_from([(None, None), (200.0, None), (None, 0.02), (400.0, 0.01)]),
    st.sampled_from([1, 3]),
    st.booleans(),
)
def test_vectorised_valuation_matches_the_naive_bookkeeper(
    seed, writedown_months, limits, tranches, reversal
) -> None:
    log, scenario = random_log(seed)
    horizon = log.horizon_months
    units = stock_units(layers(log, scenario), log.claims.part, log.claims.serve_day,
                        log.n_parts, horizon)  # fmt: skip
    expected_exit = naive_fifo_exit_months(units, log.claims.part, log.claims.serve_day, horizon)
    assert units.exit_month.tolist() == expected_exit.tolist()
    cap = None if limits == (None, None) else cap_rule(horizon, *limits, tranches, reversal)
    v = value_stock(units, horizon, writedown_months, cap)
    value_end, issued, capped, carried = naive_values(units, horizon, writedown_months, cap)
    cap_net = v.cap_writedown - v.cap_writedown_reversed
    assert np.all(np.minimum(v.cap_writedown, v.cap_writedown_reversed) == 0.0)
    book_value = np.cumsum(v.receipts - v.issued_value - v.age_writedown - cap_net)
    assert book_value[:-1] == pytest.approx(value_end[:-1], abs=1e-6)
    assert v.leftover_value[-1] == pytest.approx(value_end[-1], abs=1e-6)
    assert v.issued_value == pytest.approx(issued, abs=1e-6)
    assert cap_net == pytest.approx(capped, abs=1e-6)
    # what leaves carries its whole allowance: the cap's (net of reversals) as well as the age's
    allowance_out = v.age_writedown_carried_out + v.cap_writedown_carried_out
    assert allowance_out.sum() == pytest.approx((v.age_writedown + cap_net).sum(), abs=1e-6)
    assert v.age_writedown_carried_out == pytest.approx(carried, abs=1e-6)
    # every unit leaves by the end, so all of the age write-down is carried out by then
    assert v.age_writedown_carried_out.sum() == pytest.approx(v.age_writedown.sum(), abs=1e-6)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_issues_in_any_order_leave_stock_on_the_same_days(seed) -> None:
    """Issues come sorted by (part, day) from the simulation, and then are not sorted again;
    shuffled, they are, and every unit leaves on the same day (the naive queue agrees)."""
    log, scenario = random_log(seed)
    part, day = log.claims.part, log.claims.serve_day
    shuffle = np.random.default_rng(seed).permutation(len(part))
    received = layers(log, scenario)
    as_logged = stock_units(received, part, day, log.n_parts, log.horizon_months)
    shuffled = stock_units(received, part[shuffle], day[shuffle], log.n_parts, log.horizon_months)
    for name in ("part", "cost", "receipt_day", "receipt_month", "exit_month"):
        np.testing.assert_array_equal(getattr(shuffled, name), getattr(as_logged, name))
    naive = naive_fifo_exit_months(as_logged, part, day, log.horizon_months)
    assert as_logged.exit_month.tolist() == naive.tolist()
