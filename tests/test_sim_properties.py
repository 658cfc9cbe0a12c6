"""Invariants of the simulation over random valid scenarios (Hypothesis)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import ENGINES, replicate, scenario, with_engine
from warrantysim.scenario import Scenario
from warrantysim.sim.eventlog import EventLog, PurchaseKind, ScrapReason

floats = st.floats


@st.composite
def stocking(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        level = draw(st.one_of(st.just("auto"), st.integers(0, 30)))
        return {"policy": "base_stock", "level": level,
                "target_fill_rate": draw(floats(0.5, 0.99))}  # fmt: skip
    low = draw(st.integers(-1, 15))
    return {"policy": "min_max", "min": low, "max": draw(st.integers(max(low + 1, 1), low + 40)),
            "review_days": draw(floats(1.0, 14.0))}  # fmt: skip


@st.composite
def part_spec(draw: st.DrawFn, name: str, horizon: int) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": name,
        "qty_per_unit": draw(st.integers(1, 3)),
        "unit_cost": draw(floats(0, 1000)),
        "life": {"shape": draw(floats(0.5, 3.5)), "scale_months": draw(floats(3, 200))},
        "lead_time_days": draw(floats(0.5, 40)),
        "stocking": draw(stocking()),
        "supplier_fault_share": draw(floats(0, 1)),
    }
    if draw(st.booleans()):
        spec["early_defects"] = {"share": draw(floats(0, 0.2)), "shape": draw(floats(0.3, 1.0)),
                                 "scale_months": draw(floats(0.5, 6))}  # fmt: skip
    if draw(st.booleans()):
        spec["refurbish"] = {"yield": draw(floats(0, 1)), "days": draw(floats(0.5, 30))}
    if draw(st.booleans()):
        spec["last_buy"] = {"month": draw(st.integers(1, horizon)),
                            "service_level": draw(floats(0.5, 0.99))}  # fmt: skip
    return spec


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    sales_months = draw(st.integers(1, 12))
    warranty = draw(st.integers(1, 12))
    horizon = draw(st.integers(1, sales_months + warranty + 3))
    n_parts = draw(st.integers(1, 3))
    parts = [draw(part_spec(f"p{i}", horizon)) for i in range(n_parts)]
    return scenario(
        parts,
        product={"sales_months": sales_months, "warranty_months": warranty,
                 "units_per_month": draw(floats(5, 300)),
                 "demand_noise": draw(st.sampled_from(["poisson", "none"]))},
        simulation={"horizon_months": horizon},
        service={"repair_days": draw(floats(0, 5))},
        quality={"screening_coverage": draw(floats(0, 1)),
                 "reliability_growth_per_year": draw(floats(0, 0.5))},
    )  # fmt: skip


PROPERTY_SETTINGS = settings(max_examples=60, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


def per_part(
    log: EventLog, part_column: np.ndarray, values: np.ndarray | None = None
) -> np.ndarray:
    return np.bincount(part_column, weights=values, minlength=log.n_parts)


times = st.one_of(
    floats(0.5, 20),
    st.builds(lambda m: {"dist": "exponential", "mean": m}, floats(0.5, 20)),
    st.builds(lambda m, cv: {"dist": "gamma", "mean": m, "cv": cv}, floats(0.5, 20),
              floats(0.1, 2)),
    st.builds(lambda m, cv: {"dist": "lognormal", "mean": m, "cv": cv}, floats(0.5, 20),
              floats(0.1, 2)),
    st.builds(lambda a, w: {"dist": "uniform", "low": a, "high": a + w}, floats(0, 10),
              floats(0.5, 20)),
)  # fmt: skip


def with_service(spec: Scenario, draw: st.DrawFn) -> Scenario:
    """``spec`` with what only the SimPy engine serves: random lead times, a repair centre with
    random repair times, no-fault-found claims (each drawn on or off)."""
    raw = spec.model_dump(mode="json", by_alias=True)
    for part in raw["parts"]:
        if draw(st.booleans()):
            part["lead_time_days"] = draw(times)
    if draw(st.booleans()):
        repair = draw(times)
        repair = {"dist": "exponential", "mean": 0.3} if isinstance(repair, float) else repair
        raw["service"]["repair_centre"] = {"technicians": draw(st.integers(1, 4)),
                                           "repair_days": repair}  # fmt: skip
    raw["service"]["no_fault_found_share"] = draw(st.sampled_from([0.0, 0.3]))
    return Scenario.model_validate(raw)


@PROPERTY_SETTINGS
@pytest.mark.parametrize("engine", ENGINES)
@given(scenarios(), st.integers(0, 2**31), st.data())
def test_invariants(engine: str, spec: Scenario, seed: int, data: st.DataObject) -> None:
    spec = with_engine(spec if engine == "fast" else with_service(spec, data.draw), engine)
    log = replicate(spec, seed)
    c, horizon = log.claims, log.horizon_day
    # Stock never negative, at any month end.
    for table in (log.on_hand_end, log.backorders_end, log.on_order_end, log.in_refurbishment_end):
        assert (table >= 0).all()
    # Every claim served exactly once, never before its failure, by the horizon's end, FCFS.
    assert np.isfinite(c.serve_day).all()
    assert (c.serve_day >= c.claim_day).all()
    assert (c.serve_day <= horizon).all()
    assert (c.claim_day < horizon).all()
    for p in range(log.n_parts):
        mine = c.part == p
        assert (np.diff(c.claim_day[mine]) >= 0).all()
        assert (np.diff(c.serve_day[mine & c.takes_part]) >= 0).all()
    # Repairs start once the part is there and end after they start; a no-fault claim takes none.
    assert (c.repair_start_day >= c.serve_day).all()
    assert (c.repair_done_day >= c.repair_start_day).all()
    assert (c.wait_days[c.no_fault_found] == 0).all()
    # Parts conserved: bought + refurbished = consumed + scrapped from stock (on hand ends at 0).
    bought = per_part(log, log.purchases.part, log.purchases.qty)
    refurbished = per_part(log, log.returns.part, log.returns.refurbished.astype(float))
    consumed = per_part(log, c.part[c.takes_part])
    end = log.scrap.reason == ScrapReason.END_OF_HORIZON
    scrapped = per_part(log, log.scrap.part[end], log.scrap.qty[end])
    np.testing.assert_array_equal(bought + refurbished, consumed + scrapped)
    # Every returned part is refurbished or scrapped, once.
    unrepaired = per_part(log, log.scrap.part[~end], log.scrap.qty[~end])
    np.testing.assert_array_equal(consumed, refurbished + unrepaired)
    # Nothing is received after the horizon, nor before it was ordered.
    p = log.purchases
    assert (p.receipt_day >= p.order_day).all()
    assert (p.receipt_day <= horizon).all()
    assert set(np.unique(p.kind)) <= {k.value for k in PurchaseKind}


@settings(max_examples=15, deadline=None)
@pytest.mark.parametrize("engine", ENGINES)
@given(scenarios(), st.integers(0, 2**31), st.data())
def test_same_seed_same_results(
    engine: str, spec: Scenario, seed: int, data: st.DataObject
) -> None:
    spec = with_engine(spec if engine == "fast" else with_service(spec, data.draw), engine)
    first, second = replicate(spec, seed), replicate(spec, seed)
    for table in ("claims", "returns", "purchases", "scrap"):
        a, b = getattr(first, table), getattr(second, table)
        for column in a.__dataclass_fields__:
            np.testing.assert_array_equal(getattr(a, column), getattr(b, column))
    np.testing.assert_array_equal(first.on_hand_end, second.on_hand_end)


def vary_non_demand_levers(spec: Scenario, draw: st.DrawFn) -> Scenario:
    """The same scenario with other stocking, refurbishment, lead times, accounting, chargebacks
    and pricing (without price elasticity)."""
    raw = spec.model_dump(mode="json", by_alias=True)
    for part in raw["parts"]:
        part["stocking"] = draw(stocking())
        part["lead_time_days"] = draw(floats(0.5, 40))
        part["refurbish"] = {"yield": draw(floats(0, 1)), "days": draw(floats(0.5, 30))}
        part["last_buy"] = None
    raw["accounting"]["spares_treatment"] = draw(
        st.sampled_from(["capitalise", "expense_on_purchase", "accrue_per_unit"])
    )
    raw["accounting"]["book_value_cap"]["absolute"] = draw(st.sampled_from([None, 1000.0]))
    raw["suppliers"] = {"acme": {"chargeback_share": draw(floats(0, 1)),
                                 "recovery_rate": draw(floats(0, 1)),
                                 "price_uplift": draw(floats(0, 0.05))}}  # fmt: skip
    for part in raw["parts"]:
        part["supplier"] = "acme"
    # Pricing without elasticity moves no unit sold (DESIGN.md, "Randomness").
    raw["pricing"]["demand_elasticity"] = 0.0
    raw["pricing"]["policy"] = draw(st.sampled_from(["fixed", "cost_plus"]))
    raw["accounting"]["age_writedown_months"] = draw(st.sampled_from([None, 36]))
    raw["service"]["late_penalty_per_day"] = draw(floats(0, 100))
    return Scenario.model_validate(raw)


@settings(max_examples=25, deadline=None)
@pytest.mark.parametrize("engine", ENGINES)
@given(scenarios(), st.integers(0, 2**31), st.data())
def test_common_random_numbers(engine: str, spec: Scenario, seed: int, data: st.DataObject) -> None:
    # Levers that do not touch demand or failures must not move a single claim.
    other = vary_non_demand_levers(spec, data.draw)
    if engine == "simpy":
        spec, other = with_engine(spec, engine), with_service(with_engine(other, engine), data.draw)
    first, second = replicate(spec, seed), replicate(other, seed)
    np.testing.assert_array_equal(first.units_sold, second.units_sold)
    a, b = first.claims, second.claims
    failed_a, failed_b = a.takes_part, b.takes_part  # no-fault-found returns come on top
    np.testing.assert_array_equal(a.claim_day[failed_a], b.claim_day[failed_b])
    np.testing.assert_array_equal(a.part[failed_a], b.part[failed_b])
    np.testing.assert_array_equal(a.supplier_fault[failed_a], b.supplier_fault[failed_b])
