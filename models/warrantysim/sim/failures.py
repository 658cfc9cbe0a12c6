"""Part failures inside the warranty: every position of every unit sold, as a renewal process.

A position's life is Weibull(β, η): T = η · E^(1/β) with E ~ Exp(1). A failure at age a < W is a
claim, and the replacement starts a fresh life at the failure (so claims never depend on how long
the customer waited for the spare: stocking cannot move them, which common random numbers need).
Failure times do not depend on anything else the model does, so they are drawn up front, vectorised
over positions, and handed to the stock processes as their demand stream.

Draws are made in E-space: a position fails inside the warranty iff E < (W/η)^β, which saves
computing lives that end after the warranty. The same E gives a longer life for a larger η, so
"longer lives, fewer claims" holds path by path, not only on average.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from warrantysim.scenario import DAYS_PER_MONTH, Part, Scenario
from warrantysim.sim.parameters import drawn_part
from warrantysim.sim.renewal import cohort_life_factor
from warrantysim.sim.rng import Streams


@dataclass(frozen=True)
class Fleet:
    """The units sold: each unit's month (0-based) and sale day; units ordered by month."""

    units_by_month: NDArray[np.int64]
    unit_month: NDArray[np.int64]
    sale_day: NDArray[np.float64]
    first_month: int = 0
    """The 0-based month of ``unit_month`` 0: −history_months for the units sold before month 1."""


@dataclass(frozen=True)
class PartClaims:
    claim_day: NDArray[np.float64]
    """Sorted ascending."""
    sale_month: NDArray[np.int64]
    early_defect: NDArray[np.bool_]
    supplier_fault: NDArray[np.bool_]
    screened_out_by_month: NDArray[np.int64]
    chargeback_accepted: NDArray[np.bool_]
    """Supplier-fault claims whose chargeback the supplier accepts (probability recovery_rate)."""
    position: NDArray[np.int64]
    """The part position that failed: unit index × qty_per_unit + slot, in its fleet (the
    provision review conditions each position on its own claims; −1: no part failed)."""
    sale_day: NDArray[np.float64]
    """The sale day of the unit that failed."""


def make_fleet(units_by_month: NDArray[np.int64], streams: Streams, first_month: int = 0) -> Fleet:
    """Sale days spread uniformly inside each month (one draw per unit, shared by all parts)."""
    unit_month = np.repeat(np.arange(len(units_by_month)), units_by_month)
    offsets = streams.sales_timing().random(len(unit_month))
    sale_day = (unit_month + first_month + offsets) * DAYS_PER_MONTH
    return Fleet(units_by_month, unit_month, sale_day, first_month)


def part_claims(scenario: Scenario, part: Part, fleet: Fleet, streams: Streams) -> PartClaims:
    """All warranty claims of one part over the horizon, with their cohort and fault flags."""
    part = drawn_part(scenario, part, streams)  # the point estimates unless parameter_uncertainty
    warranty = scenario.product.warranty_months
    positions = len(fleet.unit_month) * part.qty_per_unit
    defect, screened = _early_defects(scenario, part, positions, streams)
    scale = _main_scale(scenario, part, fleet)
    life_rng = streams.life(part.name)
    first = _first_failures(part, scale, fleet, defect, warranty, life_rng)
    unit = first.position // part.qty_per_unit
    ages, owners, is_first = _renewals(
        part, scale[fleet.unit_month[unit]], first, warranty, life_rng
    )
    claim_unit = unit[owners]
    claim_day = fleet.sale_day[claim_unit] + ages * DAYS_PER_MONTH
    keep = (claim_day >= 0.0) & (claim_day < scenario.horizon_days)  # history: from day 0 on
    order = np.argsort(claim_day[keep], kind="stable")
    claim_unit = claim_unit[keep][order]
    fault = streams.fault(part.name).random(len(order)) < part.supplier_fault_share
    accepts = streams.chargeback_acceptance(part.name).random(len(order)) < _recovery(
        scenario, part
    )
    screened_months = fleet.unit_month[np.nonzero(screened)[0] // part.qty_per_unit]
    return PartClaims(
        claim_day=claim_day[keep][order],
        sale_month=fleet.unit_month[claim_unit] + fleet.first_month + 1,
        early_defect=(is_first & defect[first.position][owners])[keep][order],
        supplier_fault=fault,
        screened_out_by_month=np.bincount(screened_months, minlength=len(fleet.units_by_month)),
        chargeback_accepted=fault & accepts,
        position=first.position[owners][keep][order],
        sale_day=fleet.sale_day[claim_unit],
    )


def _recovery(scenario: Scenario, part: Part) -> float:
    """The probability the part's supplier accepts a chargeback (0 without a supplier)."""
    return scenario.suppliers[part.supplier].recovery_rate if part.supplier else 0.0


@dataclass(frozen=True)
class _FirstFailures:
    position: NDArray[np.int64]
    age_months: NDArray[np.float64]


def _early_defects(
    scenario: Scenario, part: Part, positions: int, streams: Streams
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Which positions carry an early defect after screening, and which screening caught."""
    none = np.zeros(positions, dtype=bool)
    if part.early_defects is None or part.early_defects.share == 0:
        return none, none
    defect = streams.defect(part.name).random(positions) < part.early_defects.share
    coverage = scenario.quality.screening_coverage
    if coverage == 0:
        return defect, none
    caught = defect & (streams.screen(part.name).random(positions) < coverage)
    return defect & ~caught, caught


def _main_scale(scenario: Scenario, part: Part, fleet: Fleet) -> NDArray[np.float64]:
    """η per sales month: the part's scale times its cohort's reliability-growth factor."""
    first = fleet.first_month + 1
    factors = cohort_life_factor(scenario, np.arange(first, first + len(fleet.units_by_month)))
    return part.life.scale_months * factors


def _first_failures(
    part: Part,
    scale_by_month: NDArray[np.float64],
    fleet: Fleet,
    defect: NDArray[np.bool_],
    warranty: float,
    rng: np.random.Generator,
) -> _FirstFailures:
    """Positions whose first life ends inside the warranty, and that life (months).

    Compared in E-space, T < W ⇔ E < (W/η)^β, with the power taken per cohort, not per position.
    """
    positions_by_month = fleet.units_by_month * part.qty_per_unit
    e = rng.standard_exponential(len(defect))
    threshold = np.repeat(np.power(warranty / scale_by_month, part.life.shape), positions_by_month)
    if defect.any():
        d = part.early_defects
        assert d is not None
        threshold[defect] = (warranty / d.scale_months) ** d.shape
    position = np.nonzero(e < threshold)[0]
    month = fleet.unit_month[position // part.qty_per_unit]
    scale = scale_by_month[month]
    shape = np.full(len(position), part.life.shape)
    if defect.any():
        assert part.early_defects is not None
        hit = defect[position]
        scale[hit] = part.early_defects.scale_months
        shape[hit] = part.early_defects.shape
    return _FirstFailures(position, scale * np.power(e[position], 1.0 / shape))


def _renewals(
    part: Part,
    scale: NDArray[np.float64],
    first: _FirstFailures,
    warranty: float,
    rng: np.random.Generator,
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.bool_]]:
    """Ages (months) of every failure inside the warranty; owner = index into ``first``."""
    ages, owners, firsts = [first.age_months], [np.arange(len(first.position))], []
    firsts.append(np.ones(len(first.position), dtype=bool))
    alive, age = owners[0], first.age_months
    while len(alive):
        age = age + scale[alive] * np.power(
            rng.standard_exponential(len(alive)), 1 / part.life.shape
        )
        inside = age < warranty
        alive, age = alive[inside], age[inside]
        ages.append(age)
        owners.append(alive)
        firsts.append(np.zeros(len(alive), dtype=bool))
    return np.concatenate(ages), np.concatenate(owners), np.concatenate(firsts)
