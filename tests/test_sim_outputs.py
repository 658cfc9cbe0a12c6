"""The per-part monthly table (``parts.parquet``, ``Results.parts``) against the event log."""

from __future__ import annotations

import numpy as np

from factories import part, replicate, scenario
from warrantysim.api import simulate
from warrantysim.scenario import DAYS_PER_MONTH
from warrantysim.sim.physical import monthly_parts, monthly_physical, technician_busy_days


def two_parts_at_a_centre() -> object:
    repair = {"dist": "gamma", "mean": 0.4, "cv": 0.7}
    return scenario(
        [part("ssd", stocking={"policy": "base_stock", "level": 6},
              lead_time_days={"dist": "lognormal", "mean": 12, "cv": 0.5}),
         part("fan", life={"shape": 1.5, "scale_months": 30.0},
              stocking={"policy": "min_max", "min": 3, "max": 9, "review_days": 7},
              refurbish={"yield": 0.5, "days": 6})],
        product={"units_per_month": 200},
        service={"repair_centre": {"technicians": 2, "repair_days": repair},
                 "no_fault_found_share": 0.1},
    )  # fmt: skip


def test_parts_table_adds_up_to_the_log_and_the_totals() -> None:
    spec = two_parts_at_a_centre()
    log = replicate(spec, 4)
    table = monthly_parts(log)
    assert len(table) == 2 * log.horizon_months
    c = log.claims
    for p, name in enumerate(log.part_names):
        mine = table[table["part_name"] == name]
        assert mine["claims"].sum() == (c.part == p).sum()
        assert mine["claims_no_fault_found"].sum() == (c.no_fault_found & (c.part == p)).sum()
        np.testing.assert_array_equal(mine["backorders_end"], log.backorders_end[p])
        # A month's mean wait for a part is over that month's claims that took one.
        month = log.month_index(c.claim_day) + 1
        for m in (3, 9):
            took = (c.part == p) & (month == m) & c.takes_part
            expected = c.wait_days[took].mean() if took.any() else 0.0
            assert np.isclose(mine.loc[mine["month"] == m, "mean_wait_days"].item(), expected)
    totals = table.groupby("month")[["claims", "on_hand_end", "in_refurbishment_end"]].sum()
    physical = monthly_physical(log).set_index("month")
    for column in totals.columns:
        np.testing.assert_array_equal(totals[column], physical[column])
    # Utilisation: technician-days of all repairs over the technicians' days, month by month.
    busy = technician_busy_days(log).sum(axis=0)
    lengths = c.repair_done_day - c.repair_start_day
    inside = c.repair_done_day <= log.horizon_day
    assert np.isclose(busy.sum(), lengths[inside].sum() + np.clip(
        log.horizon_day - c.repair_start_day[~inside], 0, None).sum())  # fmt: skip
    utilisation = table.groupby("month")["technician_utilisation"].sum()
    np.testing.assert_allclose(utilisation, busy / (2 * DAYS_PER_MONTH))
    assert (utilisation <= 1 + 1e-9).all()


def test_simulate_returns_the_parts_table_per_replication() -> None:
    spec = two_parts_at_a_centre()
    results = simulate(spec, replications=2, seed=3)
    assert set(results.parts["replication"]) == {0, 1}
    assert len(results.parts) == 2 * 2 * spec.horizon_months
    kpis = results.kpis
    assert (kpis["technician_utilisation"] > 0).all()
    assert (kpis["claims_no_fault_found"] > 0).all()
