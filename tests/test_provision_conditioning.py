"""The provision review conditions each part position on its own age and claims (issue 9, item 2).

A claim-free position at unit age a expects R₀(a) failures in (a, W]; one whose last claim was
at unit age t carries a fresh main-life part of age a − t and expects R₁(a − t, W − a)
(warrantysim.sim.residual; Ross, *Stochastic Processes* §3.3, §3.5). Checked here against the
renewal function (an independent convolution, warrantysim.sim.renewal), against direct Monte
Carlo of the positions, and, through the books, against the claims that later arrive.
"""

from __future__ import annotations

import numpy as np
import pytest

import factories as sf
from warrantysim.accounting import account
from warrantysim.accounting.pricing import spare_cost_per_claim, unit_price
from warrantysim.accounting.provision import remaining_cost
from warrantysim.scenario import DAYS_PER_MONTH, Part, Scenario
from warrantysim.sim.eventlog import EventLog
from warrantysim.sim.model import run_replication
from warrantysim.sim.renewal import expected_claims_by_age, renewal_function
from warrantysim.sim.residual import after_last_claim, table_end, without_claim

WARRANTY = 24.0
EARLY = Part.model_validate(
    sf.part(
        "board",
        life={"shape": 0.8, "scale_months": 120.0},
        early_defects={"share": 0.2, "shape": 0.6, "scale_months": 2.0},
    )
)
WEAR = Part.model_validate(sf.part("battery", life={"shape": 4.0, "scale_months": 20.0}))


def _terms(part: Part, share: float) -> dict[str, float]:
    return {"scale": part.life.scale_months, "defect_share": share}


def test_from_new_the_terms_are_the_renewal_functions() -> None:
    # R₀(0) is the expected claims per position over the warranty, M_D(W) (delayed renewal with
    # the defect share); R₁(0, r) is a fresh main-life part's M(r). The grid's error (400 cells,
    # a Stieltjes sum) is well under 0.1 %.
    for part, share in ((EARLY, 0.2), (WEAR, 0.0)):
        kw = _terms(part, share)
        r0 = without_claim(part, np.array([0.0]), WARRANTY, **kw)
        m_d = expected_claims_by_age(part, np.array([WARRANTY]))
        assert r0 == pytest.approx(m_d, rel=1e-3)
        left = np.array([6.0, 12.0, WARRANTY])
        x_max = table_end(WARRANTY, kw["scale"])
        r1 = after_last_claim(part, np.zeros(3), left, scale=kw["scale"], x_max=x_max)
        assert r1 == pytest.approx(renewal_function(left, part.life.shape, kw["scale"]), rel=1e-3)


def test_a_memoryless_part_has_nothing_to_condition_on() -> None:
    # Exponential life, no early defects: a Poisson process, so a position expects λ(W − a)
    # failures whatever its claims so far, R₀(a) = R₁(u, W − a) = (W − a)/η.
    part = Part.model_validate(sf.part("adapter", life={"shape": 1.0, "scale_months": 80.0}))
    ages = np.array([0.0, 5.0, 12.0, 23.0])
    r0 = without_claim(part, ages, WARRANTY, scale=80.0, defect_share=0.0)
    r1 = after_last_claim(part, ages / 2, WARRANTY - ages, scale=80.0,
                          x_max=table_end(WARRANTY, 80.0))  # fmt: skip
    assert r0 == pytest.approx((WARRANTY - ages) / 80.0, rel=1e-4)
    assert r1 == pytest.approx(r0, rel=1e-4)


def _failures_in(first: np.ndarray, start: float, end: float, part: Part, rng) -> np.ndarray:
    """Failures in (start, end] of positions whose first failure after ``start`` is ``first``,
    each replacement a fresh main life (the renewal of sim/failures.py, written out)."""
    shape, scale = part.life.shape, part.life.scale_months
    count, t = np.zeros(len(first)), first.copy()
    while (alive := t <= end).any():
        count += alive
        t = np.where(alive, t + scale * rng.standard_exponential(len(t)) ** (1 / shape), np.inf)
    return count


def test_the_terms_match_monte_carlo_of_the_positions() -> None:
    # 200,000 positions each; the mean count is within 4 standard errors of the term.
    rng = np.random.default_rng(9)
    n = 200_000
    # R₀: a claim-free position at age 3 (early defects make it matter: most defective first
    # lives have failed by then). Draw first lives from the mixture, keep those surviving 3.
    d, main = EARLY.early_defects, EARLY.life  # main shape 0.8: E^(1/0.8) = E^1.25
    assert d is not None
    defect = rng.random(n) < 0.2
    defect_life = d.scale_months * rng.standard_exponential(n) ** (1 / d.shape)
    life = np.where(defect, defect_life, main.scale_months * rng.standard_exponential(n) ** 1.25)
    alive = life > 3.0
    counts = _failures_in(life[alive], 3.0, WARRANTY, EARLY, rng)
    r0 = without_claim(EARLY, np.array([3.0]), WARRANTY, **_terms(EARLY, 0.2))[0]
    assert abs(counts.mean() - r0) < 4 * counts.std() / np.sqrt(len(counts)), (counts.mean(), r0)
    # R₁: a wear-out part of age 15 with 6 months left. Conditional life given survival to u
    # (Weibull): T = η((u/η)^β + E)^(1/β), E ~ Exp(1).
    shape, scale = WEAR.life.shape, WEAR.life.scale_months
    first = scale * ((15.0 / scale) ** shape + rng.standard_exponential(n)) ** (1 / shape)
    counts = _failures_in(first, 15.0, 21.0, WEAR, rng)
    x_max = table_end(WARRANTY, scale)
    r1 = after_last_claim(WEAR, np.array([15.0]), np.array([6.0]), scale=scale, x_max=x_max)[0]
    assert abs(counts.mean() - r1) < 4 * counts.std() / np.sqrt(n), (counts.mean(), r1)


def _cohort_age_estimate(log: EventLog, sc: Scenario, month: int, cost: np.ndarray) -> float:
    """The review before this issue's item: every unit of a cohort at its age, whatever its
    claims, E[claims in (a, W]] = M_D(W) − M_D(a), averaged over 8 sale days in the month, plus
    the claims waiting for a spare."""
    end_day = (month + 1) * DAYS_PER_MONTH
    c = log.claims
    total = float(cost[c.part[(c.claim_day < end_day) & (c.serve_day >= end_day)]].sum())
    w = float(sc.product.warranty_months)
    offsets = (np.arange(8) + 0.5) / 8
    for m in range(month + 1):
        ages = np.clip(month + 1 - (m + offsets), 0.0, w)
        for p, part in enumerate(sc.parts):
            curve = expected_claims_by_age(part, np.r_[w, ages])
            total += log.units_sold[m] * cost[p] * (curve[0] - curve[1:].mean())
    return total


@pytest.mark.slow  # 200 replications, ~3-5 s
def test_conditioning_on_claims_is_unbiased_and_closer_on_a_wear_out_part() -> None:
    # A wear-out battery (Weibull shape 4, 20 months; 87 % fail inside a 24-month warranty),
    # 1,200 units sold over 6 months, fiscal years ending in June (reviews at months 6 and 18).
    # By month 18 about half the positions have failed once: the old part still in place is
    # about to fail, the replaced one is young. Later cost = claims served after the review on
    # units sold by then, 300 yuan each (no refurbishment, no uplift: what the provision draws).
    # Unbiased: |mean(later − estimate)| < 4 standard errors of 200 replications.
    # Closer: the paired mean of (old error² − new error²) exceeds 4 of its standard errors at
    # month 18 (at month 6 few have failed and the two nearly agree).
    battery = sf.part("battery", unit_cost=200.0, life={"shape": 4.0, "scale_months": 20.0},
                      stocking={"policy": "base_stock", "level": "auto"})  # fmt: skip
    sc = sf.scenario(
        [battery],
        product={"sales_months": 6, "units_per_month": 200, "warranty_months": 24,
                 "demand_noise": "poisson"},
        service={"labour_cost_per_repair": 100.0},
        accounting={"spares_treatment": "accrue_per_unit", "fiscal_year_end_month": 6},
    )  # fmt: skip
    cost = np.array([spare_cost_per_claim(sc, p) + 100.0 for p in sc.parts])
    reviews, runs = (5, 17), 200
    new, old = np.zeros((runs, 2)), np.zeros((runs, 2))
    for r in range(runs):
        log = run_replication(sc, 11, r, price=unit_price(sc))
        if r == 0:  # the books' review is this estimate (no write-down: no stock allowance)
            books = account(log, sc, unit_price(sc)).monthly["provision_estimate"]
            assert books.iloc[list(reviews)].tolist() == pytest.approx(
                [remaining_cost(log, sc, month) for month in reviews], rel=1e-12
            )
        for k, month in enumerate(reviews):
            end_day = (month + 1) * DAYS_PER_MONTH
            later = (log.claims.serve_day >= end_day) & (log.claims.sale_month <= month + 1)
            actual = float(cost[log.claims.part[later]].sum())
            new[r, k] = actual - remaining_cost(log, sc, month)
            old[r, k] = actual - _cohort_age_estimate(log, sc, month, cost)
    se = new.std(axis=0, ddof=1) / np.sqrt(runs)
    assert (np.abs(new.mean(axis=0)) < 4 * se).all(), (new.mean(axis=0), se)
    gain = old[:, 1] ** 2 - new[:, 1] ** 2
    assert gain.mean() > 4 * gain.std(ddof=1) / np.sqrt(runs), (gain.mean(), gain.std())
    # seed 11: z = 6.1; root mean square error at month 18 3,740 yuan against 5,160 before


def test_the_log_follows_each_position_through_its_claims() -> None:
    # Claims.position and Claims.sale_day (what the review conditions on) come from the failure
    # draws, shared by both engines: a position's claims share one unit (sale day and cohort),
    # come in day order after the sale, and number at most the positions sold (2 per unit here);
    # no-fault-found returns name no position (−1) but keep their unit's cohort; units sold
    # before month 1 are numbered after the horizon's and sold before day 0.
    two = sf.part("fan", qty_per_unit=2, life={"shape": 0.9, "scale_months": 30.0},
                  early_defects={"share": 0.05, "shape": 0.6, "scale_months": 2.0})  # fmt: skip
    sc = sf.scenario(
        [two],
        product={"sales_months": 12, "units_per_month": 100, "warranty_months": 12,
                 "history_months": 6},
        service={"no_fault_found_share": 0.1},
        simulation={"horizon_months": 24, "end_of_life": False},
    )  # fmt: skip
    c = sf.replicate(sc, 3).claims
    nff = c.no_fault_found
    assert nff.any()
    assert (c.position[nff] == -1).all()
    assert (c.position[~nff] >= 0).all()
    failed = np.flatnonzero(~nff)
    order = failed[np.lexsort((c.claim_day[failed], c.position[failed]))]
    same = np.diff(c.position[order]) == 0
    assert same.any()  # some positions renew inside the warranty
    assert (np.diff(c.claim_day[order])[same] > 0).all()
    assert (np.diff(c.sale_day[order])[same] == 0).all()
    assert (np.diff(c.sale_month[order])[same] == 0).all()
    assert (c.sale_day <= c.claim_day).all()
    month = np.floor(c.sale_day / DAYS_PER_MONTH).astype(int) + 1
    assert (month == c.sale_month).all()
    horizon_positions = 12 * 100 * 2
    history = c.sale_month <= 0
    assert (c.position[~nff & history] >= horizon_positions).all()
    assert (c.position[~nff & ~history] < horizon_positions).all()
