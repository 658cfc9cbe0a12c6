"""Appraisal profit (考核利润, BRIEF §4) on the shipped cap scenarios, line by line.

Rule (scenarios/README.md, accounting): appraisal profit = profit + age write-down of the period −
the age write-down carried out of the books with parts consumed or scrapped in the period (结转)
+ bad debt; the cap write-down and the end-of-life write-off count against it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from warrantysim.accounting import account
from warrantysim.accounting.pricing import unit_price
from warrantysim.scenario import Scenario, load_scenario
from warrantysim.sim.eventlog import EventLog
from warrantysim.sim.model import run_replication
from warrantysim.stats import paired_interval

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
CENT = 0.005


def _log(scenario: Scenario, replication: int = 0) -> EventLog:
    return run_replication(scenario, 2026, replication, price=unit_price(scenario))


@pytest.fixture(scope="module")
def baseline_log() -> EventLog:
    # The cap scenarios change only the accounting: they share the baseline's physical run.
    return _log(load_scenario(SCENARIOS / "status-quo.yaml"))


@pytest.mark.parametrize("name", ["cap-share.yaml", "age-writedown-cap.yaml"])
def test_appraisal_minus_profit_is_the_rule_month_by_month(baseline_log, name) -> None:
    sc = load_scenario(SCENARIOS / name)
    m = account(baseline_log, sc, unit_price(sc)).monthly
    rule = m["age_writedown"] - m["age_writedown_carried_out"] + m["bad_debt"]
    assert np.allclose(m["performance_profit"] - m["profit"], rule, rtol=0, atol=1e-6)
    assert m["cap_writedown"].sum() > 1e6  # the cap bites: it is charged, not added back
    # every spare leaves by the end of life, so all its age write-down is carried out: over the
    # lifetime appraisal profit is profit plus bad debt, to the cent
    assert m["age_writedown_carried_out"].sum() == pytest.approx(m["age_writedown"].sum(), abs=CENT)
    lifetime = m["performance_profit"].sum() - m["profit"].sum()
    assert lifetime == pytest.approx(m["bad_debt"].sum(), abs=CENT)


def test_first_cap_year_costs_appraisal_profit_the_cap_writedown(baseline_log) -> None:
    capped = load_scenario(SCENARIOS / "cap-share.yaml")
    raw = capped.model_dump(by_alias=True)
    raw["accounting"]["book_value_cap"]["share_of_trailing_cost_of_sales"] = None
    uncapped = Scenario.model_validate(raw)
    with_cap = account(baseline_log, capped, unit_price(capped)).annual
    without = account(baseline_log, uncapped, unit_price(uncapped)).annual
    year = int(np.flatnonzero(with_cap["cap_writedown"].to_numpy() > 0)[0])
    written_down = float(with_cap["cap_writedown"].iloc[year])
    # The cap is booked at the fiscal year's last month end, so no part consumed later in that
    # year carries any of it out (the "less" term of the rule is 0 here): the year's appraisal
    # profit is lower by exactly the write-down.
    gap = without["performance_profit"] - with_cap["performance_profit"]
    assert gap.iloc[:year].abs().max() < CENT
    assert gap.iloc[year] == pytest.approx(written_down, abs=CENT)
    # Later years get it back as the capped parts are consumed (cheaper) or scrapped: a cap moves
    # appraisal profit between years, like profit.
    assert gap.iloc[year + 1 :].sum() == pytest.approx(-written_down, abs=CENT)


@pytest.mark.slow  # 48 baseline-size replications, ~25-50 s
def test_overstocking_lowers_lifetime_appraisal_profit_under_an_age_writedown() -> None:
    # The done-when point as written, on a shipped scenario with an age write-down and its cap
    # switched off (age-writedown-cap.yaml, absolute: null): stocking 1.5 × deeper (every
    # base-stock part) lowers lifetime appraisal profit. Paired by replication (common random
    # numbers); the 95 % t interval of the differences must lie below zero.
    #
    # Why the effect is small (scripts/overstock_costs.py: 30 paired replications): deeper base
    # stock buys the spares *earlier*, not more. The four parts with a last buy top up to a
    # quantile of their remaining claims net of the stock on hand, and the month-by-month
    # `level: auto` of the others falls with demand, so only about 20 more spares are bought
    # over the life (ssd, memory, fan, wifi), exactly those left at the end. The extra stock's
    # cost goes: consumed at a lower book value (spare-parts cost −161,900 yuan), the difference
    # through the age write-down (+162,100), all of it carried out with the parts consumed or
    # scrapped (the rule charges it back), the leftovers written off at end of life (+2,340,
    # scrap income +60); against it, faster service (late penalties −1,050), 40 less taxes
    # and surcharges (12 % of the extra input VAT) and 22 less interest. Appraisal profit counts
    # every one of those lines, so over the lifetime it moves exactly as profit: −1,387 ± 158
    # (standard error, 30 replications, scripts/overstock_costs.py). The old rule added the age
    # write-down back, and over-stocking *raised* appraisal profit by about 160,000 yuan.
    #
    # Size: the differences' standard deviation is ~870-1,000 yuan (the penalties saved vary),
    # so 24 replications give a standard error of ~190 and a 95 % half-width of ~390, under a third
    # of the effect.
    off = ["accounting.book_value_cap.absolute=null"]
    base = load_scenario(SCENARIOS / "age-writedown-cap.yaml", overrides=off)
    assert base.accounting.age_writedown_months == 36
    deep = [
        f"parts.{p.name}.stocking.level_multiplier=1.5"
        for p in base.parts
        if p.stocking.policy == "base_stock"
    ]
    deeper = load_scenario(SCENARIOS / "age-writedown-cap.yaml", overrides=[*off, *deep])
    shallow, rich, old_gap = [], [], []
    for r in range(24):
        a, b = (account(_log(sc, r), sc, unit_price(sc)).kpis for sc in (base, deeper))
        shallow.append(a["lifetime_performance_profit"])
        rich.append(b["lifetime_performance_profit"])
        # lifetime appraisal profit is profit plus bad debt: each spare's cost reaches it once
        gap = b["lifetime_performance_profit"] - a["lifetime_performance_profit"]
        assert gap == pytest.approx(b["lifetime_profit"] - a["lifetime_profit"], abs=CENT)
        old_lines = ["profit", "age_writedown", "end_of_life_writeoff", "bad_debt"]
        old_gap.append(sum(b[f"lifetime_{k}"] - a[f"lifetime_{k}"] for k in old_lines))
    effect = paired_interval(shallow, rich)
    assert effect.high < 0.0, effect
    assert min(old_gap) > 100_000.0  # the old rule's reward for over-stocking, which this closes
