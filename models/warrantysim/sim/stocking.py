"""Stocking decisions made before the run: base-stock levels and last-buy cover.

Palm's theorem (Palm 1938; Sherbrooke, *Optimal Inventory Modeling of Systems*, §2.3): with Poisson
demand of rate λ and one-for-one replenishment after lead time L, the number of units on order is
Poisson(λL) whatever the lead-time distribution. With base stock S:

    fill rate       = P(O ≤ S − 1)
    E[backorders]   = E[(O − S)⁺]
    E[on hand]      = E[(S − O)⁺]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray
from scipy import special

from warrantysim.scenario import DAYS_PER_MONTH, BaseStock, Part, Scenario, mean_days
from warrantysim.sim.key import demand_key
from warrantysim.sim.renewal import expected_monthly_claims
from warrantysim.sim.sales import history_units, planned_units


def palm_fill_rate(level: int, mean_on_order: float) -> float:
    """P(O ≤ S − 1), O ~ Poisson(λL)."""
    return float(special.pdtr(level - 1, mean_on_order)) if level > 0 else 0.0


def palm_base_stock_level(mean_on_order: float, target_fill_rate: float) -> int:
    """The smallest S with P(O ≤ S − 1) ≥ target; 0 when there is no demand."""
    if mean_on_order <= 0:
        return 0
    return poisson_quantile(target_fill_rate, mean_on_order) + 1


@dataclass(frozen=True)
class StockPlan:
    """What each part's stock process needs to know in advance, part by part."""

    base_stock_level: tuple[NDArray[np.int64] | None, ...]
    """S in force from the start of each month, for base_stock parts; None for min_max."""
    last_buy_cover: tuple[int | None, ...]
    """Units the last buy brings the inventory position up to; None without a last buy."""
    expected_claims: NDArray[np.float64]
    """Expected claims per (part, month) under the planned sales."""


def plan_stock(scenario: Scenario, price: float) -> StockPlan:
    """Levels and covers for the expected claims of the units sold in the horizon and, with a
    ``history_months``, of those sold before month 1 still in warranty."""
    expected = _expected_claims(scenario, price)
    levels = tuple(_levels(scenario, part, expected[p]) for p, part in enumerate(scenario.parts))
    covers = tuple(_last_buy_cover(part, expected[p]) for p, part in enumerate(scenario.parts))
    return StockPlan(levels, covers, expected)


EXPECTED_KEPT = 64
_EXPECTED: dict[str, NDArray[np.float64]] = {}


def _expected_claims(scenario: Scenario, price: float) -> NDArray[np.float64]:
    """Expected claims per (part, month), kept by :func:`~.key.demand_key` (read-only): the
    stock does not move the claims, so a stocking change plans from the same ones."""
    key = demand_key(scenario, price)
    expected = _EXPECTED.get(key)
    if expected is None:
        expected = expected_monthly_claims(scenario, planned_units(scenario, price))
        if scenario.product.history_months:
            history = history_units(scenario, price).astype(np.float64)
            past = expected_monthly_claims(scenario, history, -scenario.product.history_months)
            expected = expected + past
        expected.flags.writeable = False
        _EXPECTED[key] = expected
        while len(_EXPECTED) > EXPECTED_KEPT:
            _EXPECTED.pop(next(iter(_EXPECTED)))  # the oldest (dicts keep insertion order)
    return expected


def pipeline_days(scenario: Scenario, part: Part) -> float:
    """Mean days a claim keeps a unit out of the inventory position's "on hand" side: a part
    refurbished (yield y) comes back after repair + refurbishment, any other is replaced after
    the mean lead time L: T = y (repair + refurbishment) + (1 − y) L (METRIC's pipeline for a
    repairable item, Sherbrooke 1968; with random lead times Palm's theorem needs only the mean)."""
    lead = part.mean_lead_time_days
    if part.refurbish is None:
        return lead
    centre = scenario.service.repair_centre
    repair = mean_days(centre.repair_days) if centre else scenario.service.repair_days
    y = part.refurbish.yield_
    return y * (repair + part.refurbish.days) + (1.0 - y) * lead


def _levels(
    scenario: Scenario, part: Part, monthly_claims: NDArray[np.float64]
) -> NDArray[np.int64] | None:
    """S for each month. ``level: auto`` follows the fleet: month m's level is Palm's for the
    mean pipeline λT (:func:`pipeline_days`) at the highest expected demand rate λ from m until
    a unit leaving at m's start is back."""
    stocking = part.stocking
    if not isinstance(stocking, BaseStock):
        return None
    if stocking.level != "auto":
        levels = np.full(len(monthly_claims), stocking.level, dtype=np.float64)
    else:
        pipeline = pipeline_days(scenario, part)
        ahead = math.ceil(pipeline / DAYS_PER_MONTH)
        window = np.append(monthly_claims, np.zeros(ahead))
        rates = sliding_window_view(window, ahead + 1).max(axis=1)
        on_order = rates / DAYS_PER_MONTH * pipeline
        levels = np.array([palm_base_stock_level(m, stocking.target_fill_rate) for m in on_order])
    return np.rint(levels * stocking.level_multiplier).astype(np.int64)


def _last_buy_cover(part: Part, monthly_claims: NDArray[np.float64]) -> int | None:
    """Poisson quantile of the expected remaining demand not met by refurbished returns."""
    if part.last_buy is None:
        return None
    remaining = float(monthly_claims[part.last_buy.month - 1 :].sum())
    refurb_yield = part.refurbish.yield_ if part.refurbish is not None else 0.0
    net = remaining * (1.0 - refurb_yield)
    return poisson_quantile(part.last_buy.service_level, net) if net > 0 else 0


@lru_cache(maxsize=8192)
def poisson_quantile(q: float, mean: float) -> int:
    """The smallest k with P(Poisson(mean) ≤ k) ≥ q (scipy.special, not scipy.stats, whose
    import alone costs a worker process more than a replication). Cached: a stocking change
    (``level_multiplier``) plans from the same means, and this was most of the plan's time."""
    top = int(mean + 10.0 * math.sqrt(mean) + 10)
    while special.pdtr(top, mean) < q:
        top *= 2
    cdf = special.pdtr(np.arange(top + 1), mean)
    return int(np.searchsorted(cdf, q, side="left"))
