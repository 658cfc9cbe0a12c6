"""The warranty provision under review (IAS 37 para 59, CAS 13): never negative, re-estimated at
every fiscal year end from the renewal function, excess released as well as shortfalls topped up."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import factories as sf
from warrantysim.accounting import account, accrual_per_unit
from warrantysim.accounting.pricing import spare_cost_per_claim, unit_price
from warrantysim.accounting.provision import remaining_cost
from warrantysim.scenario import DAYS_PER_MONTH, Scenario, load_scenario
from warrantysim.sim.model import run_replication

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def with_accounting(scenario: Scenario, **fields) -> Scenario:
    raw = scenario.model_dump(by_alias=True)
    raw["accounting"] |= fields
    return Scenario.model_validate(raw)


@pytest.fixture(scope="module")
def absorb_cost():
    sc = load_scenario(SCENARIOS / "absorb-cost.yaml")
    return run_replication(sc, 2026, 0, price=unit_price(sc)), sc


@pytest.mark.parametrize("share", ["auto", 0.5, 1.5])
@pytest.mark.parametrize("writedown", [None, 36])
def test_provision_is_never_negative(absorb_cost, share, writedown) -> None:
    log, sc = absorb_cost
    accrual = "auto" if share == "auto" else share * accrual_per_unit(sc)
    policy = with_accounting(sc, accrual_per_unit=accrual, age_writedown_months=writedown)
    m = account(log, policy, unit_price(sc)).monthly
    assert m["warranty_provision_end"].min() >= -1e-6
    assert m["warranty_provision_end"].iloc[-1] == pytest.approx(0.0, abs=1e-6)


def test_reviews_release_excess_and_top_up_shortfalls(absorb_cost) -> None:
    log, sc = absorb_cost
    expected = accrual_per_unit(sc)
    year_end = 11  # month 12, the first fiscal year end
    over = account(log, with_accounting(sc, accrual_per_unit=1.5 * expected), 5600.0).monthly
    under = account(log, with_accounting(sc, accrual_per_unit=0.5 * expected), 5600.0).monthly
    plain = log.units_sold * np.array([1.5, 0.5])[:, None] * expected
    # 150 %: the review releases the excess at the first year end, long before the end of life
    assert over["provision_release"].iloc[year_end] > 0.2 * plain[0][: year_end + 1].sum() / 3
    assert over["warranty_accrual"].iloc[year_end] == pytest.approx(plain[0][year_end])
    # 50 %: it tops the provision up, as more warranty expense, at every year end of the sales
    # years (later reviews may release a little: a claim is estimated at the expected cost per
    # claim, while repairs take the stock first in, first out at its book value)
    for y in (11, 23, 35):
        assert under["warranty_accrual"].iloc[y] > plain[1][y] + 1e6
        assert under["provision_release"].iloc[y] == 0.0
        assert over["provision_release"].iloc[y] > 1e6
    # after a review both hold the same best estimate, whatever they accrued
    assert over["warranty_provision_end"].iloc[year_end] == pytest.approx(
        under["warranty_provision_end"].iloc[year_end], rel=1e-9
    )
    assert over["provision_estimate"].iloc[year_end] == pytest.approx(
        over["warranty_provision_end"].iloc[year_end]
    )


def test_year_end_estimates_match_the_claims_that_later_arrive() -> None:
    # Each review estimates the cost of the claims still to come on the units sold by then (plus
    # those waiting for a spare). Over replications, the cost of the claims that do come later on
    # those units (each claim at the same cost per claim: no refurbishment, no uplift, so it is
    # what the provision is drawn) must match it on average: |mean(later − estimate)| within 4
    # standard errors of the replications' differences. Infant mortality with early defects and
    # a wear-out part, so the renewal function's shape (not a constant rate) is what is tested.
    board = sf.part(
        "board",
        unit_cost=800.0,
        life={"shape": 0.8, "scale_months": 300.0},
        early_defects={"share": 0.01, "shape": 0.6, "scale_months": 3.0},
        stocking={"policy": "base_stock", "level": "auto"},
    )
    battery = sf.part(
        "battery",
        unit_cost=200.0,
        life={"shape": 2.5, "scale_months": 60.0},
        stocking={"policy": "base_stock", "level": "auto"},
    )
    sc = sf.scenario(
        [board, battery],
        product={"sales_months": 24, "units_per_month": 2000, "warranty_months": 24,
                 "demand_noise": "poisson"},
        service={"labour_cost_per_repair": 100.0},
        accounting={"spares_treatment": "accrue_per_unit"},
    )  # fmt: skip
    cost = np.array([spare_cost_per_claim(sc, p) + 100.0 for p in sc.parts])
    year_ends = [11, 23, 35]
    gaps = {y: [] for y in year_ends}
    for r in range(8):
        log = run_replication(sc, 99, r, price=unit_price(sc))
        books = account(log, sc, unit_price(sc)).monthly
        for y in year_ends:
            end_day = (y + 1) * DAYS_PER_MONTH
            later = (log.claims.serve_day >= end_day) & (log.claims.sale_month <= y + 1)
            estimate = books["provision_estimate"].iloc[y]
            assert estimate == pytest.approx(remaining_cost(log, sc, y))  # no stock allowance
            gaps[y].append(cost[log.claims.part[later]].sum() - estimate)
    for y, gap in gaps.items():
        se = np.std(gap, ddof=1) / np.sqrt(len(gap))
        assert abs(np.mean(gap)) < 4 * se, (y, np.mean(gap), se)
        assert se < 0.05 * remaining_cost(log, sc, y)  # the test can tell a wrong estimate


def test_year_end_estimates_match_later_claims_on_the_shipped_absorb_cost() -> None:
    # The same check on absorb-cost (the baseline's ten parts, 36 months of sales): each claim
    # valued at its part's expected cost per claim on both sides (spare mix with refurbishment,
    # labour, logistics), so what is tested is the expected number of claims still to come on the
    # units sold, from the renewal equation at each position's age and claims so far
    # (test_provision_conditioning.py checks the terms). No write-down: the estimate is the
    # remaining cost itself. 6 replications; |mean gap| within 4 standard errors.
    sc = load_scenario(SCENARIOS / "absorb-cost.yaml")
    service = sc.service.labour_cost_per_repair + sc.service.logistics_cost_per_repair
    cost = np.array([spare_cost_per_claim(sc, p) + service for p in sc.parts])
    year_ends = [11, 23, 35, 47, 59]
    gaps: dict[int, list[float]] = {y: [] for y in year_ends}
    for r in range(6):
        log = run_replication(sc, 2026, r, price=unit_price(sc))
        estimates = account(log, sc, unit_price(sc)).monthly["provision_estimate"]
        for y in year_ends:
            end_day = (y + 1) * DAYS_PER_MONTH
            later = (log.claims.serve_day >= end_day) & (log.claims.sale_month <= y + 1)
            gaps[y].append(cost[log.claims.part[later]].sum() - estimates.iloc[y])
    for y, gap in gaps.items():
        se = np.std(gap, ddof=1) / np.sqrt(len(gap))
        assert abs(np.mean(gap)) < 4 * se, (y, np.mean(gap), se)
