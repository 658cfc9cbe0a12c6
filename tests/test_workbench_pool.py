"""The workbench's speed without changing a number: warm worker processes, plans and bookings
shared by what they read, charts redrawn in place.

Real processes (a fork server and two workers) run the real model on a small fleet; their
answer must equal the in-process one exactly (the same seeds, the same code: bit for bit).
"""

from __future__ import annotations

import multiprocessing

import pandas as pd
import pytest

from warrantysim.api import prepare
from warrantysim.scenario import load_scenario
from warrantysim.sim.stocking import plan_stock
from warrantysim.workbench import policy_files
from warrantysim.workbench import pool as pool_module
from warrantysim.workbench.caches import ByteBoundCache, log_bytes
from warrantysim.workbench.engine import (
    Background,
    Job,
    Policy,
    ResultsCache,
    booking_key,
    compare_streamed,
)
from warrantysim.workbench.levers import Levers, apply_levers
from warrantysim.workbench.pool import WarmPool

SMALL = {"product.units_per_month": 1500, "product.sales_months": 12}
REPS, SEED = 3, 7


@pytest.fixture(scope="module")
def scenarios():
    files = policy_files()
    names = ("status-quo", "expense-on-purchase", "supplier-chargeback")
    return {n: load_scenario(files[n], SMALL) for n in names}


@pytest.fixture(scope="module")
def pool(scenarios):
    warm = WarmPool(workers=2)
    warm.warm(scenarios.values())
    yield warm
    warm.close()


def _job() -> Job:
    background: Background = Background(lambda o: None, lambda e: None, lambda b: None)
    return Job(background, background.generation)


def test_the_pool_gives_the_in_process_numbers_exactly(scenarios, pool):
    policies = {n: Policy.of(s) for n, s in scenarios.items()}
    here = compare_streamed(policies, REPS, SEED, ResultsCache(), _job())
    there = compare_streamed(policies, REPS, SEED, ResultsCache(pool=pool), _job())
    for table in ("kpis", "monthly", "annual"):
        pd.testing.assert_frame_equal(getattr(there, table), getattr(here, table))
    assert len(pool.pids()) == 2


def test_a_stocking_change_in_the_pool_gives_the_in_process_numbers_exactly(scenarios, pool):
    quo = scenarios["status-quo"]
    policies = {
        "status-quo": Policy.of(quo),
        "deeper": Policy(quo, Levers.of(quo).replace(stocking_multiplier=1.6)),
        "shallower": Policy(quo, Levers.of(quo).replace(stocking_multiplier=0.5)),
    }
    background: Background = Background(lambda o: None, lambda e: None, lambda b: None)
    background.generation = 1000  # newer than any superseded request of another test
    there = compare_streamed(policies, REPS, SEED, ResultsCache(pool=pool), Job(background, 1000))
    here = compare_streamed(policies, REPS, SEED, ResultsCache(), _job())
    for table in ("kpis", "monthly", "annual"):
        pd.testing.assert_frame_equal(getattr(there, table), getattr(here, table))


def test_a_worker_draws_the_demand_once_for_every_stocking_level(scenarios, monkeypatch):
    """The worker's task run in this process: three stocking levels, one demand per replication,
    and each answer the in-process one (less the per-part table, which it does not build)."""
    quo = scenarios["status-quo"]
    worker = pool_module._Worker(
        multiprocessing.Value("q", 0),
        ByteBoundCache(2**30, log_bytes),
        ByteBoundCache(2**30, log_bytes),
    )
    monkeypatch.setattr(pool_module, "_worker", worker)
    for multiplier in (1.0, 0.5, 1.6):
        moved = apply_levers(quo, Levers.of(quo).replace(stocking_multiplier=multiplier))
        for r in range(2):
            run = pool_module._replication(moved.model_dump_json(), SEED, r, 0)
            assert run is not None
            assert run.parts.empty
            alone = ResultsCache().replication(moved, SEED, r)
            assert run.kpis == alone.kpis
            pd.testing.assert_frame_equal(run.monthly, alone.monthly, check_exact=True)
            pd.testing.assert_frame_equal(run.annual, alone.annual, check_exact=True)
    assert (len(worker.demands), len(worker.logs)) == (2, 6)
    # a chargeback change re-books the kept logs with their kept physical counts
    levers = Levers.of(quo)
    shares = tuple((name, 0.3) for name, _ in levers.chargeback_shares)
    rebooked = apply_levers(quo, levers.replace(chargeback_shares=shares))
    run = pool_module._replication(rebooked.model_dump_json(), SEED, 1, 0)
    assert run is not None
    alone = ResultsCache().replication(rebooked, SEED, 1)
    assert run.kpis == alone.kpis
    pd.testing.assert_frame_equal(run.monthly, alone.monthly, check_exact=True)
    assert len(worker.logs) == 6  # nothing simulated again


def test_workers_skip_the_tasks_of_a_superseded_request(scenarios, pool):
    scenario = scenarios["status-quo"]
    pool.supersede(5)
    assert pool.submit(scenario, SEED, 0, generation=4).result() is None
    current = pool.submit(scenario, SEED, 0, generation=5).result()
    assert current is not None
    assert current.kpis == ResultsCache().replication(scenario, SEED, 0).kpis


def test_stock_plan_is_keyed_on_physical_fields_only(scenarios):
    quo, expense = scenarios["status-quo"], scenarios["expense-on-purchase"]
    assert quo.accounting != expense.accounting
    # The same plan object: made once, for both (the books do not change what is stocked).
    assert prepare(expense).plan is prepare(quo).plan
    fresh = plan_stock(expense, prepare(expense).price)
    made_levels = prepare(expense).plan.base_stock_level
    for made, again in zip(made_levels, fresh.base_stock_level, strict=True):
        assert (made is None and again is None) or (made == again).all()
    moved = apply_levers(quo, Levers.of(quo).replace(stocking_multiplier=2.0))
    assert prepare(moved).plan is not prepare(quo).plan


def test_a_renamed_policy_is_not_booked_again(scenarios):
    quo = scenarios["status-quo"]
    renamed = quo.model_copy(update={"name": "status-quo ✎", "description": "edited"})
    assert booking_key(renamed) == booking_key(quo)
    cache = ResultsCache()
    first = cache.replication(quo, SEED, 0)
    assert cache.replication(renamed, SEED, 0) is first


def test_charts_with_new_data_only_send_new_rows_not_new_specs(scenarios):
    from warrantysim.charts_figure import with_rows
    from warrantysim.report.figures import figures
    from warrantysim.workbench.chartpanel import ChartPanel
    from warrantysim.workbench.dashboard import WORKBENCH_LABELS

    policies = {n: Policy.of(s) for n, s in scenarios.items()}
    cache = ResultsCache()
    panel = ChartPanel()
    sent: list[set[str]] = []
    panel.observe(lambda change: sent.append({change["name"]}), names=["specs", "data"])
    before = compare_streamed(policies, 2, SEED, cache, _job())
    panel.show(figures(before, WORKBENCH_LABELS))
    specs = panel.specs
    after = compare_streamed(policies, 3, SEED, cache, _job())  # one more replication
    drawn = figures(after, WORKBENCH_LABELS)
    sent.clear()
    panel.show(drawn)
    assert sent == [{"data"}]  # the specs compare equal: only the rows go to the page
    assert panel.specs == specs
    assert panel.revision == 2
    assert panel.data["cumulative_profit"] == drawn["cumulative_profit"].records()
    # The page draws the whole spec with these rows: exactly what the report's spec holds.
    whole = drawn["cumulative_profit"].to_dict()
    assert with_rows(panel.specs["cumulative_profit"], panel.data["cumulative_profit"]) == whole
    # Fewer policies: other colours and legend, so the specs change and go to the page.
    two = {n: policies[n] for n in list(policies)[:2]}
    sent.clear()
    panel.show(figures(compare_streamed(two, 2, SEED, cache, _job()), WORKBENCH_LABELS))
    assert {"specs"} in sent
    assert panel.specs["cumulative_profit"] != specs["cumulative_profit"]


@pytest.mark.slow  # vl-convert draws 12 images and the report
def test_export_writes_every_chart_and_the_report_of_the_view(scenarios, tmp_path):
    from warrantysim.workbench.cards import DISTRIBUTION_KPI
    from warrantysim.workbench.dashboard import Dashboard

    board = Dashboard(scenarios, list(scenarios)[:2], replications=2, seed=SEED)
    board.export_root = tmp_path
    with pytest.raises(ValueError, match="no full answer yet"):
        board.export_charts()
    board.update(board.compute())
    files = board.export_charts()
    names = {p.stem for p in files}
    assert names == {f"{DISTRIBUTION_KPI}_difference", *board.charts.panel.order}
    for path in files:
        head = path.read_bytes()[:8]
        assert head == b"\x89PNG\r\n\x1a\n" if path.suffix == ".png" else b"<svg" in head
    board.base.value = list(scenarios)[1]  # the chosen base is the report's base too
    report = board.make_report()
    assert report.parent != files[0].parent  # each export in its own folder
    text = report.read_text(encoding="utf-8")
    assert all(policy in text for policy in board.comparison.policies)
    # The same sections as the command line's report: the policies' scenarios are known.
    for heading in ("Assumptions that drive these numbers", "Appendix: assumptions"):
        assert heading in text
    assert f"(10k CNY, {list(scenarios)[1]})" in text  # the variance against the chosen base
    board._export_clicked(lambda: [report])
    assert f"href='warrantysim/exports/{report.parent.name}/report.html'" in board.exported.value


def test_the_charts_take_differences_from_the_chosen_base(scenarios):
    from warrantysim.workbench.dashboard import Dashboard

    board = Dashboard(scenarios, list(scenarios), replications=2, seed=SEED)
    board.update(board.compute())
    board.base.value = "supplier-chargeback"
    rows = board.charts.panel.data["cumulative_difference"]["cumulative_difference"]
    assert {r["policy"] for r in rows} == {"status-quo", "expense-on-purchase"}
    spread = board.distribution.panel.data["difference"]["difference"]
    assert {r["policy"] for r in spread} == {"status-quo", "expense-on-purchase"}
