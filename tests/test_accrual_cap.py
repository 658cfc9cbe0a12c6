"""The book-value cap's cost of sales under the accrual treatment counts the provision reviews.

Under ``accrue_per_unit`` the warranty cost in cost of sales is the warranty expense: accruals
plus the reviews' top-ups less their releases (warrantysim.accounting.accrual; docs/design.md,
"Book-value cap"). The cap of the year end at 0-based month m with ``trailing_months`` T reads
the months [m + 1 − 12 − T, m + 1 − 12) (the year being closed left out):

    cap(m) = share × Σ_window (product cost + warranty accrual (with top-ups) − review releases)

checked here against the books' own monthly columns, on the shipped absorb-cost with accruals
of 50 % and 150 % of the expected cost, so the reviews top up or release millions.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from warrantysim.accounting import account, accrual_per_unit
from warrantysim.accounting.pricing import unit_price
from warrantysim.scenario import load_scenario
from warrantysim.sim.model import run_replication

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
SHARE, TRAILING = 0.0065, 12


@pytest.fixture(scope="module")
def absorb_cost_log():
    sc = load_scenario(SCENARIOS / "absorb-cost.yaml")
    return run_replication(sc, 2026, 0, price=unit_price(sc)), sc


@pytest.mark.parametrize("share_of_expected", [0.5, 1.5])
def test_the_cap_reads_the_warranty_expense_with_its_reviews(absorb_cost_log, share_of_expected):
    log, sc = absorb_cost_log
    accrual = share_of_expected * accrual_per_unit(sc)
    capped = load_scenario(
        SCENARIOS / "absorb-cost.yaml",
        overrides=[
            f"accounting.accrual_per_unit={accrual}",
            f"accounting.book_value_cap.share_of_trailing_cost_of_sales={SHARE}",
            f"accounting.book_value_cap.trailing_months={TRAILING}",
        ],
    )
    m = account(log, capped, unit_price(capped)).monthly
    expense = m["product_cost"] + m["warranty_accrual"] - m["provision_release"]
    accruals_only = m["product_cost"] + log.units_sold * accrual
    assert m["cap_writedown"].sum() > 1e5  # the cap bites, so its limit matters
    for month in (23, 35, 47):  # year ends whose window lies inside the horizon
        end = month + 1 - 12
        window = slice(end - TRAILING, end)
        limit = m["book_value_cap_limit"].iloc[month]
        assert limit == pytest.approx(SHARE * expense.iloc[window].sum(), rel=1e-12)
        # the reviews in the window move it by share × their net expense
        reviews = (m["warranty_accrual"] - m["provision_release"]).iloc[window].sum()
        reviews -= (log.units_sold * accrual)[window].sum()
        assert abs(reviews) > 1e6
        gap = limit - SHARE * accruals_only.iloc[window].sum()
        assert gap == pytest.approx(SHARE * reviews, rel=1e-9)
        if month == 23:  # the first review (month 12) tops 50 % up and releases from 150 %
            assert np.sign(gap) == (1 if share_of_expected < 1 else -1)
