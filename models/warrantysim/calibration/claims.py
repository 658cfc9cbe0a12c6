"""Claim lists: one row per claim (``part,serial,sale_date,claim_date``; ``lot`` may stand for
``serial``) and a shipments table (``period,shipped``, periods ``YYYY-MM``).

A claim is a failure at age (claim_date − sale_date) in months of 365.25/12 days. Each shipment
month's positions (units × qty per unit) not claimed are suspended at their age on ``as_of`` (by
default the last claim's date), counted from the middle of the shipment month, and at most at the
warranty's end.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from warrantysim.calibration import sheets
from warrantysim.calibration.errors import DataError
from warrantysim.calibration.lifedata import LifeData, life_data
from warrantysim.scenario import DAYS_PER_MONTH


@dataclass(frozen=True)
class _Claim:
    row: int
    sale: date
    claim: date


def read_claims(
    path: str | Path,
    shipments_path: str | Path,
    *,
    part: str,
    qty_per_unit: int = 1,
    warranty_months: float | None = None,
    sheet: str | None = None,
    as_of: date | None = None,
    today: date | None = None,
) -> LifeData:
    today = today or date.today()
    table = sheets.read_sheet(path, sheet)
    claims = _claims(table, part, warranty_months, today)
    shipped = _shipments(sheets.read_sheet(shipments_path), today)
    end = as_of or max((c.claim for c in claims), default=today)
    per_month = Counter(c.sale.year * 12 + c.sale.month - 1 for c in claims)
    _check_claims_shipped(table, claims, shipped, per_month, qty_per_unit)
    ages = [(c.claim - c.sale).days / DAYS_PER_MONTH for c in claims]
    months = sorted(shipped)
    survivors = [shipped[m][0] * qty_per_unit - per_month[m] for m in months]
    suspended = np.array([_age_on(end, m) for m in months])
    if warranty_months is not None:
        suspended = np.minimum(suspended, warranty_months)
    return life_data(
        ages, np.maximum(suspended, 0.0), suspension_count=survivors,
        warranty_months=warranty_months,
    )  # fmt: skip


def _age_on(end: date, month_index: int) -> float:
    """Months from the middle of the shipment month to ``end``."""
    year, month0 = divmod(month_index, 12)
    start = date(year, month0 + 1, 1)
    return ((end - start).days - DAYS_PER_MONTH / 2) / DAYS_PER_MONTH


def _claims(
    table: sheets.Sheet, part: str, warranty_months: float | None, today: date
) -> list[_Claim]:
    names = [sheets.text(c).lower() for c in table.rows[0]]
    unit = "lot" if "lot" in names and "serial" not in names else "serial"
    columns = sheets.header(table, ("part", unit, "sale_date", "claim_date"))
    found = []
    for r in range(1, len(table.rows)):
        if all(map(sheets.is_blank, table.rows[r])):
            continue
        name = sheets.text(table.cell(r, columns["part"]))
        if not name:
            raise table.fail(r, columns["part"], "expected a part name, got an empty cell")
        if name != part:
            continue
        sale = sheets.day(table, r, columns["sale_date"], today)
        claim = sheets.day(table, r, columns["claim_date"], today)
        _check_claim(table, r, columns, sale, claim, warranty_months)
        found.append(_Claim(r, sale, claim))
    if not found:
        raise DataError(table.file, "", f"expected claims of part {part!r}, found none")
    return found


def _check_claim(
    table: sheets.Sheet,
    row: int,
    columns: dict[str, int],
    sale: date,
    claim: date,
    warranty_months: float | None,
) -> None:
    if claim < sale:
        raise table.fail(row, columns["claim_date"], f"expected a claim on or after the sale "
                         f"({sale}), got {claim} (a return before its shipment)")  # fmt: skip
    age = (claim - sale).days / DAYS_PER_MONTH
    if warranty_months is not None and age > warranty_months:
        expected = f"expected a claim inside the {warranty_months:g}-month warranty"
        raise table.fail(row, columns["claim_date"], f"{expected}, got one at {age:.1f} months")


def _shipments(table: sheets.Sheet, today: date) -> dict[int, tuple[int, int]]:
    """Month index → (units shipped, row)."""
    columns = sheets.header(table, ("period", "shipped"))
    out: dict[int, tuple[int, int]] = {}
    for r in range(1, len(table.rows)):
        if all(map(sheets.is_blank, table.rows[r])):
            continue
        month = sheets.month_index(table, r, columns["period"], today)
        if month in out:
            raise table.fail(r, columns["period"], "expected each month once, got "
                             f"{sheets.text(table.cell(r, columns['period']))} again")  # fmt: skip
        out[month] = (sheets.count(table, r, columns["shipped"]), r)
    if not out:
        raise table.fail(1, None, "expected a row per shipment month, got none")
    return out


def _check_claims_shipped(
    table: sheets.Sheet,
    claims: list[_Claim],
    shipped: dict[int, tuple[int, int]],
    per_month: Counter[int],
    qty_per_unit: int,
) -> None:
    for c in claims:
        if c.sale.year * 12 + c.sale.month - 1 not in shipped:
            raise table.fail(c.row, None, f"expected a sale in a month of the shipments table, "
                             f"got {c.sale:%Y-%m}")  # fmt: skip
    for month, n in per_month.items():
        units, row = shipped[month]
        if n > units * qty_per_unit:
            year, m0 = divmod(month, 12)
            raise DataError(table.file, f"{year:04d}-{m0 + 1:02d}", f"expected at most "
                            f"{units * qty_per_unit} claims (shipped × qty per unit, shipments "
                            f"row {row + 1}), got {n} (more returns than shipped)")  # fmt: skip
