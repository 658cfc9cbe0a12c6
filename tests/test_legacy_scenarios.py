"""The shipped legacy scenarios say what the article's starting point is (issue 10 item 6).

One real replication of ``legacy-warehouse.yaml`` (a maker three years in, 30 million CNY of
aged spares at cost on its opening balance sheet) booked under its own policy and under the two
cap policies shipped on top of it, which change only the books (the same log).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from factories import replicate
from warrantysim.accounting import AccountingTables, account
from warrantysim.accounting.pricing import unit_price
from warrantysim.scenario import Scenario, load_scenario
from warrantysim.sim.eventlog import EventLog

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
STATED = 30_000_000.0
"""The legacy warehouse at cost, as the file's comments add it up lot by lot."""


def _load(stem: str, *overrides: str) -> Scenario:
    return load_scenario(SCENARIOS / f"{stem}.yaml", list(overrides))


@cache
def _log(*overrides: str) -> EventLog:
    return replicate(_load("legacy-warehouse", *overrides), 2026)


def _books(stem: str, *overrides: str) -> AccountingTables:
    spec = _load(stem, *overrides)
    return account(_log(*overrides), spec, unit_price(spec))


def test_the_legacy_warehouse_starts_with_the_stated_book_value() -> None:
    spec = _load("legacy-warehouse")
    assert spec.opening_balance.spares_cost == STATED
    assert spec.product.history_months == 36
    assert not spec.ends_at_horizon
    books = _books("legacy-warehouse")
    assert books.kpis["opening_spares_book_value"] == STATED
    sheet = books.cas_statements()["balance_sheet"]
    assert sheet.iloc[0]["period"] == "opening"
    assert sheet.iloc[0]["存货"] == STATED
    assert books.kpis["opening_restatement"] == 0.0  # the status quo is the legacy policy
    # the lots are on the shelf at day 0 in the simulation too
    log = _log()
    assert log.opening_stock is not None
    assert log.opening_stock.sum() == sum(
        lot.qty for lots in spec.opening_balance.spares.values() for lot in lots
    )


def test_under_the_15_million_cap_the_first_fiscal_year_writes_down() -> None:
    quo, capped = _books("legacy-warehouse"), _books("legacy-cap")
    first_quo, first_capped = quo.annual.iloc[0], capped.annual.iloc[0]
    # the status quo holds more than 15 million at the first year end; the cap writes the
    # whole excess off then (tranches: 1), leaving exactly the cap
    excess = first_quo["spares_book_value_end"] - 15e6
    assert excess > 1e6
    assert first_capped["cap_writedown"] == pytest.approx(excess)
    assert first_capped["spares_book_value_end"] == pytest.approx(15e6)
    assert first_capped["profit"] == pytest.approx(first_quo["profit"] - excess)
    # value is cash: identical to the yuan
    assert capped.kpis["npv_cash"] == pytest.approx(quo.kpis["npv_cash"], abs=1.0)


def test_the_status_quo_carries_the_legacy_stock_until_consumed_or_end_of_life() -> None:
    # wifi cards: 30,000 on the shelf against fewer than 1,000 claims a year, so most are still
    # held at the horizon. Issued first in, first out, the legacy ones go first: those held at
    # the end are 30,000 − the claims that took one, at 60 each.
    spec = _load("legacy-warehouse")
    wifi = [p.name for p in spec.parts].index("wifi_card")
    log = _log()
    left = 30_000 - int((log.claims.takes_part & (log.claims.part == wifi)).sum())
    assert 25_000 < left < 30_000
    books = _books("legacy-warehouse")
    m = books.monthly
    assert m["age_writedown"].sum() == 0.0
    assert m["cap_writedown"].sum() == 0.0
    assert m["end_of_life_writeoff"].sum() == 0.0  # a continuing business scraps nothing
    assert m["spares_book_value_end"].iloc[-1] >= left * 60.0
    # the same lots in a run that ends (one generation): scrapped at the horizon, at book value
    ends = ("simulation.end_of_life=true",)
    ended = _books("legacy-warehouse", *ends)
    last = ended.monthly.iloc[-1]
    assert last["spares_book_value_end"] == pytest.approx(0.0, abs=1e-6)
    wifi_left = 30_000 - int(
        (_log(*ends).claims.takes_part & (_log(*ends).claims.part == wifi)).sum()
    )
    assert last["end_of_life_writeoff"] >= wifi_left * 60.0


def test_cap_share_restates_the_aged_lots_against_opening_equity() -> None:
    # Applying the 36-month age write-down to the opening lots is a change of policy (CAS 28):
    # each lot restated to cost × (1 − age/36), the difference out of opening equity net of its
    # 25 % tax effect, and not in any year's profit.
    spec = _load("legacy-cap-share")
    restated = sum(
        lot.qty * lot.unit_cost * (1.0 - lot.age_months / 36.0)
        for lots in spec.opening_balance.spares.values()
        for lot in lots
    )
    books, quo = _books("legacy-cap-share"), _books("legacy-warehouse")
    assert books.kpis["opening_spares_book_value"] == pytest.approx(restated)
    assert books.kpis["opening_restatement"] == pytest.approx(-(STATED - restated) * 0.75)
    assert books.kpis["opening_retained_earnings"] == pytest.approx(
        quo.kpis["opening_retained_earnings"] + books.kpis["opening_restatement"]
    )
    # cumulative profit before tax: this policy's less the status quo's = the difference in
    # closing carrying amounts less that in opening ones (continuing-business invariant)
    closing = np.array([b.monthly["spares_book_value_end"].iloc[-1] for b in (books, quo)])
    profit = np.array([b.monthly["profit"].sum() for b in (books, quo)])
    opened = np.array([restated, STATED])
    assert profit[0] - profit[1] == pytest.approx(
        (closing[0] - opened[0]) - (closing[1] - opened[1]), abs=1.0
    )
