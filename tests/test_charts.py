"""Charts and the summaries behind them, on hand-made frames of the shape ``simulate`` returns."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from warrantysim import charts
from warrantysim.report import tables
from warrantysim.report.figures import FIGURE_NAMES, PolicyResults, figures
from warrantysim.report.i18n import Labels, Lang, MoneyUnit


def fake_results(shift: float, replications: int = 5, months: int = 24, seed: int = 0):
    """Frames shaped like ``simulate``'s: monthly profit ~ N(100 + shift, 10)."""
    rng = np.random.default_rng(seed)
    reps = np.repeat(np.arange(replications), months)
    month = np.tile(np.arange(1, months + 1), replications)
    monthly = pd.DataFrame(
        {
            "replication": reps,
            "month": month,
            "fiscal_year": (month - 1) // 12 + 1,
            "profit": 100.0 + shift + rng.normal(0, 10, reps.size),
            "performance_profit": 110.0 + shift + rng.normal(0, 10, reps.size),
            "spares_book_value_end": 1000.0 + 10 * month,
            "book_value_cap_limit": 1100.0,
            "age_writedown": 5.0,
            "cap_writedown": np.where(month % 12 == 0, 20.0, 0.0),
            "end_of_life_writeoff": np.where(month == months, 50.0, 0.0),
        }
    )
    annual = (
        monthly.groupby(["replication", "fiscal_year"])
        .sum()
        .reset_index()
        .drop(columns=["month", "book_value_cap_limit"])
    )
    kpis = pd.DataFrame(
        {
            "replication": np.arange(replications),
            "lifetime_profit": monthly.groupby("replication")["profit"].sum().to_numpy(),
            "npv_profit": monthly.groupby("replication")["profit"].sum().to_numpy() * 0.9,
            "fill_rate": 0.9 + rng.uniform(0, 0.05, replications),
            "mean_wait_days": rng.uniform(0, 2, replications),
            "peak_spares_book_value": 1000.0 + 10 * months,
        }
    )
    return SimpleNamespace(kpis=kpis, monthly=monthly, annual=annual)


def test_mean_ci_matches_student_t():
    # Expected: the textbook t-interval mean ± t(0.975, n-1) s / sqrt(n), computed by scipy.
    values = np.array([1.0, 2.0, 4.0, 7.0])
    frame = pd.DataFrame({"g": "a", "v": values})
    row = tables.mean_ci(frame, ["g"], "v").iloc[0]
    lo, hi = stats.t.interval(0.95, 3, loc=values.mean(), scale=stats.sem(values))
    assert row["mean"] == pytest.approx(values.mean())
    assert (row["lo"], row["hi"]) == pytest.approx((lo, hi))


def test_paired_difference_cancels_common_noise():
    # Two policies whose kpis differ by exactly 5 per replication: the paired CI has zero width,
    # although each policy's own spread is large.
    base = pd.DataFrame({"replication": range(6), "lifetime_profit": [0, 50, -30, 80, 10, 7.0]})
    other = base.assign(lifetime_profit=base["lifetime_profit"] + 5)
    kpis = tables.stack({"a": base, "b": other})
    diff = tables.paired_differences(kpis, "a", ["lifetime_profit"]).iloc[0]
    assert diff["policy"] == "b"
    assert diff["difference"] == pytest.approx(5.0)
    assert diff["lo"] == pytest.approx(5.0)
    assert diff["hi"] == pytest.approx(5.0)


def test_cumulative_profit_ends_at_mean_lifetime_profit():
    res = fake_results(0.0)
    comp = PolicyResults.of({"only": res})
    cum = tables.cumulative_profit(comp.monthly)
    last = cum[cum["month"] == cum["month"].max()]["mean"].iloc[0]
    assert last == pytest.approx(res.kpis["lifetime_profit"].mean())


def test_writedowns_by_kind_are_annual_means():
    comp = PolicyResults.of({"p": fake_results(0.0)})
    wd = tables.writedowns_by_kind(comp.annual)
    year1 = wd[(wd["fiscal_year"] == 1)].set_index("kind")["amount"]
    assert year1["age_writedown"] == pytest.approx(60.0)
    assert year1["cap_writedown"] == pytest.approx(20.0)
    assert year1["end_of_life_writeoff"] == pytest.approx(0.0)


@pytest.mark.parametrize("lang", list(Lang))
def test_every_figure_is_valid_vega_lite(lang):
    comp = PolicyResults.of(
        {"status-quo": fake_results(0.0), "expense": fake_results(-3.0, seed=1)}
    )
    figs = figures(comp, Labels(lang, MoneyUnit.WAN))
    assert tuple(figs) == FIGURE_NAMES
    for figure in figs.values():
        spec = figure.to_dict()
        # The cached spec plus the rows is exactly the chart Altair builds and validates.
        assert spec == figure.chart().to_dict(validate=True)
        json.dumps(spec)  # serialisable: the report inlines it as JSON
    text = json.dumps(figs["annual_profit"].to_dict(), ensure_ascii=False)
    assert ("考核利润" in text) == (lang is Lang.ZH)


def test_money_in_wan_is_divided_by_ten_thousand():
    summary = pd.DataFrame(
        {
            "policy": ["a"],
            "fiscal_year": [1],
            "metric": ["profit"],
            "mean": [25_000.0],
            "lo": [20_000.0],
            "hi": [30_000.0],
        }
    )
    spec = charts.annual_profit(summary, Labels(money_unit=MoneyUnit.WAN)).to_dict()
    values = [row for ds in spec["datasets"].values() for row in ds]
    assert values[0]["mean"] == pytest.approx(2.5)


def test_sensitivity_charts_validate():
    tornado = pd.DataFrame(
        {"parameter": ["x", "y"], "low": [1.0, 3.0], "high": [5.0, 4.0], "base": [3.5, 3.5]}
    )
    sobol = pd.DataFrame(
        {"parameter": ["x", "x"], "index": ["S1", "ST"], "value": [0.4, 0.6], "conf": [0.1, 0.1]}
    )
    sweep = pd.DataFrame(
        {
            "parameter": "x",
            "value": [1.0, 2.0],
            "policy": "a",
            "mean": [1.0, 2.0],
            "lo": [0.5, 1.5],
            "hi": [1.5, 2.5],
        }
    )
    # Parameter names are dotted scenario paths; Vega-Lite must not read them as nested fields.
    grid = pd.DataFrame(
        {"parts.a.x": [1, 1, 2, 2], "b.y": [1, 2, 1, 2], "winner": ["p", "q", "p", "p"]}
    )
    for chart in (
        charts.tornado(tornado),
        charts.sobol(sobol),
        charts.sweep(sweep),
        charts.winner_map(grid, "parts.a.x", "b.y"),
    ):
        chart.to_dict(validate=True)
    spec = charts.winner_map(grid, "parts.a.x", "b.y").to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert rows[0][spec["encoding"]["x"]["field"]] == 1
    assert spec["encoding"]["x"]["title"] == "parts.a.x"


def test_sensitivity_axes_are_titled_with_their_metric_and_unit():
    # The unit table (accounting/units.py) titles the axes: money in the labels' unit and
    # divided into it; a fill rate stays as it is.
    tornado = pd.DataFrame({"parameter": ["x"], "low": [1e4], "high": [5e4], "base": [3e4]})
    wan = Labels(money_unit=MoneyUnit.WAN)
    money = charts.tornado(tornado, wan, metric="npv_cash").to_dict()
    assert money["layer"][0]["encoding"]["x"]["title"] == "NPV of cash flows (10k CNY)"
    assert next(iter(money["datasets"].values()))[0]["base"] == pytest.approx(3.0)
    share = charts.tornado(tornado, wan, metric="fill_rate").to_dict()
    assert share["layer"][0]["encoding"]["x"]["title"] == "Fill rate (share)"
    assert next(iter(share["datasets"].values()))[0]["base"] == pytest.approx(3e4)


def test_a_cached_spec_never_carries_an_older_answers_numbers():
    """Two answers of one shape share one spec object; their rows differ, and each whole spec
    carries its own (the spec builder sees the shape only)."""
    one = PolicyResults.of({"status-quo": fake_results(0.0), "expense": fake_results(-3.0, seed=1)})
    two = PolicyResults.of({"status-quo": fake_results(5.0), "expense": fake_results(-1.0, seed=2)})
    labels = Labels(money_unit=MoneyUnit.WAN)
    first, second = figures(one, labels), figures(two, labels)
    for name in first:
        assert first[name].template() is second[name].template()
        if name in ("annual_profit", "cumulative_profit"):  # the fakes differ in profit only
            assert first[name].records() != second[name].records()
        whole = second[name].to_dict()["datasets"]
        assert {k: v for k, v in whole.items() if k in second[name].datasets} == second[
            name
        ].records()
