"""How much work a scenario is, estimated before simulating it, and the limits that refuse it.

The expected claims of one run are what renewal theory says (``sim/renewal.py``): each part's
M(W) per unit sold times the planned units. Claims drive events, memory and time; a run's
memory is about :data:`BASE_BYTES` plus :data:`BYTES_PER_CLAIM` per claim and it simulates
about :data:`CLAIMS_PER_SECOND` claims a second (measured: benchmarks/README.md, "Limits").
A scenario or experiment whose estimate is above a limit is refused with the estimate and the
option that raises the limit, instead of filling the machine's memory or running for weeks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from warrantysim.scenario import Scenario

BASE_BYTES = 250e6
BYTES_PER_CLAIM = 400.0
"""Measured 256-271 B per claim up to 1.7 million claims (benchmarks/bench_workload.py)."""
CLAIMS_PER_SECOND = 1e5
"""Measured 0.77e5 to 3.8e5 on a shared 2-core machine (benchmarks/bench_workload.py): the
time estimate is a guard against weeks, not a forecast."""
DEFAULT_MAX_MEMORY_GB = 4.0
DEFAULT_MAX_HOURS = 24.0
SAMPLED_POINTS = 64
"""Design points estimated one by one; a larger design is estimated from an even sample."""


class WorkloadTooLarge(ValueError):
    """Work above a limit; the message gives the estimate and the option that overrides it."""


@dataclass(frozen=True)
class Limits:
    max_memory_gb: float = DEFAULT_MAX_MEMORY_GB
    """Memory one run may need (each worker holds one run at a time)."""
    max_hours: float = DEFAULT_MAX_HOURS
    """Simulated time of the whole experiment on one core."""


@dataclass(frozen=True)
class Estimate:
    claims: float
    """Expected claims of one replication."""

    @property
    def memory_gb(self) -> float:
        return (BASE_BYTES + BYTES_PER_CLAIM * self.claims) / 1e9

    def hours(self, runs: int) -> float:
        return self.claims * runs / CLAIMS_PER_SECOND / 3600


def estimate(scenario: Scenario) -> Estimate:
    """Expected claims of one run: Σ_parts Σ_cohorts units_m · M_part(W) (no growth in life)."""
    from warrantysim.sim.renewal import expected_claims_per_unit
    from warrantysim.sim.sales import planned_units

    units = float(planned_units(scenario, scenario.pricing.price).sum())
    warranty = scenario.product.warranty_months
    per_unit = sum(
        # M(W) >= W/μ - 1 (elementary renewal bound, Ross §3.3): holds where a life is so short
        # against W that the renewal equation's grid cannot resolve it.
        max(
            expected_claims_per_unit(scenario, p),
            p.qty_per_unit * (warranty / p.life.mean_months - 1),
        )
        for p in scenario.parts
    )
    claims = units * per_unit
    return Estimate(claims if math.isfinite(claims) else math.inf)


def check(scenarios: Sequence[Scenario], replications: int, limits: Limits) -> None:
    """Refuse ``replications`` runs of each scenario when a limit would be passed."""
    sample = _sample(scenarios)
    estimates = [estimate(s) for s in sample]
    largest = max(estimates, key=lambda e: e.claims)
    if largest.memory_gb > limits.max_memory_gb:
        raise WorkloadTooLarge(
            f"a run of {_name(sample, estimates, largest)}: about {largest.claims:.3g} claims, "
            f"{largest.memory_gb:.3g} GB of memory; the limit is {limits.max_memory_gb:g} GB "
            "(--max-memory-gb)"
        )
    claims = sum(e.claims for e in estimates) * len(scenarios) / len(sample)
    hours = Estimate(claims).hours(replications)
    if hours > limits.max_hours:
        raise WorkloadTooLarge(
            f"{replications:,} runs of {len(scenarios):,} scenario(s): about "
            f"{claims * replications:.3g} claims, {hours:.3g} hours on one core; the limit is "
            f"{limits.max_hours:g} hours (--max-hours)"
        )


def _sample(scenarios: Sequence[Scenario]) -> list[Scenario]:
    if len(scenarios) <= SAMPLED_POINTS:
        return list(scenarios)
    step = len(scenarios) / SAMPLED_POINTS
    return [scenarios[int(i * step)] for i in range(SAMPLED_POINTS)]


def _name(sample: Sequence[Scenario], estimates: Sequence[Estimate], chosen: Estimate) -> str:
    return repr(sample[list(estimates).index(chosen)].name)
