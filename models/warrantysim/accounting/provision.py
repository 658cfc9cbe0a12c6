"""The warranty provision under ``accrue_per_unit``: accrued per unit sold, drawn by the claims,
reviewed at every fiscal year end and whenever it would turn negative (IAS 37 para 59: provisions
are reviewed at each reporting date and adjusted to the current best estimate; CAS 13 likewise).

The review's best estimate is the expected cost of the claims still to come on the units sold so
far, from the renewal function with the scenario's point estimates of the lives, conditioned on
each position's age and its claims so far (:mod:`warrantysim.sim.residual`): a position with no
claim yet carries its first part at the unit's age a, R₀(a) failures to come; one whose last claim
was at unit age t carries a main-life part of age a − t, R₁(a − t, W − a). The claim-free term is
taken per cohort, averaged over the sale days of its month; the positions with a claim (the log
names each failed position, ``Claims.position``) replace their R₀ by R₁ at their own ages. Each
claim costs what ``accrual_per_unit: auto`` charges for it (spare mix, labour, logistics). Claims
made and not yet served are known and added at that cost. What the stock held has already drawn
from the provision (its write-downs: the part of its cost that will not be drawn again when it is
issued) is deducted. The difference between the estimate and the balance
is booked to that month's warranty expense: a top-up (Dr accrual, Cr provision) or a release of
excess accruals (Dr provision, Cr release).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from warrantysim.accounting.ledger import FloatArray
from warrantysim.accounting.periods import year_end_indices
from warrantysim.accounting.pricing import spare_cost_per_claim
from warrantysim.scenario import DAYS_PER_MONTH, Scenario
from warrantysim.sim.conditioned import (
    Followed,
    claimed_correction,
    follow_positions,
    part_terms,
    without_claim_by_scale,
)
from warrantysim.sim.eventlog import EventLog
from warrantysim.sim.renewal import cohort_life_factor

_OFFSETS = (np.arange(8) + 0.5) / 8
"""Sale days inside a month, as fractions of it (units are sold evenly through the month)."""


@dataclass(frozen=True)
class Reviewed:
    """The provision's movements from reviews (CNY per month) and the estimates behind them."""

    top_up: FloatArray
    release: FloatArray
    estimate: FloatArray
    """The best estimate of the remaining cost at each review (NaN in other months)."""


def review(
    log: EventLog,
    scenario: Scenario,
    accrued: FloatArray,
    drawn: FloatArray,
    stock_allowance: FloatArray,
    followed: Followed | None = None,
) -> Reviewed:
    """Run the balance month by month, reviewing it at year ends and when it would go negative.

    ``stock_allowance``: the write-downs of the stock held at each month end (already drawn or
    charged, so not to be provided again). The last month is left to the end-of-life release.
    ``followed``: the log's positions, sorted once (:func:`follow_positions`) for every review.
    """
    horizon = log.horizon_months
    year_ends = set(year_end_indices(horizon, scenario.accounting.fiscal_year_end_month).tolist())
    top_up, release = np.zeros(horizon), np.zeros(horizon)
    estimate = np.full(horizon, np.nan)
    balance = 0.0
    followed = followed if followed is not None else follow_positions(log)
    for month in range(horizon - 1):
        balance += accrued[month] - drawn[month]
        if month in year_ends or balance < -1e-6:  # a micro-yuan: rounding is not a shortfall
            needed = remaining_cost(log, scenario, month, followed) - stock_allowance[month]
            estimate[month] = max(needed, 0.0)
            change = estimate[month] - balance
            top_up[month], release[month] = max(change, 0.0), max(-change, 0.0)
            balance = estimate[month]
    return Reviewed(top_up, release, estimate)


def remaining_cost(
    log: EventLog, scenario: Scenario, month: int, followed: Followed | None = None
) -> float:
    """Expected cost of the claims still to come at the end of 0-based ``month`` on the units
    sold by then, given each position's claims so far, plus the claims made but not yet served.
    ``followed``: the log's positions sorted once (:func:`follow_positions`) for many reviews."""
    end_day = (month + 1) * DAYS_PER_MONTH
    claims = log.claims
    pending = (claims.claim_day < end_day) & (claims.serve_day >= end_day)
    costs = cost_per_claim(scenario, log.part_names)
    known = float(costs[claims.part[pending]].sum())
    per_unit = _remaining_per_unit(scenario.model_dump_json(), log.part_names, month)
    unclaimed = float(log.units_sold[: month + 1] @ per_unit)
    followed = followed if followed is not None else follow_positions(log)
    return known + unclaimed + float(costs @ claimed_correction(followed, scenario, end_day))


def cost_per_claim(scenario: Scenario, part_names: tuple[str, ...]) -> FloatArray:
    """What one claim on each part costs when served: the spare at its expected cost, labour
    and logistics."""
    service = scenario.service
    per_claim = service.labour_cost_per_repair + service.logistics_cost_per_repair
    parts = [scenario.part(name) for name in part_names]
    return np.array([spare_cost_per_claim(scenario, p) + per_claim for p in parts])


@lru_cache(maxsize=1024)
def _remaining_per_unit(scenario_json: str, part_names: tuple[str, ...], month: int) -> FloatArray:
    """Expected remaining claim cost per unit of each cohort 0..month at the end of ``month``,
    every position counted as claim-free (R₀ at its age; :func:`_claimed_correction` fixes the
    others)."""
    scenario = Scenario.model_validate_json(scenario_json)
    warranty = float(scenario.product.warranty_months)
    cohorts = np.arange(month + 1)
    ages = np.clip(month + 1 - (cohorts[:, None] + _OFFSETS[None, :]), 0.0, warranty)
    factors = cohort_life_factor(scenario, cohorts + 1)
    scale_factors = np.repeat(factors, len(_OFFSETS))
    costs = cost_per_claim(scenario, part_names)
    out = np.zeros(month + 1)
    for cost, name in zip(costs, part_names, strict=True):
        terms = part_terms(scenario, name)
        scale = terms.part.life.scale_months * scale_factors
        per_position = without_claim_by_scale(terms, ages.ravel(), warranty, scale)
        out += cost * terms.part.qty_per_unit * per_position.reshape(ages.shape).mean(axis=1)
    return out
