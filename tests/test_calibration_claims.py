"""Claim lists matched to their shipments: by sale month, or by lot when the shipments table has
lots (``lot,period,shipped``). Expected failures and suspensions are counted by hand here from
the rows (ages in months of 365.25/12 days; a shipment's survivors suspended at their age on the
last claim's date, from the middle of the shipment month)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from warrantysim.calibration.claims import read_claims
from warrantysim.calibration.errors import DataError
from warrantysim.scenario import DAYS_PER_MONTH

CLAIMS = """\
part,serial,lot,sale_date,claim_date
ssd,S1,A,2024-01-10,2024-03-02
ssd,S2,B,2024-01-20,2024-02-20
ssd,S3,B,2024-01-25,2024-04-01
fan,F1,A,2024-01-05,2024-02-01
ssd,S4,C,2024-02-03,2024-04-15
"""
LOTS = "lot,period,shipped\nA,2024-01,100\nB,2024-01,2\nC,2024-02,50\n"
MONTHS = "period,shipped\n2024-01,102\n2024-02,50\n"
TODAY = date(2025, 1, 1)


def _write(tmp_path: Path, claims: str, shipments: str) -> tuple[Path, Path]:
    (tmp_path / "claims.csv").write_text(claims, encoding="utf-8")
    (tmp_path / "ships.csv").write_text(shipments, encoding="utf-8")
    return tmp_path / "claims.csv", tmp_path / "ships.csv"


def _age(start: date, end: date) -> float:
    return ((end - start).days - DAYS_PER_MONTH / 2) / DAYS_PER_MONTH


def test_lots_give_each_lot_its_own_survivors(tmp_path):
    data = read_claims(*_write(tmp_path, CLAIMS, LOTS), part="ssd", today=TODAY)
    end = date(2024, 4, 15)  # the last ssd claim
    ages = sorted((c - s).days / DAYS_PER_MONTH for s, c in [
        (date(2024, 1, 10), date(2024, 3, 2)), (date(2024, 1, 20), date(2024, 2, 20)),
        (date(2024, 1, 25), date(2024, 4, 1)), (date(2024, 2, 3), end),
    ])  # fmt: skip
    np.testing.assert_allclose(np.repeat(data.failure_months, data.failure_count.astype(int)), ages)
    # lot A: 100 − 1, lot B: 2 − 2, lot C: 50 − 1; A and B share the January age
    january, february = _age(date(2024, 1, 1), end), _age(date(2024, 2, 1), end)
    np.testing.assert_allclose(data.suspension_months, [february, january])
    np.testing.assert_allclose(data.suspension_count, [49, 99])


def test_lots_and_months_agree_when_the_lots_are_the_months(tmp_path):
    """With lots A+B pooled into January, the month table gives the same life data."""
    by_lot = read_claims(*_write(tmp_path, CLAIMS, LOTS), part="ssd", today=TODAY)
    by_month = read_claims(*_write(tmp_path, CLAIMS, MONTHS), part="ssd", today=TODAY)
    for field in ("failure_months", "failure_count", "suspension_months", "suspension_count"):
        np.testing.assert_allclose(getattr(by_lot, field), getattr(by_month, field))


def test_a_lot_with_more_claims_than_units_is_refused_though_its_month_has_room(tmp_path):
    """Lot B shipped 1 unit and has 2 claims: by month (January, 101 units) that would pass."""
    lots = LOTS.replace("B,2024-01,2", "B,2024-01,1")
    with pytest.raises(DataError, match=r"lot B.*at most 1 claims.*got 2"):
        read_claims(*_write(tmp_path, CLAIMS, lots), part="ssd", today=TODAY)
    months = MONTHS.replace("2024-01,102", "2024-01,101")
    read_claims(*_write(tmp_path, CLAIMS, months), part="ssd", today=TODAY)


def test_a_claim_of_a_lot_missing_from_the_shipments_is_an_error(tmp_path):
    claims = CLAIMS.replace("S4,C", "S4,Z")
    with pytest.raises(DataError, match=r"claims.csv: row 6: expected a lot of the shipments"):
        read_claims(*_write(tmp_path, claims, LOTS), part="ssd", today=TODAY)
