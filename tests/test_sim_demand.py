"""A replication's demand (sales and claims) drawn once and reused by a stocking change, and the
workers' other shortcuts: the same event log and the same tables, to the bit, as the long way.

The failures cannot depend on the stock (sim/failures.py: a claim's day is drawn before any stock
decision), so the claims one stocking level draws are the claims every other level would draw;
these tests check that the reuse changes nothing, scenario by shipped scenario, and that the key
that licenses it moves with everything else the demand reads.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from factories import part, scenario
from test_sim_engines import assert_identical
from warrantysim.api import physical_of, prepare, tables_from_log
from warrantysim.scenario import Scenario, apply_overrides, load_scenario
from warrantysim.sim import stocking
from warrantysim.sim.key import demand_key, simulation_key
from warrantysim.sim.model import draw_demand, run_replication
from warrantysim.sim.stocking import plan_stock, poisson_quantile
from warrantysim.workbench.levers import Levers, apply_levers

SHIPPED = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))
SMALL = {"product.units_per_month": 800, "product.sales_months": 12}
SEED = 11


def _stocked(spec: Scenario, multiplier: float) -> Scenario:
    return apply_levers(spec, Levers.of(spec).replace(stocking_multiplier=multiplier))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_a_stocking_change_reusing_the_demand_gives_the_fresh_event_log(path: Path) -> None:
    spec = load_scenario(path, SMALL)
    moved = _stocked(spec, 0.5)
    price = prepare(spec).price
    assert prepare(moved).price == price
    assert demand_key(moved, price) == demand_key(spec, price)
    assert simulation_key(moved, price) != simulation_key(spec, price)
    demand = draw_demand(spec, SEED, 1, price=price)
    plan = prepare(moved).plan
    reused = run_replication(moved, SEED, 1, price=price, plan=plan, demand=demand)
    fresh = run_replication(moved, SEED, 1, price=price, plan=plan)
    assert_identical(reused, fresh)
    assert reused.extras.keys() == fresh.extras.keys()
    # and the reused demand was not written to by the run (functions return new values)
    again = draw_demand(spec, SEED, 1, price=price)
    for a, b in zip(demand.claims, again.claims, strict=True):
        np.testing.assert_array_equal(a.claim_day, b.claim_day)
    np.testing.assert_array_equal(demand.units, again.units)


def test_the_demand_key_moves_with_what_the_claims_read() -> None:
    spec = scenario(parts=[part("ssd", stocking={"policy": "min_max", "min": 2, "max": 6})])
    price = 1000.0
    key = demand_key(spec, price)
    minmax = apply_overrides(spec, {"parts.ssd.stocking.max": 9})
    assert demand_key(minmax, price) == key  # stocking only
    assert demand_key(spec, price + 1) != key  # the price moves the units sold
    for path, value in (
        ("parts.ssd.life.scale_months", 99.0),
        ("parts.ssd.supplier_fault_share", 0.3),
        ("product.units_per_month", 123.0),
        ("product.warranty_months", 13),
        ("service.no_fault_found_share", 0.1),
    ):
        assert demand_key(apply_overrides(spec, {path: value}), price) != key, path


def test_tables_without_parts_or_with_kept_counts_are_the_same_tables() -> None:
    spec = load_scenario(SHIPPED[0].parent / "status-quo.yaml", SMALL)
    price = prepare(spec).price
    log = run_replication(spec, SEED, 0, price=price, plan=prepare(spec).plan)
    full = tables_from_log(log, spec, price)
    lean = tables_from_log(log, spec, price, parts=False)
    kept = tables_from_log(log, spec, price, parts=False, physical=physical_of(log, spec))
    assert lean.parts.empty
    assert not full.parts.empty
    for other in (lean, kept):
        assert other.kpis == full.kpis
        pd.testing.assert_frame_equal(other.monthly, full.monthly, check_exact=True)
        pd.testing.assert_frame_equal(other.annual, full.annual, check_exact=True)
        for name, table in full.statements.items():
            pd.testing.assert_frame_equal(other.statements[name], table, check_exact=True)


def test_the_cached_poisson_quantile_is_the_computed_one() -> None:
    for mean in (0.3, 4.0, 57.25, 640.0):
        for q in (0.5, 0.95, 0.999):
            assert poisson_quantile(q, mean) == poisson_quantile.__wrapped__(q, mean)


def test_a_stocking_change_plans_from_the_kept_expected_claims_what_it_would_fresh(
    monkeypatch,
) -> None:
    spec = load_scenario(SHIPPED[0].parent / "status-quo.yaml", SMALL)
    price = prepare(spec).price
    for multiplier in (0.5, 1.7):
        moved = _stocked(spec, multiplier)
        kept = plan_stock(moved, price)
        monkeypatch.setattr(stocking, "_EXPECTED", {})  # nothing kept: computed again
        fresh = plan_stock(moved, price)
        assert kept.expected_claims is not fresh.expected_claims
        np.testing.assert_array_equal(kept.expected_claims, fresh.expected_claims)
        assert kept.last_buy_cover == fresh.last_buy_cover
        for a, b in zip(kept.base_stock_level, fresh.base_stock_level, strict=True):
            assert (a is None and b is None) or a.tolist() == b.tolist()
        assert not kept.expected_claims.flags.writeable  # shared between plans: read-only


@pytest.mark.parametrize("nff_share", [0.0, 0.2])
def test_claims_come_sorted_by_part_and_day_with_or_without_no_fault_found(nff_share) -> None:
    """The event log merges each part's claims with its no-fault-found returns by a stable
    sort, and skips it when there are none (the claims are drawn sorted): either way sorting
    the log's claims again by (part, claim day) must leave every column as it is."""
    spec = load_scenario(
        SHIPPED[0].parent / "status-quo.yaml", SMALL | {"service.no_fault_found_share": nff_share}
    )
    price = prepare(spec).price
    claims = run_replication(spec, SEED, 0, price=price, plan=prepare(spec).plan).claims
    assert claims.no_fault_found.any() == (nff_share > 0)
    order = np.lexsort((claims.claim_day, claims.part))
    for column in claims.__dataclass_fields__:
        values = getattr(claims, column)
        np.testing.assert_array_equal(values[order], values, err_msg=column)
