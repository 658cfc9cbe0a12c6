"""Two of the report's charts on real data: the cap line runs to the horizon (the last cap
tested carried forward), and the write-down panels' year labels are slanted so they do not
run together.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import vl_convert as vlc

import warrantysim as ws
from warrantysim import charts
from warrantysim.report import tables
from warrantysim.report.i18n import Labels, Lang
from warrantysim.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
SMALL = ["product.units_per_month=300", "product.sales_months=12"]


def test_the_cap_line_runs_to_the_horizon_at_the_last_cap_tested() -> None:
    scenario = load_scenario(SCENARIOS / "cap-share.yaml", SMALL)
    monthly = ws.simulate(scenario, replications=2, seed=3).monthly
    horizon = int(monthly["month"].max())
    recorded = monthly.groupby("month")["book_value_cap_limit"].mean().dropna()
    # The ledger tests the cap at the year ends before the horizon only (the business ends
    # there and the end-of-life write-off takes the stock): the horizon month has none.
    assert scenario.ends_at_horizon
    assert horizon not in recorded.index
    assert len(recorded) >= 2
    shown = tables.book_value_over_time(tables.stack({"cap-share": monthly}))
    cap = shown.set_index("month")["book_value_cap_limit"]
    assert not cap.isna().any()  # every month to the horizon has a cap line
    assert cap[horizon] == recorded.iloc[-1]  # the last tested cap, carried forward
    years = monthly.groupby("month")["fiscal_year"].first()
    for month, limit in recorded.items():  # a tested year: its own cap in each of its months
        assert np.all(cap[years.index[years == years[month]]] == limit)


def test_a_policy_without_a_cap_draws_no_cap_line() -> None:
    scenario = load_scenario(SCENARIOS / "status-quo.yaml", SMALL)
    monthly = ws.simulate(scenario, replications=1, seed=3).monthly
    shown = tables.book_value_over_time(tables.stack({"status-quo": monthly}))
    assert shown["book_value_cap_limit"].isna().all()


def test_write_down_year_labels_are_slanted_in_chinese() -> None:
    labels = Labels(Lang.ZH).with_start("2027-01")
    rows = [
        {"policy": p, "fiscal_year": y, "kind": "age_writedown", "amount": 1e4 * y}
        for p in ("a", "b")
        for y in range(1, 7)
    ]
    svg = vlc.vegalite_to_svg(charts.writedowns(pd.DataFrame(rows), labels).to_dict())
    # A panel is 0.6 x 320 px: 32 px a year, narrower than "2027年" at 10 px (about 32 px),
    # so upright labels touched ("2027年2028年..."); slanted at -45° (rotate(315)) they do not.
    years = re.findall(r'<text [^>]*transform="([^"]*)"[^>]*>(20\d\d)年</text>', svg)
    assert len(years) == 2 * 6, years  # six years in each policy's panel
    assert all("rotate(315)" in transform for transform, _ in years), years
