"""The fast path is an optimisation, not a second model: where it applies, the SimPy engine
gives the identical event log (same serve days, same purchases, to the bit); and under SimPy
the store and the technicians, not arithmetic, serve the claims."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from factories import part, replicate, scenario, with_engine
from test_sim_properties import scenarios
from warrantysim.scenario import Engine, Scenario, fast_path_blocker, load_scenario
from warrantysim.sim.eventlog import EventLog
from warrantysim.sim.model import resolve_engine
from warrantysim.sim.service import EngineCounts

SHIPPED = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))


def assert_identical(a: EventLog, b: EventLog) -> None:
    for table in ("claims", "returns", "purchases", "scrap"):
        first, second = getattr(a, table), getattr(b, table)
        for column in first.__dataclass_fields__:
            np.testing.assert_array_equal(
                getattr(first, column), getattr(second, column), err_msg=f"{table}.{column}"
            )
    for counts in ("units_sold", "on_hand_end", "backorders_end", "on_order_end",
                   "in_refurbishment_end"):  # fmt: skip
        np.testing.assert_array_equal(getattr(a, counts), getattr(b, counts), err_msg=counts)


def smaller(spec: Scenario, units_per_month: float) -> Scenario:
    """The same policy world with fewer units sold: every stocking rule still at work."""
    product = spec.product.model_copy(update={"units_per_month": units_per_month})
    return spec.model_copy(update={"product": product})


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_engines_agree_on_every_shipped_scenario_the_fast_path_serves(path: Path) -> None:
    spec = smaller(load_scenario(path), 1500.0)
    blocker = fast_path_blocker(spec)
    if blocker is not None:
        pytest.skip(f"the fast path does not serve it: {blocker}")
    assert resolve_engine(spec) is Engine.FAST  # auto picks the fast path
    fast = replicate(with_engine(spec, "fast"), 3, 1)
    simpy = replicate(with_engine(spec, "simpy"), 3, 1)
    assert len(fast.claims.part) > 1000
    assert len(fast.purchases.part) > 100
    assert_identical(fast, simpy)


@settings(max_examples=40, deadline=None)
@given(scenarios(), st.integers(0, 2**31))
def test_engines_agree_on_random_scenarios(spec: Scenario, seed: int) -> None:
    assert_identical(replicate(with_engine(spec, "fast"), seed),
                     replicate(with_engine(spec, "simpy"), seed))  # fmt: skip


def centre_fleet(**service: object) -> Scenario:
    spec = {
        "repair_centre": {"technicians": 3, "repair_days": {"dist": "exponential", "mean": 0.5}}
    } | service
    return scenario([part(stocking={"policy": "base_stock", "level": 12},
                          refurbish={"yield": 0.5, "days": 5})],
                    product={"units_per_month": 300}, service=spec)  # fmt: skip


def test_auto_takes_simpy_where_the_fast_path_is_not_exact() -> None:
    assert resolve_engine(centre_fleet()) is Engine.SIMPY
    assert resolve_engine(scenario(service={"no_fault_found_share": 0.1})) is Engine.SIMPY
    random_lead = scenario([part(lead_time_days={"dist": "gamma", "mean": 10, "cv": 0.5})])
    assert resolve_engine(random_lead) is Engine.SIMPY
    fixed_lead = scenario([part(lead_time_days={"dist": "fixed", "mean": 10})])
    assert resolve_engine(fixed_lead) is Engine.FAST
    with pytest.raises(ValidationError, match=r"fast path cannot serve .*repair_centre"):
        with_engine(centre_fleet(), "fast")


def test_simpy_store_and_technicians_carry_the_claims() -> None:
    for seed in range(3):
        log = replicate(centre_fleet(no_fault_found_share=0.2), seed)
        counts = log.extras["engine_counts"]
        assert isinstance(counts, EngineCounts)
        c = log.claims
        emergency_at_close = int(log.purchases.qty[(log.purchases.kind == 3)].sum())
        # Every part issued came out of the SimPy store, but those fitted by the emergency buy
        # at the horizon's end (bought and fitted at once, never in stock).
        assert counts.store_gets == int(c.takes_part.sum()) - emergency_at_close
        # Every repair, fault found or not, was a technician SimPy granted.
        assert counts.technician_grants == len(c.part)
        assert c.no_fault_found.any()
        assert (c.wait_days[c.no_fault_found] == 0).all()
        # A technician starts only after the part is there, and is never double-booked.
        assert (c.repair_start_day >= c.serve_day).all()
        busy = np.concatenate([[+1] * len(c.part), [-1] * len(c.part)])
        times = np.concatenate([c.repair_start_day, c.repair_done_day])
        order = np.lexsort((busy, times))  # at a tie the release counts first
        assert np.cumsum(busy[order]).max() <= 3
