"""Opening stock (``opening_balance.spares``) is real stock in both engines.

It is on the shelf at day 0: the day-0 buy only tops it up to the first level, stock above the
level is used up before a replacement is ordered (base stock's credits), and the fast path and
the SimPy engine give the identical event log with it. ``level: auto`` sees the history's claims.
"""

from __future__ import annotations

import numpy as np
import pytest

from factories import ENGINES, part, replicate, scenario, with_engine
from test_sim_engines import assert_identical
from warrantysim.accounting.pricing import unit_price
from warrantysim.scenario import Scenario
from warrantysim.sim.eventlog import PurchaseKind, ScrapReason
from warrantysim.sim.renewal import expected_claims_per_unit
from warrantysim.sim.stocking import plan_stock


def with_opening(qty: int, level: int = 20, **product: object) -> Scenario:
    lots = [{"qty": qty - qty // 2, "unit_cost": 300.0, "age_months": 3},
            {"qty": qty // 2, "unit_cost": 280.0, "age_months": 1}]  # fmt: skip
    return scenario(
        [part(stocking={"policy": "base_stock", "level": level})],
        product={"sales_months": 12, "units_per_month": 1000, "unit_cost": 4200.0,
                 "warranty_months": 12, "demand_noise": "none", "history_months": 6} | product,
        opening_balance={"spares": {"ssd": lots}},
    )  # fmt: skip


@pytest.mark.parametrize("engine", ENGINES)
def test_stock_above_the_level_is_used_before_anything_is_ordered(engine: str) -> None:
    # 50 on the shelf against S = 20: no day-0 buy, and the first 30 claims (IP 50 → 20)
    # order nothing; from the 31st on, each claim orders one (one-for-one, no refurbishment).
    log = replicate(with_engine(with_opening(50), engine), 7)
    buys = log.purchases
    assert PurchaseKind.INITIAL not in set(buys.kind.tolist())
    claims = np.sort(log.claims.claim_day)
    assert len(claims) > 100
    assert buys.order_day.min() == claims[30]
    assert log.opening_stock is not None
    assert log.opening_stock.tolist() == [50]
    # parts conserved: opening + bought = issued + scrapped at the end (nothing refurbished)
    issued = int(log.claims.takes_part.sum())
    at_end = int(log.scrap.qty[log.scrap.reason == ScrapReason.END_OF_HORIZON].sum())
    assert 50 + int(buys.qty.sum()) == issued + at_end


@pytest.mark.parametrize("engine", ENGINES)
def test_stock_below_the_level_is_topped_up_at_day_0(engine: str) -> None:
    log = replicate(with_engine(with_opening(5), engine), 7)
    initial = log.purchases.kind == PurchaseKind.INITIAL
    assert log.purchases.qty[initial].tolist() == [15]  # 20 − 5
    assert log.on_hand_end[0, 0] >= 0


@pytest.mark.slow  # four scenarios through both engines: over 2 s
def test_the_engines_agree_with_opening_stock() -> None:
    for qty, level in ((50, 20), (5, 20), (0, 20), (400, 60)):
        spec = with_opening(qty, level)
        assert_identical(replicate(with_engine(spec, "fast"), 11),
                         replicate(with_engine(spec, "simpy"), 11))  # fmt: skip


def test_level_auto_sees_the_history_s_claims() -> None:
    # With constant sales and a history as long as the warranty, every month of the horizon has
    # the steady claim rate of a full fleet in warranty: units a month × M(W) per month (each
    # cohort makes M(W) claims over its warranty; W cohorts are in it at once). Without the
    # history, month 1 would see almost none and S would start near 0.
    spec = with_opening(0, history_months=12)
    raw = spec.model_dump(by_alias=True)
    raw["parts"][0]["stocking"] = {"policy": "base_stock", "level": "auto"}
    raw["product"]["sales_months"] = 24
    raw["simulation"]["horizon_months"] = 24
    raw["opening_balance"]["spares"] = {}
    spec = Scenario.model_validate(raw)
    plan = plan_stock(spec, unit_price(spec))
    steady = 1000 * expected_claims_per_unit(spec, spec.parts[0])
    assert plan.expected_claims[0] == pytest.approx(np.full(24, steady), rel=1e-3)
    raw["product"]["history_months"] = 0
    fresh = plan_stock(Scenario.model_validate(raw), unit_price(spec))
    assert fresh.base_stock_level[0][0] < plan.base_stock_level[0][0]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_continuing_business_finishes_the_refurbishments_running_at_the_horizon(
    engine: str,
) -> None:
    # Every return is refurbishable (yield 1) in 30 days: those coming back in the last 30 days
    # are scrap when the horizon ends the business, and refurbished after it when it does not.
    raw = with_opening(0).model_dump(by_alias=True)
    raw["parts"][0]["refurbish"] = {"yield": 1.0, "cost": 20.0, "days": 30.0}
    raw["opening_balance"]["spares"] = {}
    late = []
    for end_of_life in (True, False):
        raw["simulation"]["end_of_life"] = end_of_life
        log = replicate(with_engine(Scenario.model_validate(raw), engine), 5)
        after = log.returns.return_day + 30.0 >= log.horizon_day
        late.append(int(after.sum()))
        assert log.returns.refurbished[~after].all()
        assert log.returns.refurbished[after].all() != end_of_life
        assert int(log.scrap.qty[log.scrap.reason == ScrapReason.RETURN_UNREPAIRABLE].sum()) == (
            late[-1] if end_of_life else 0
        )
    assert late[0] == late[1] > 10
