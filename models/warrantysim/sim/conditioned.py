"""The claims still to come on a log's units, given each part position's claims so far.

The provision review (:mod:`warrantysim.accounting.provision`) counts every position of a cohort
as claim-free, R₀ at its age (:mod:`.residual`), and corrects the positions that have had a claim
by R₁ − R₀ at their own ages: a claim replaced the first part by a fresh main-life one. The log
names each failed position (``Claims.position``), so the last claim of a position before a review
is the one whose next claim on that position comes at or after it. The positions are sorted
once per log (:func:`follow_positions`); a review is then a mask and two table look-ups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warrantysim.scenario import DAYS_PER_MONTH, Part, Scenario
from warrantysim.sim.eventlog import EventLog, FloatArray, IntArray
from warrantysim.sim.renewal import cohort_life_factor
from warrantysim.sim.residual import after_last_claim, table_end, without_claim


@dataclass(frozen=True)
class Followed:
    """The claims that took a part on units sold in the horizon, sorted by part, then position,
    then day, each with the day of the next claim on its position (∞ if none)."""

    part_names: tuple[str, ...]
    part: IntArray
    claim_day: FloatArray
    next_day: FloatArray
    sale_day: FloatArray
    sale_month: IntArray


@dataclass(frozen=True)
class PartTerms:
    """What R₀ and R₁ need of a part: the part, its shipped early-defect share (after
    screening) and the end of its H table (in t/η)."""

    part: Part
    defect_share: float
    x_max: float


def follow_positions(log: EventLog) -> Followed:
    """Sort the log's claims by position (one stable sort: claims are already by part and day)."""
    c = log.claims
    rows = np.flatnonzero(c.takes_part & (c.sale_month >= 1))
    key = c.part[rows] * (int(c.position.max(initial=0)) + 1) + c.position[rows]
    # one sort of (position key, row): the row breaks ties in day order (a plain sort of int64
    # values is several times faster than a stable argsort)
    n = len(c.part)
    packed = np.sort(key * n + rows)
    rows, same = packed % n, np.diff(packed // n) == 0
    next_day = np.full(len(rows), np.inf)
    next_day[:-1][same] = c.claim_day[rows][1:][same]
    return Followed(log.part_names, c.part[rows], c.claim_day[rows], next_day, c.sale_day[rows],
                    c.sale_month[rows])  # fmt: skip


def part_terms(scenario: Scenario, name: str) -> PartTerms:
    part = scenario.part(name)
    defects = part.early_defects
    share = 0.0 if defects is None else defects.share * (1 - scenario.quality.screening_coverage)
    factors = cohort_life_factor(scenario, np.arange(1, scenario.horizon_months + 1))
    smallest = part.life.scale_months * float(factors.min())
    return PartTerms(part, share, table_end(float(scenario.product.warranty_months), smallest))


def claimed_correction(followed: Followed, scenario: Scenario, end_day: float) -> FloatArray:
    """Per part, Σ over positions with a claim before ``end_day`` and still in warranty of
    R₁(part age, W − a) − R₀(a): expected claims to come, a count (not money)."""
    warranty = float(scenario.product.warranty_months)
    f = followed
    last = (f.claim_day < end_day) & (f.next_day >= end_day)
    last &= f.sale_day > end_day - warranty * DAYS_PER_MONTH  # a unit out of warranty: 0 to come
    rows = np.flatnonzero(last)
    bounds = np.searchsorted(f.part[rows], np.arange(len(f.part_names) + 1))
    age = (end_day - f.sale_day[rows]) / DAYS_PER_MONTH
    part_age = (end_day - f.claim_day[rows]) / DAYS_PER_MONTH
    factor = cohort_life_factor(scenario, f.sale_month[rows])
    out = np.zeros(len(f.part_names))
    for p, name in enumerate(f.part_names):
        s = slice(bounds[p], bounds[p + 1])
        if s.start == s.stop:
            continue
        terms = part_terms(scenario, name)
        scale = terms.part.life.scale_months * factor[s]
        gain = after_last_claim(terms.part, part_age[s], warranty - age[s], scale=scale,
                                x_max=terms.x_max)  # fmt: skip
        lost = without_claim_by_scale(terms, age[s], warranty, scale)
        out[p] = float((gain - lost).sum())
    return out


def without_claim_by_scale(
    terms: PartTerms, age: FloatArray, warranty: float, scale: FloatArray
) -> FloatArray:
    """R₀ at each age with its cohort's main-life scale (one pass per distinct scale)."""
    if len(scale) and scale.min() == scale.max():  # no reliability growth: one scale
        return without_claim(terms.part, age, warranty, scale=float(scale[0]),
                             defect_share=terms.defect_share)  # fmt: skip
    out = np.empty_like(age)
    for value in np.unique(scale):
        rows = scale == value
        out[rows] = without_claim(terms.part, age[rows], warranty, scale=float(value),
                                  defect_share=terms.defect_share)  # fmt: skip
    return out
