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

import numpy as np

from warrantysim.accounting.chart import Account
from warrantysim.accounting.ledger import FloatArray, Ledger
from warrantysim.accounting.provision import cost_per_claim
from warrantysim.scenario import DAYS_PER_MONTH, Scenario
from warrantysim.sim.eventlog import EventLog
from warrantysim.sim.renewal import claims_curve, cohort_life_factor

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
    month end, on the units sold by then and the claims waiting (see the module docstring).

    Cohort c (sold in 0-based month c) is k = m + 1 − c months past its month's start at the
    end of month m, so its terms depend on k only: with M̄(k) = the mean over the sale days u of
    M(clip(k − u, 0, W)), a unit has M̄(k + 12) − M̄(k) claims due within a year and M(W) − M̄(k)
    still to come, and the sums over cohorts are convolutions of the units sold with them
    (k = 0: not sold yet, nothing)."""
    horizon, warranty = log.horizon_months, float(scenario.product.warranty_months)
    months_past = np.arange(horizon + 1 + int(CURRENT_MONTHS))
    ages = np.clip(months_past[:, None] - _OFFSETS, 0.0, warranty)
    factors = cohort_life_factor(scenario, np.arange(1, horizon + 1))
    coverage = scenario.quality.screening_coverage
    within, total = np.zeros(horizon), np.zeros(horizon)
    costs = cost_per_claim(scenario, log.part_names)
    for name, cost in zip(log.part_names, costs, strict=True):
        part = scenario.part(name)
        for factor in np.unique(factors[log.units_sold > 0]):
            grid, cum = claims_curve(part, float(factor), coverage, warranty)
            mean_m = np.interp(ages, grid, cum).mean(axis=1)
            due = mean_m[int(CURRENT_MONTHS) :] - mean_m[: horizon + 1]
            left = cum[-1] - mean_m[: horizon + 1]
            due[0] = left[0] = 0.0
            weights = np.where(factors == factor, log.units_sold, 0) * cost
            within += np.convolve(weights, due)[1 : horizon + 1]
            total += np.convolve(weights, left)[1 : horizon + 1]
    waiting = _waiting_claims_cost(log, scenario)
    return within + waiting, total + waiting


def _waiting_claims_cost(log: EventLog, scenario: Scenario) -> FloatArray:
    """Claims made by each month end and not yet served, at their cost per claim."""
    horizon = log.horizon_months
    ends = np.arange(1, horizon + 1) * DAYS_PER_MONTH
    costs = cost_per_claim(scenario, log.part_names)[log.claims.part]

    def by_month_end(days: FloatArray) -> FloatArray:
        """Σ cost of the claims whose ``days`` fall before each month end."""
        first_end = np.minimum(np.searchsorted(ends, days, side="right"), horizon)
        return np.cumsum(np.bincount(first_end, weights=costs, minlength=horizon + 1)[:horizon])

    return np.asarray(
        by_month_end(log.claims.claim_day) - by_month_end(log.claims.serve_day), dtype=np.float64
    )
