"""Metamorphic tests: change one lever, the outcome must move the right way.

Stocking levers leave the claims untouched (common random numbers), so their effect is compared
claim by claim with the same seed. Life lengths change the claims themselves, so that comparison is
made across replications with a standard error.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from factories import ENGINES, part, replicate, scenario
from warrantysim.scenario import Scenario


def fleet(engine: str = "fast", **part_fields: object) -> Scenario:
    fields = {"life": {"shape": 1.2, "scale_months": 18.0}, "lead_time_days": 14.0} | part_fields
    return scenario([part(**fields)], product={"sales_months": 24, "units_per_month": 400,
                                              "demand_noise": "poisson"},
                    simulation={"engine": engine})  # fmt: skip


@pytest.mark.parametrize("engine", ENGINES)
def test_more_stock_means_fewer_backorders_claim_by_claim(engine: str) -> None:
    for seed in range(3):
        lean = replicate(fleet(engine, stocking={"policy": "base_stock", "level": 20}), seed)
        rich = replicate(fleet(engine, stocking={"policy": "base_stock", "level": 35}), seed)
        assert (rich.claims.wait_days <= lean.claims.wait_days + 1e-9).all()
        assert rich.backorders_end.sum() < lean.backorders_end.sum()
        assert rich.claims.filled_from_stock.mean() > lean.claims.filled_from_stock.mean()


@pytest.mark.parametrize("engine", ENGINES)
def test_higher_min_max_levels_mean_less_waiting(engine: str) -> None:
    low = {"policy": "min_max", "min": 10, "max": 40, "review_days": 7}
    high = {"policy": "min_max", "min": 30, "max": 60, "review_days": 7}
    for seed in range(3):
        a = replicate(fleet(engine, stocking=low), seed).claims
        b = replicate(fleet(engine, stocking=high), seed).claims
        assert b.wait_days.mean() < a.wait_days.mean()


@pytest.mark.parametrize("engine", ENGINES)
def test_longer_lead_time_means_lower_fill_rate(engine: str) -> None:
    stocking = {"policy": "base_stock", "level": 25}
    for seed in range(3):
        quick = replicate(fleet(engine, stocking=stocking, lead_time_days=7.0), seed).claims
        slow = replicate(fleet(engine, stocking=stocking, lead_time_days=28.0), seed).claims
        assert (slow.wait_days >= quick.wait_days - 1e-9).all()
        assert slow.filled_from_stock.mean() < quick.filled_from_stock.mean()


@pytest.mark.parametrize("engine", ENGINES)
def test_refurbishment_buys_fewer_new_parts(engine: str) -> None:
    stocking = {"policy": "base_stock", "level": 25}
    for seed in range(3):
        plain = replicate(fleet(engine, stocking=stocking), seed)
        refurb = replicate(fleet(engine, stocking=stocking,
                                       refurbish={"yield": 0.6, "days": 10}), seed)  # fmt: skip
        assert refurb.purchases.qty.sum() < plain.purchases.qty.sum()
        assert refurb.returns.refurbished.sum() > 0


def test_longer_lives_mean_fewer_claims() -> None:
    # Claims per replication: the difference of means must exceed 4 standard errors.
    short = [len(replicate(fleet(life={"shape": 1.2, "scale_months": 18.0}), s).claims.part)
             for s in range(6)]  # fmt: skip
    long = [len(replicate(fleet(life={"shape": 1.2, "scale_months": 27.0}), s).claims.part)
            for s in range(6)]  # fmt: skip
    diff = np.mean(short) - np.mean(long)
    se = math.sqrt(np.var(short, ddof=1) / 6 + np.var(long, ddof=1) / 6)
    assert diff > 4 * se
