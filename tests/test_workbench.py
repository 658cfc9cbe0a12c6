"""The workbench: levers as scenario overrides, the background runner, the dashboard's update.

Dashboard tests drive the real model on a small fleet and compare what the widgets show with a
direct ``simulate`` call for the same settings (same seed: the same numbers, up to the order in
which a mean sums them, hence rel=1e-12).
"""

from __future__ import annotations

import re
import threading

import numpy as np
import pandas as pd
import pytest

from warrantysim.api import prepare, simulate
from warrantysim.scenario import SparesTreatment, load_scenario
from warrantysim.workbench import policy_files
from warrantysim.workbench.engine import Background
from warrantysim.workbench.levers import Levers, apply_levers

SMALL = {"product.units_per_month": 1500, "product.sales_months": 12}
REPS = 2
SEED = 7


@pytest.fixture(scope="module")
def scenarios():
    files = policy_files()
    return {n: load_scenario(files[n], SMALL) for n in ("status-quo", "supplier-chargeback")}


def test_levers_read_from_a_scenario_change_nothing(scenarios):
    for scenario in scenarios.values():
        assert apply_levers(scenario, Levers.of(scenario)) == scenario


def test_chargeback_lever_sets_every_supplier(scenarios):
    scenario = scenarios["status-quo"]
    moved = apply_levers(scenario, Levers.of(scenario).replace(chargeback_share=0.4))
    assert {s.chargeback_share for s in moved.suppliers.values()} == {0.4}
    assert moved.parts == scenario.parts


def test_stocking_multiplier_scales_planned_levels(scenarios):
    scenario = scenarios["status-quo"]
    planned = prepare(scenario).plan.base_stock_level
    moved = apply_levers(scenario, Levers.of(scenario).replace(stocking_multiplier=2.0))
    replanned = prepare(moved).plan.base_stock_level
    checked = 0
    for before, after, levels, new in zip(
        scenario.parts, moved.parts, planned, replanned, strict=True
    ):
        if levels is not None:  # base stock: every month's planned level, doubled
            np.testing.assert_array_equal(new, np.rint(2 * levels))
        else:  # min_max: both bounds doubled
            assert (after.stocking.min, after.stocking.max) == (
                round(2 * before.stocking.min),
                round(2 * before.stocking.max),
            )
        checked += 1
    assert checked == len(scenario.parts)


def test_reliability_multiplier_scales_lives(scenarios):
    scenario = scenarios["status-quo"]
    moved = apply_levers(scenario, Levers.of(scenario).replace(reliability_multiplier=1.5))
    for before, after in zip(scenario.parts, moved.parts, strict=True):
        assert after.life.scale_months == pytest.approx(1.5 * before.life.scale_months)


def _collecting_background():
    done, errors, busy = [], [], []
    return Background(done.append, errors.append, busy.append), done, errors, busy


def test_background_reports_only_the_newest_request():
    background, done, errors, busy = _collecting_background()
    release = threading.Event()
    background.submit(lambda: release.wait() and "stale")
    background.submit(lambda: "fresh")
    release.set()
    background.wait(timeout_s=30)
    assert [o.value for o in done] == ["fresh"]
    assert errors == []
    assert busy[-1] is False


def test_background_reports_errors_and_clears_busy():
    background, done, errors, busy = _collecting_background()

    def fail() -> str:
        raise ValueError("bad lever")

    background.submit(fail)
    background.wait(timeout_s=30)
    assert done == []
    assert isinstance(errors[0], ValueError)
    assert busy == [True, False]


@pytest.fixture(scope="module")
def dashboard(scenarios):
    from warrantysim.workbench.dashboard import Dashboard

    return Dashboard(scenarios, list(scenarios), replications=REPS, seed=SEED)


def _shown(html: str, kpi: str, policy: str) -> float:
    match = re.search(rf"data-kpi='{kpi}' data-policy='{policy}' data-value='([^']+)'", html)
    assert match, html
    return float(match.group(1))


def test_update_shows_what_the_api_gives(dashboard, scenarios):
    comparison = dashboard.compute()
    dashboard.update(comparison)
    direct = simulate(scenarios["supplier-chargeback"], replications=REPS, seed=SEED)
    shown = _shown(dashboard.kpis.value, "lifetime_profit", "supplier-chargeback")
    assert shown == pytest.approx(direct.kpis["lifetime_profit"].mean(), rel=1e-12)
    assert "Up to date" in dashboard.status.value
    for chart in dashboard.charts.charts.values():
        assert chart.spec
        assert chart.spec.get("datasets")


def test_moving_a_lever_recomputes_that_policy(dashboard, scenarios):
    dashboard.edit.value = "status-quo"
    dashboard.levers.treatment.value = SparesTreatment.EXPENSE_ON_PURCHASE
    assert "ws-stale" in dashboard.results._dom_classes  # faded until the answer is in
    dashboard.wait(timeout_s=300)
    assert not dashboard.busy
    assert "ws-stale" not in dashboard.results._dom_classes
    expected_scenario = load_scenario(
        policy_files()["status-quo"],
        {**SMALL, "accounting.spares_treatment": "expense_on_purchase"},
    )
    direct = simulate(expected_scenario, replications=REPS, seed=SEED)
    shown = _shown(dashboard.kpis.value, "first_year_profit", "status-quo")
    assert shown == pytest.approx(direct.kpis["first_year_profit"].mean(), rel=1e-12)
    # Switching the edited policy shows that policy's own levers, and changes nothing.
    dashboard.edit.value = "supplier-chargeback"
    assert dashboard.levers.treatment.value == SparesTreatment.CAPITALISE
    assert dashboard.policies["status-quo"].levers.spares_treatment == "expense_on_purchase"


def test_accounting_levers_rebook_cached_logs_to_the_api_numbers(scenarios):
    from warrantysim.workbench.engine import ResultsCache

    cache = ResultsCache()
    scenario = scenarios["status-quo"]
    levers = Levers.of(scenario).replace(
        spares_treatment=SparesTreatment.ACCRUE_PER_UNIT, age_writedown_months=36
    )
    rebooked = apply_levers(scenario, levers)
    cache.simulate(scenario, REPS, SEED)
    got = cache.simulate(rebooked, REPS, SEED)
    assert len(cache._logs) == REPS  # the second policy reused the first one's event logs
    direct = simulate(rebooked, replications=REPS, seed=SEED)
    for table in ("kpis", "monthly", "annual"):
        pd.testing.assert_frame_equal(getattr(got, table), getattr(direct, table))


def test_any_scenario_file_can_join_the_comparison(scenarios, tmp_path):
    from warrantysim.workbench.dashboard import Dashboard

    board = Dashboard(scenarios, ["status-quo"], replications=REPS, seed=SEED)
    scenarios_dir = policy_files()["status-quo"].parent
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        f"extends: {scenarios_dir / 'status-quo.yaml'}\nname: mine\n"
        "product: {units_per_month: 1500, sales_months: 12}\n"
        "accounting: {age_writedown_months: 24}\n"
    )
    assert board.add_scenario_file(str(mine)) == "mine"
    board.wait(timeout_s=300)
    assert board.selected == ["status-quo", "mine"]
    assert board.comparison is not None
    assert board.comparison.policies == ["status-quo", "mine"]
    # A bad path is reported in the status line (a click handler must not raise).
    board.file.value = str(tmp_path / "missing.yaml")
    board._add_clicked()
    assert "⚠" in board.status.value


def test_age_writedown_off_is_shown_and_read_back(scenarios):
    from warrantysim.workbench.controls import LeverControls

    controls = LeverControls()
    levers = Levers.of(scenarios["status-quo"])
    assert levers.age_writedown_months is None
    controls.set(levers)
    # ipywidgets renders a None value as an empty box; "off" must be what the user sees.
    assert controls.age_writedown.label == "off"
    assert controls.get().age_writedown_months is None
    controls.set(levers.replace(age_writedown_months=48))
    assert controls.age_writedown.label == "48 months"
    assert controls.get().age_writedown_months == 48
