"""The warranty provision (预计负债) split into its current and non-current parts.

A provision is current as far as it is expected to be settled within 12 months of the balance
sheet date (CAS 30 第十七条, IAS 1 para 69). The model's own expectation decides it: at each
month end t, from the renewal function M of every part (the lives' point estimates, each cohort's
reliability-growth factor, screening; ``sim.renewal``), a unit of a cohort of age a has
E[claims in (a, W]] = M(W) − M(a) still to come, of which M(min(a + 12, W)) − M(a) within 12
months (Ross, *Stochastic Processes* §3.3); ages are averaged over the sale days of the cohort's
month as in the provision review (:mod:`.provision`). Each claim is weighted by what it costs
the provision (spare mix, labour, logistics), claims made and still waiting for a spare count as
current, and

    share_t   = (waiting + Σ_cohorts units × due within 12 months)
                / (waiting + Σ_cohorts units × still to come),
    current_t = provision balance_t × share_t,   non-current = the rest.

Only ``accrue_per_unit`` holds a provision; under the other treatments both parts are zero.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from warrantysim.accounting.chart import Account
from warrantysim.accounting.ledger import FloatArray, Ledger
from warrantysim.accounting.pricing import spare_cost_per_claim
from warrantysim.scenario import DAYS_PER_MONTH, Part, Scenario
from warrantysim.sim.eventlog import EventLog
from warrantysim.sim.renewal import cohort_life_factor, expected_claims_by_age

CURRENT_MONTHS = 12.0
"""Settled within a year of the balance sheet date: current (CAS 30, IAS 1 para 69)."""
_OFFSETS = (np.arange(8) + 0.5) / 8
"""Sale days inside a month, as fractions of it (as the provision review takes them)."""


def provision_current_portion(
    log: EventLog, scenario: Scenario, ledger: Ledger
) -> dict[str, FloatArray]:
    """``warranty_provision_current_end``: the part of the provision due within 12 months."""
    balance = -ledger.balance(Account.WARRANTY_PROVISION)
    if not np.any(np.abs(balance) > 1e-9):
        return {"warranty_provision_current_end": np.zeros(log.horizon_months)}
    within, total = expected_claim_costs(log, scenario)
    share = np.divide(within, total, out=np.zeros_like(total), where=total > 1e-12)
    return {"warranty_provision_current_end": np.asarray(balance * share, dtype=np.float64)}


def expected_claim_costs(log: EventLog, scenario: Scenario) -> tuple[FloatArray, FloatArray]:
    """Expected cost of the claims due within 12 months and of all still to come, at each
    month end, on the units sold by then and the claims waiting (see the module docstring)."""
    waiting = _waiting_claims_cost(log, scenario)
    horizon, warranty = log.horizon_months, float(scenario.product.warranty_months)
    cohorts = np.flatnonzero(log.units_sold)
    ages = np.arange(1, horizon + 1)[:, None, None] - (cohorts[None, :, None] + _OFFSETS)
    sold = ages > 0.0
    now = np.clip(ages, 0.0, warranty)
    ahead = np.clip(ages + CURRENT_MONTHS, 0.0, warranty)
    factors = cohort_life_factor(scenario, cohorts + 1)
    coverage = scenario.quality.screening_coverage
    within, total = np.zeros(horizon), np.zeros(horizon)
    for name, cost in zip(log.part_names, _cost_per_claim(scenario, log.part_names), strict=True):
        part = scenario.part(name)
        for factor in np.unique(factors):
            chosen = factors == factor
            grid, cum = _claims_curve(part, float(factor), coverage, warranty)
            at_now = np.interp(now[:, chosen], grid, cum)
            weights = log.units_sold[cohorts[chosen]] * cost
            within += (np.where(sold[:, chosen], np.interp(ahead[:, chosen], grid, cum) - at_now,
                                0.0).mean(axis=2) @ weights)  # fmt: skip
            total += np.where(sold[:, chosen], cum[-1] - at_now, 0.0).mean(axis=2) @ weights
    return within + waiting, total + waiting


def _waiting_claims_cost(log: EventLog, scenario: Scenario) -> FloatArray:
    """Claims made by each month end and not yet served, at their cost per claim."""
    horizon = log.horizon_months
    ends = np.arange(1, horizon + 1) * DAYS_PER_MONTH
    costs = _cost_per_claim(scenario, log.part_names)[log.claims.part]

    def by_month_end(days: FloatArray) -> FloatArray:
        """Σ cost of the claims whose ``days`` fall before each month end."""
        first_end = np.minimum(np.searchsorted(ends, days, side="right"), horizon)
        return np.cumsum(np.bincount(first_end, weights=costs, minlength=horizon + 1)[:horizon])

    return np.asarray(
        by_month_end(log.claims.claim_day) - by_month_end(log.claims.serve_day), dtype=np.float64
    )


def _cost_per_claim(scenario: Scenario, part_names: tuple[str, ...]) -> FloatArray:
    service = scenario.service
    per_claim = service.labour_cost_per_repair + service.logistics_cost_per_repair
    return np.array([spare_cost_per_claim(scenario, scenario.part(n)) + per_claim
                     for n in part_names])  # fmt: skip


@lru_cache(maxsize=4096)
def _claims_curve(
    part: Part, life_factor: float, coverage: float, warranty: float
) -> tuple[FloatArray, FloatArray]:
    """M(a) per unit on an age grid over [0, W] (481 points: a tenth of a month at W = 48)."""
    ages = np.linspace(0.0, warranty, 481)
    claims = expected_claims_by_age(
        part, ages, life_factor=life_factor, screening_coverage=coverage
    )
    return ages, claims
