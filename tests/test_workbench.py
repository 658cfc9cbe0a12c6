"""The workbench: levers as scenario overrides, the background runner, the dashboard's update.

Dashboard tests drive the real model on a small fleet and compare what the widgets show with a
direct ``simulate`` call for the same settings (same seed: the same numbers, up to the order in
which a mean sums them, hence rel=1e-12).
"""

from __future__ import annotations

import dataclasses
import re
import threading

import numpy as np
import pandas as pd
import pytest

from warrantysim.api import prepare, simulate
from warrantysim.report.figures import figures
from warrantysim.scenario import SparesTreatment, apply_overrides, load_scenario
from warrantysim.workbench import policy_files
from warrantysim.workbench.engine import Background, Policy
from warrantysim.workbench.levers import Levers, apply_levers

SMALL = {"product.units_per_month": 1500, "product.sales_months": 12}
SMALL_YAML = "product: {units_per_month: 1500, sales_months: 12}\n"
REPS = 2
SEED = 7


@pytest.fixture(scope="module")
def scenarios():
    files = policy_files()
    return {n: load_scenario(files[n], SMALL) for n in ("status-quo", "supplier-chargeback")}


def test_levers_read_from_a_scenario_change_nothing(scenarios):
    for scenario in scenarios.values():
        assert apply_levers(scenario, Levers.of(scenario)) == scenario


def test_chargeback_levers_are_per_supplier(scenarios):
    scenario = scenarios["status-quo"]
    first, *others = scenario.suppliers
    shares = tuple(
        (n, 0.4 if n == first else s.chargeback_share) for n, s in scenario.suppliers.items()
    )
    moved = apply_levers(scenario, Levers.of(scenario).replace(chargeback_shares=shares))
    assert moved.suppliers[first].chargeback_share == 0.4
    for name in others:
        assert moved.suppliers[name] == scenario.suppliers[name]
    assert moved.parts == scenario.parts


def test_technicians_lever_adds_sets_and_removes_the_repair_centre(scenarios):
    scenario = scenarios["status-quo"]
    assert Levers.of(scenario).technicians == 0
    with_centre = apply_levers(scenario, Levers.of(scenario).replace(technicians=12))
    centre = with_centre.service.repair_centre
    assert centre is not None
    assert centre.technicians == 12
    assert centre.repair_days == scenario.service.repair_days
    fewer = apply_levers(with_centre, Levers.of(with_centre).replace(technicians=3))
    assert fewer.service.repair_centre.technicians == 3
    assert apply_levers(fewer, Levers.of(fewer).replace(technicians=0)) == scenario


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
    background.submit(lambda job: release.wait() and "stale")
    background.submit(lambda job: "fresh")
    release.set()
    background.wait(timeout_s=30)
    assert [o.value for o in done] == ["fresh"]
    assert errors == []
    assert busy[-1] is False


def test_background_reports_errors_and_clears_busy():
    background, done, errors, busy = _collecting_background()

    def fail(job) -> str:
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
    panel = dashboard.charts.panel
    assert panel.order == list(figures(comparison, dashboard.labels))
    for name in panel.order:
        assert panel.specs[name]["$schema"]
        # The rows travel in `data`, not in the spec.
        assert not set(panel.specs[name].get("datasets", {})) & set(panel.data[name])
        assert all(panel.data[name].values())


def test_the_first_lever_change_finds_its_chart_specs_built(dashboard):
    """The first change marks the edited policy modified (a new shape for every chart); the
    specs for that shape are built while the page is idle, so drawing its answer builds none."""
    from warrantysim.charts_figure import _template

    dashboard.edit.value = "status-quo"
    dashboard.update(dashboard.compute())
    assert dashboard.preparing is not None
    dashboard.preparing.join(timeout=120)
    policy = dashboard.policies["status-quo"]
    dashboard.policies["status-quo"] = Policy(
        policy.scenario, dataclasses.replace(policy.levers, markup=policy.levers.markup + 0.05)
    )
    try:
        changed = dashboard.compute()
        assert "status-quo ✎" in changed.policies
        before = _template.cache_info().misses
        dashboard.update(changed)
        assert _template.cache_info().misses == before
    finally:
        dashboard.policies["status-quo"] = policy  # the module's dashboard is shared


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
    # The edited policy is shown marked as modified, never under its file's name.
    shown = _shown(dashboard.kpis.value, "first_year_profit", "status-quo ✎")
    assert shown == pytest.approx(direct.kpis["first_year_profit"].mean(), rel=1e-12)
    # Switching the edited policy shows that policy's own levers, and changes nothing.
    dashboard.edit.value = "supplier-chargeback"
    assert dashboard.levers.treatment.value == SparesTreatment.CAPITALISE
    assert dashboard.policies["status-quo"].levers.spares_treatment == "expense_on_purchase"
    dashboard.reset_policy("status-quo")
    dashboard.wait(timeout_s=300)


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
    assert cache.logs == REPS  # the second policy reused the first one's event logs
    direct = simulate(rebooked, replications=REPS, seed=SEED)
    for table in ("kpis", "monthly", "annual"):
        pd.testing.assert_frame_equal(getattr(got, table), getattr(direct, table))


def test_a_scenario_file_of_the_working_folder_can_join_the_comparison(scenarios, tmp_path):
    from warrantysim.workbench.dashboard import Dashboard

    scenarios_dir = policy_files()["status-quo"].parent
    board = Dashboard(scenarios, ["status-quo"], replications=REPS, seed=SEED,
                      folders=[scenarios_dir, tmp_path])  # fmt: skip
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


# -- the answer first: cards ------------------------------------------------------------------


def test_cards_show_paired_differences_and_wins_from_the_replications(dashboard):
    from warrantysim.workbench.cards import CARD_KPIS, cards_html

    comparison = dashboard.compute()
    html = cards_html(comparison, "status-quo", dashboard.labels)
    kpis = comparison.kpis
    for kpi in CARD_KPIS:
        base = kpis[kpis["policy"] == "status-quo"].sort_values("replication")[kpi].to_numpy()
        other = kpis[kpis["policy"] == "supplier-chargeback"].sort_values("replication")[kpi]
        d = other.to_numpy() - base  # paired by replication (same random numbers)
        shown = re.search(
            rf"data-card='supplier-chargeback' data-kpi='{kpi}' data-value='([^']+)'.*?"
            rf"data-wins='([^']+)'",
            html,
        )
        assert shown, kpi
        assert float(shown.group(1)) == pytest.approx(d.mean(), rel=1e-12, abs=1e-9)
        assert float(shown.group(2)) == np.mean(d > 0)
    # The base has no card of its own; switching the base gives the reverse card.
    assert "data-card='status-quo'" not in html
    reverse = cards_html(comparison, "supplier-chargeback", dashboard.labels)
    assert "data-card='status-quo'" in reverse


def test_card_verdict_follows_the_interval():
    from warrantysim.stats import Interval
    from warrantysim.workbench.cards import CardLine

    assert CardLine("npv_cash", 0.0, Interval(5.0, 1.0, 5), 1.0).verdict == "better"
    assert CardLine("npv_cash", 0.0, Interval(-5.0, 1.0, 5), 0.0).verdict == "worse"
    assert CardLine("npv_cash", 0.0, Interval(0.5, 1.0, 5), 0.6).verdict == "unclear"
    assert CardLine("npv_cash", 0.0, Interval(0.5, float("nan"), 1), 1.0).verdict == "unclear"


def test_dashboard_shows_cards_first_and_the_difference_spread(dashboard):
    dashboard.update(dashboard.compute())
    assert dashboard.results.children[0] is dashboard.cards
    assert "data-card='supplier-chargeback'" in dashboard.cards.value
    data = dashboard.distribution.panel.data["difference"]
    values = [v for rows in data.values() for v in rows if "replication" in v]
    assert {v["replication"] for v in values} == set(range(REPS))
    dashboard.base.value = "supplier-chargeback"  # the base selector redraws, no recompute
    assert "data-card='status-quo'" in dashboard.cards.value
    dashboard.base.value = "status-quo"


# -- honest editing ---------------------------------------------------------------------------


def test_edited_policy_is_marked_and_reset_restores_it(scenarios):
    from warrantysim.workbench.dashboard import Dashboard
    from warrantysim.workbench.editing import MODIFIED_MARK

    board = Dashboard(scenarios, list(scenarios), replications=REPS, seed=SEED)
    board.set_levers(
        "status-quo", board.policies["status-quo"].levers.replace(stocking_multiplier=0.25)
    )
    board.wait(timeout_s=300)
    marked = "status-quo" + MODIFIED_MARK
    assert board.comparison is not None
    assert board.comparison.policies[0] == marked
    assert "data-card='supplier-chargeback'" in board.cards.value
    assert "Stocking (×): 1 → 0.25" in board.modified.value
    board.reset_policy("status-quo")
    board.wait(timeout_s=300)
    assert board.comparison.policies[0] == "status-quo"
    assert board.levers.stocking.value == 1.0
    assert "As in its file" in board.modified.value


def test_saved_scenario_reproduces_the_edited_policy_through_run(scenarios, tmp_path, cli):
    from warrantysim.workbench.dashboard import Dashboard

    source = tmp_path / "small.yaml"  # the test's small fleet, as a file to extend
    source.write_text(
        f"extends: {policy_files()['status-quo']}\nname: small\n"
        "product: {units_per_month: 1500, sales_months: 12}\n"
    )
    board = Dashboard(
        {"small": load_scenario(source)},
        ["small"],
        replications=REPS,
        seed=SEED,
        sources={"small": source},
    )
    board.folder = tmp_path
    levers = board.policies["small"].levers.replace(
        stocking_multiplier=0.5,
        chargeback_shares=tuple(
            (n, 0.3) for n, _ in board.policies["small"].levers.chargeback_shares
        ),
        age_writedown_months=36,
        late_penalty_per_day=55.0,
        technicians=40,
    )
    board.set_levers("small", levers)
    board.wait(timeout_s=300)
    target = board.save_policy("small", "mine")
    text = target.read_text()
    assert text.startswith("extends: small.yaml")
    assert "name: mine" in text
    assert "--set" in board.saved.value
    # The command shown reproduces the page's numbers: it carries the replications and seed.
    assert f"warrantysim run {target} --replications {REPS} --seed {SEED}" in board.saved.value
    saved = load_scenario(target)  # never passes itself off as the original, in any language
    assert saved.description.startswith("small modified in the workbench: ")
    parent = load_scenario(source)
    assert parent.title_zh
    assert saved.title_zh == f"{parent.title_zh}（修改：mine）"
    result = cli(
        "run",
        str(target),
        "--replications",
        str(REPS),
        "--seed",
        str(SEED),
        "--out",
        str(tmp_path / "out"),
    )
    assert result.returncode == 0, result.stderr
    ran = pd.read_parquet(tmp_path / "out" / "kpis.parquet")
    shown = board.comparison.kpis
    assert shown["technician_utilisation"].notna().all()  # the repair centre was simulated
    for kpi in ("lifetime_profit", "npv_cash", "fill_rate", "mean_wait_days"):
        np.testing.assert_array_equal(
            ran.sort_values("replication")[kpi].to_numpy(),
            shown.sort_values("replication")[kpi].to_numpy(),
        )


# -- speed: what the cache keys on, its bound, streaming and cancel -----------------------------


def test_policies_differing_only_in_books_share_event_logs(scenarios):
    from warrantysim.workbench.engine import ResultsCache, simulation_key

    files = policy_files()
    quo = scenarios["status-quo"]
    expense = load_scenario(files["expense-on-purchase"], SMALL)
    price = prepare(quo).price
    assert prepare(expense).price == price
    assert simulation_key(quo, price) == simulation_key(expense, price)
    # A chargeback share is a money term; the recovery rate is not: the simulation draws which
    # claims the supplier accepts (issue 11), so a policy that changes it simulates anew.
    shares = {f"suppliers.{n}.chargeback_share": 0.5 for n in quo.suppliers}
    assert simulation_key(quo, price) == simulation_key(apply_overrides(quo, shares), price)
    rates = {f"suppliers.{n}.recovery_rate": 0.5 for n in quo.suppliers}
    assert simulation_key(quo, price) != simulation_key(apply_overrides(quo, rates), price)
    moved = apply_levers(quo, Levers.of(quo).replace(stocking_multiplier=2.0))
    assert simulation_key(moved, price) != simulation_key(quo, price)
    cache = ResultsCache()
    cache.simulate(quo, REPS, SEED)
    cache.simulate(expense, REPS, SEED)
    assert cache.logs == REPS


def test_cache_forgets_oldest_beyond_its_bytes():
    from warrantysim.workbench.engine import ByteBoundCache

    cache: ByteBoundCache[int, bytes] = ByteBoundCache(max_bytes=10, size_of=len)
    for key in range(4):
        cache.put(key, b"abcd")  # 4 bytes each: two fit, a third exceeds 10
    assert len(cache) == 2
    assert cache.get(0) is None
    assert cache.get(3) == b"abcd"
    assert cache.total_bytes == 8


def test_streamed_comparison_publishes_partial_answers_and_stops_when_superseded(scenarios):
    from warrantysim.workbench.engine import (
        Background,
        Policy,
        ResultsCache,
        compare_streamed,
    )

    done, errors, busy, progress = [], [], [], []
    background = Background(
        done.append, errors.append, busy.append, lambda d, t, left: progress.append(d)
    )
    policies = {n: Policy.of(s) for n, s in scenarios.items()}
    cache = ResultsCache()
    reps = 6

    def work(job):
        def superseded_after_two(d, t, left):
            progress.append(d)
            if d == 2:
                background.submit(lambda j: "newer")

        background._on_progress = superseded_after_two
        return compare_streamed(policies, reps, SEED, cache, job)

    background.submit(work)
    background.wait(timeout_s=300)
    assert [o.value for o in done if o.final] == ["newer"]
    assert errors == []
    # It ended between replications: the third was never booked.
    assert max(progress) == 2
    partial = [o for o in done if not o.final]
    assert all(p.value.replications <= 2 for p in partial)


def test_a_page_without_charts_gets_them_from_the_first_round(dashboard, scenarios):
    """The first partial answer of a page with no charts has every table (the charts are drawn
    from it); later partial answers carry the KPIs only; the final one is the whole answer."""
    from warrantysim.workbench.engine import Job, Policy, ResultsCache, compare_streamed

    published = []
    background = Background(lambda o: published.append(o), lambda e: None, lambda b: None)
    job = Job(background, background.generation)
    job.due = lambda: True  # type: ignore[method-assign]  # publish after every round
    policies = {n: Policy.of(s) for n, s in scenarios.items()}
    final = compare_streamed(policies, 3, SEED, ResultsCache(), job, charts_first=True)
    first, second = (o.value for o in published)
    assert first.replications == 1
    assert not first.monthly.empty
    assert second.monthly.empty
    assert final.replications == 3
    dashboard.update(first, final=False)
    assert dashboard.charts.panel.order  # drawn from the first round
    with pytest.raises(ValueError, match="no full answer yet"):
        dashboard.make_report()
    dashboard.update(final)
    assert dashboard.final_shown


def test_base_seed_and_changed_levers_as_a_user_reads_them(scenarios):
    from warrantysim.workbench.dashboard import Dashboard

    board = Dashboard(scenarios, list(scenarios), replications=REPS, seed=SEED)
    board.base.value = "supplier-chargeback"  # a link keeps the base
    assert "base=supplier-chargeback" in board.url.state
    board.seed.value = -1  # refused beside the seed, not computed, not in the link
    assert "refused" in board.seed_problem.value
    assert board.seed_used == SEED
    assert f"seed={SEED}" in board.url.state
    board.seed.value = SEED
    assert board.seed_problem.value == ""
    levers = board.levers
    before = board.policies["status-quo"].levers
    shares = tuple((n, 0.5 if i == 0 else s) for i, (n, s) in enumerate(before.chargeback_shares))
    first = before.chargeback_shares[0][0]
    assert levers.describe("chargeback_shares", before.chargeback_shares, shares) == [
        (f"Chargeback (share), {first}", f"{before.chargeback_shares[0][1]:g}", "0.5")
    ]
    assert levers.describe("cap_absolute_yuan", None, 5e6) == [
        ("Cap (万元, 0 = none)", "none", "500")
    ]
    board.wait(timeout_s=300)


def test_a_typed_slider_value_is_refused_or_taken_never_clamped(scenarios):
    """The box beside a slider: 30 for stocking is refused beside it and changes nothing; 3.0,
    beyond the slider's end (2.0) but a valid multiplier, is taken and the slider widens."""
    from warrantysim.workbench.controls import LeverControls

    controls = LeverControls()
    controls.set(Levers.of(scenarios["status-quo"]))
    changes: list[int] = []
    controls.on_change(lambda: changes.append(1))
    controls.stocking.text.value = 30.0
    assert "30 refused" in controls.stocking.message.value
    assert controls.get().stocking_multiplier == 1.0
    assert changes == []
    controls.stocking.text.value = 3.0
    assert controls.stocking.message.value == ""
    assert controls.get().stocking_multiplier == 3.0
    assert controls.stocking.slider.max == 3.0
    assert changes == [1]
    share = next(iter(controls.chargebacks.values()))
    share.text.value = 1.5  # a share above 1
    assert "1.5 refused" in share.message.value
    assert changes == [1]


def test_a_file_value_beyond_a_sliders_range_is_kept(scenarios):
    """A slider cannot show a markup of 1.5 on 0-1: it widens, so the next change of another
    lever still simulates 1.5 (clamped, it would silently simulate 1.0)."""
    from warrantysim.workbench.controls import LeverControls

    controls = LeverControls()
    levers = Levers.of(scenarios["status-quo"]).replace(markup=1.5, stocking_multiplier=3.0)
    controls.set(levers)
    assert controls.get().markup == 1.5
    assert controls.get().stocking_multiplier == 3.0


# -- levers explain themselves, and refuse bad values ---------------------------------------------


def _all_widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all_widgets(child)


def test_every_control_has_a_help_tooltip(scenarios):
    import ipywidgets as w
    from ipywidgets.widgets.widget_description import DescriptionWidget

    from warrantysim.workbench.dashboard import Dashboard

    board = Dashboard(scenarios, list(scenarios), replications=REPS, seed=SEED)
    described = [
        x
        for x in _all_widgets(board.widget)
        if isinstance(x, w.DOMWidget) and getattr(x, "description", "")
    ]
    assert len(described) >= 15
    for x in described:
        assert x.tooltip, x.description  # a one-line help on every control
    # ipywidgets 8 turns a None tooltip into the title "null", even on HTML outputs.
    labelled = [x for x in _all_widgets(board.widget) if isinstance(x, DescriptionWidget)]
    assert all(x.tooltip is not None for x in labelled)


def test_invalid_values_are_refused_beside_the_lever(scenarios):
    from warrantysim.workbench.dashboard import Dashboard

    board = Dashboard(scenarios, list(scenarios), replications=REPS, seed=SEED)
    before = board.policies["status-quo"]
    generation = board.background.generation
    board.levers.cap_wan.value = -500.0
    assert "-500 refused" in board.levers.cap_problem.value
    assert board.policies["status-quo"] == before
    board.replications.value = 0
    assert "0 refused" in board.replications_problem.value
    assert board.replications_used == REPS
    assert board.background.generation == generation  # nothing recomputed
    board.levers.cap_wan.value = 0.0
    assert board.levers.cap_problem.value.count("refused") == 0
    board.levers.technicians.value = -1
    assert "-1 refused" in board.levers.messages["technicians"].value
    board.levers.technicians.value = 0
    board.levers.late_penalty.value = -5.0
    assert "-5 refused" in board.levers.messages["late_penalty_per_day"].value
    assert board.policies["status-quo"] == before


# -- the page's state in its URL ------------------------------------------------------------------


def test_url_state_round_trips_and_never_carries_the_token():
    from warrantysim.workbench.urlstate import PageState, decode, encode

    state = PageState(
        policies=("status-quo", "cap-share"),
        base="cap-share",
        replications=7,
        seed=11,
        levers={"status-quo": {"stocking_multiplier": 0.25, "spares_treatment": "accrue_per_unit"}},
    )
    query = encode(state)
    assert decode(query) == state
    assert "token" not in query
    assert decode(query + "&token=secret&replications=x") == state.__class__(
        **{**state.__dict__, "replications": None}
    )


def test_a_policy_added_from_a_file_comes_back_with_the_link(scenarios, tmp_path):
    """The link names the added file; a new page reads it again, only from the folders it may
    read (a link naming another file adds nothing)."""
    from warrantysim.workbench.dashboard import Dashboard
    from warrantysim.workbench.urlstate import decode

    mine = tmp_path / "mine.yaml"
    mine.write_text(f"extends: {policy_files()['status-quo']}\nname: mine\n{SMALL_YAML}")
    board = Dashboard(scenarios, ["status-quo"], replications=REPS, seed=SEED, folders=[tmp_path])
    board.add_scenario_file(str(mine))
    board.background.cancel()
    query = board.url.state
    assert decode(query).files == (str(mine),)

    again = Dashboard(scenarios, ["status-quo"], replications=REPS, seed=SEED, folders=[tmp_path])
    again.url.query = "?" + query
    again.background.cancel()
    assert again.selected == ["status-quo", "mine"]
    elsewhere = Dashboard(scenarios, ["status-quo"], folders=[tmp_path / "other"])
    elsewhere.url.query = "?" + query
    elsewhere.background.cancel()
    assert elsewhere.selected == ["status-quo"]


def test_dashboard_restores_the_view_a_url_describes(scenarios):
    from warrantysim.workbench.dashboard import Dashboard
    from warrantysim.workbench.urlstate import decode

    board = Dashboard(scenarios, list(scenarios), replications=REPS, seed=SEED)
    levers = board.policies["status-quo"].levers.replace(
        stocking_multiplier=0.5, spares_treatment=SparesTreatment.ACCRUE_PER_UNIT
    )
    board.set_levers("status-quo", levers)
    board.base.value = "supplier-chargeback"
    board.refresh()
    query = board.url.state
    board.background.cancel()
    assert "token" not in query

    again = Dashboard(scenarios, ["status-quo"], replications=3, seed=1)
    again.url.query = "?" + query  # what the page's JavaScript reports on load
    again.background.cancel()
    assert again.selected == ["status-quo", "supplier-chargeback"]
    assert again.base.value == "supplier-chargeback"
    assert (again.replications_used, again.seed.value) == (REPS, SEED)
    assert again.policies["status-quo"].levers == levers
    assert decode(again.url.state) == decode(query)
