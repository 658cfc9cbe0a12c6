"""The proposal's pieces on their own: the decision sentence, the paired variance by year, the
Chinese names and their fallback, the calendar labels, the assumptions tables.

Small frames built here (the decision reads only KPIs) and one real two-policy run, so every
figure is checked against an interval computed in the test from its formula.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from warrantysim.report import tables
from warrantysim.report.assumptions import changes_table, flatten, settings_table
from warrantysim.report.decision import Verdict, decide, sentence
from warrantysim.report.figures import PolicyResults
from warrantysim.report.i18n import Labels, Lang, MoneyUnit
from warrantysim.report.policies import PolicyInfo, display_names
from warrantysim.scenario import ScenarioError, load_scenario
from warrantysim.stats import paired_interval

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
N = 8


def _comparison(shifts: dict[str, float], noise: float = 1000.0) -> PolicyResults:
    """KPIs of a base and policies whose NPV of cash is the base's + shift + noise."""
    rng = np.random.default_rng(5)
    base = 1e7 + rng.normal(0.0, 1e5, N)
    frames = {"base": pd.DataFrame({"replication": range(N), "npv_cash": base})}
    for name, shift in shifts.items():
        value = base + shift + (rng.normal(0.0, noise, N) if noise else 0.0)
        frames[name] = pd.DataFrame({"replication": range(N), "npv_cash": value})
    kpis = tables.stack(frames)
    empty = tables.stack({k: pd.DataFrame({"replication": []}) for k in frames})
    return PolicyResults(kpis=kpis, monthly=empty, annual=empty)


def test_the_decision_adopts_the_best_policy_with_its_paired_interval() -> None:
    c = _comparison({"worse": -5000.0, "better": 20000.0})
    d = decide(c)
    assert d is not None
    assert d.verdict is Verdict.ADOPT
    assert d.policy == "better"
    wide = c.kpis.pivot(index="replication", columns="policy", values="npv_cash")
    expected = paired_interval(wide["base"], wide["better"])  # x̄_d ± t(0.975, 7)·s_d/√8
    assert d.difference == pytest.approx(expected.mean, rel=1e-12)
    assert (d.low, d.high) == pytest.approx((expected.low, expected.high), rel=1e-12)
    assert (d.wins, d.n) == (int((wide["better"] > wide["base"]).sum()), N)
    text = sentence(d, Labels())
    assert text.startswith("Adopt better: it raises the NPV of cash flows by ")
    assert Labels().amount(expected.mean) in text
    assert f"better in {d.wins} of {N} paired" in text or f"does better in {d.wins} of {N}" in text


def test_the_decision_keeps_the_base_when_every_policy_is_worse() -> None:
    d = decide(_comparison({"a": -20000.0, "b": -30000.0}))
    assert d is not None
    assert (d.verdict, d.policy) == (Verdict.KEEP, "a")
    zh = sentence(d, Labels(Lang.ZH, MoneyUnit.WAN))
    assert zh.startswith("建议维持base")
    assert Labels(Lang.ZH, MoneyUnit.WAN).amount(-d.difference) in zh  # the shortfall, positive


def test_the_decision_says_when_runs_cannot_tell_or_nothing_changes() -> None:
    unclear = decide(_comparison({"a": 100.0}, noise=5000.0))
    assert unclear is not None
    assert unclear.verdict is Verdict.UNCLEAR
    assert "more replications" in sentence(unclear, Labels())
    same = decide(_comparison({"a": 0.0}, noise=0.0))
    assert same is not None
    assert same.verdict is Verdict.SAME
    assert decide(_comparison({})) is None  # one policy: nothing to decide


@pytest.fixture(scope="module")
def pair() -> PolicyResults:
    from warrantysim.api import simulate

    small = {"product.units_per_month": 800, "product.sales_months": 12}
    names = ("status-quo", "cap-share")
    scenarios = [load_scenario(SCENARIOS / f"{n}.yaml", small) for n in names]
    results = {s.name: simulate(s, replications=3, seed=4) for s in scenarios}
    infos = {s.name: PolicyInfo.from_scenario(s.model_dump(mode="json")) for s in scenarios}
    return PolicyResults.of(results, infos=infos)


def test_variance_by_year_is_the_paired_interval_of_each_year(pair: PolicyResults) -> None:
    diffs = tables.paired_by_year(pair.annual, "status-quo", ["profit", "cash_flow"])
    assert set(diffs["line"]) == {"profit", "cash_flow"}
    for row in diffs.to_dict("records"):
        year = pair.annual[pair.annual["fiscal_year"] == row["fiscal_year"]]
        wide = year.pivot(index="replication", columns="policy", values=row["line"])
        expected = paired_interval(wide["status-quo"], wide["cap-share"])
        assert row["difference"] == pytest.approx(expected.mean, abs=1e-6)
        assert row["hi"] - row["lo"] == pytest.approx(2 * expected.half_width, abs=1e-6)
    # Same operations: the cash of every year is the same under both treatments.
    cash = diffs[diffs["line"] == "cash_flow"]
    assert np.allclose(cash["difference"], 0.0, atol=1e-6)


def test_chinese_names_come_from_title_zh_and_fall_back_with_a_warning(pair) -> None:
    zh = Labels(Lang.ZH)
    shown, warnings = pair.localised(zh)
    assert shown.policies == ["现状", "按销售成本比例设上限"]
    assert not warnings
    assert shown.base == "现状"
    bare = {**pair.infos, "cap-share": PolicyInfo("cap-share", "English only")}
    names, warned = display_names(pair.policies, bare, zh)
    assert names["cap-share"] == "cap-share"
    assert len(warned) == 1
    assert "cap-share" in warned[0]
    assert display_names(pair.policies, bare, Labels())[1] == []  # English needs no title


def test_the_assumptions_come_from_the_scenarios(pair: PolicyResults) -> None:
    settings = settings_table(pair, Labels())
    assert settings.loc["Units sold a month", "cap-share"] == "800"
    assert settings.loc["Horizon (months)", "status-quo"] == "48"  # 12 sales + 36 warranty
    changes = changes_table(pair, Labels())
    changed = set(changes["Setting"])
    assert "accounting.book_value_cap.share_of_trailing_cost_of_sales" in changed
    assert not {p for p in changed if p.split(".")[0] in ("name", "description", "title_zh")}
    zh = settings_table(pair, Labels(Lang.ZH))
    assert zh.loc["备件会计处理", "status-quo"] == "资本化"
    assert flatten({"parts": [{"name": "ssd", "life": {"shape": 1.2}}]}) == {
        "parts.ssd.life.shape": 1.2
    }


def test_simulation_start_is_a_january_and_names_the_years() -> None:
    scenario = load_scenario(SCENARIOS / "status-quo.yaml", ["simulation.start=2027-01"])
    assert scenario.simulation.start == "2027-01"
    with pytest.raises(ScenarioError, match=r"simulation\.start: expected YYYY-01"):
        load_scenario(SCENARIOS / "status-quo.yaml", ["simulation.start=2027-04"])
    labels = Labels(start="2027-01")
    assert [labels.year(k) for k in (1, 3)] == ["FY 2027", "FY 2029"]
    assert Labels(Lang.ZH, start="2027-01").year(2) == "2028年"
    assert Labels().year(2) == "Year 2"


def test_month_axes_end_at_the_horizon(pair: PolicyResults) -> None:
    from warrantysim.report.figures import figures

    horizon = int(pair.monthly["month"].max())
    specs = {n: c.to_dict() for n, c in figures(pair, Labels()).items()}
    for name in ("cumulative_profit", "cumulative_difference", "book_value"):
        x = specs[name]["layer"][0]["encoding"]["x"]
        assert x["scale"] == {"domain": [1, horizon], "nice": False}, name
    dated = figures(pair, Labels(start="2027-01"))["book_value"].to_dict()
    domain = dated["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert domain == ["2027-01-01T00:00:00", f"{2027 + (horizon - 1) // 12}-12-01T00:00:00"]


def test_write_down_panels_only_for_policies_that_write_down() -> None:
    annual = tables.stack(
        {
            "none": pd.DataFrame({"fiscal_year": [1, 2], "age_writedown": [0.0, 0.0]}),
            "some": pd.DataFrame({"fiscal_year": [1, 2], "age_writedown": [0.0, 5.0]}),
        }
    )
    shown = tables.writedowns_by_kind(annual)
    assert set(shown["policy"]) == {"some"}


def test_chinese_titles_do_not_split_the_workbench_log_cache() -> None:
    # title_zh / description_zh are words, never read by the simulation: two policies that
    # differ only there (and in accounting) share their event logs.
    from warrantysim.workbench.engine import simulation_key

    a = load_scenario(SCENARIOS / "status-quo.yaml")
    b = load_scenario(SCENARIOS / "expense-on-purchase.yaml")
    assert a.title_zh != b.title_zh
    assert simulation_key(a, 5600.0) == simulation_key(b, 5600.0)
