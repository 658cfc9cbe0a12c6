"""Claim lists: one row per claim (``part,serial,sale_date,claim_date``; ``lot`` may stand for
``serial``, or come beside it) and a shipments table, by month (``period,shipped``) or by lot
(``lot,period,shipped``: the lot's id, its shipment month and its units), periods ``YYYY-MM``.

A claim is a failure at age (claim_date − sale_date) in months of 365.25/12 days. It belongs to
the shipment of its sale month or, when the shipments table has lots, to the shipment of its own
``lot`` (a lot missing from the table is an error; a sale before its lot's month is one too).
Each shipment's positions (units × qty per unit) not claimed are suspended at their age on
``as_of`` (by default the last claim's date), counted from the middle of the shipment month, and
at most at the warranty's end.
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
    lot: str
    """The claim's ``lot`` cell ('' without a lot column)."""


@dataclass(frozen=True)
class _Shipment:
    units: int
    row: int
    month: int
    """year·12 + month − 1 of the shipment."""


@dataclass(frozen=True)
class _Shipments:
    table: sheets.Sheet
    by_lot: bool
    """Keyed by lot id (a ``lot`` column), else by month index."""
    rows: dict[str | int, _Shipment]


def _month_of(d: date) -> int:
    return d.year * 12 + d.month - 1


def _label(month: int) -> str:
    year, m0 = divmod(month, 12)
    return f"{year:04d}-{m0 + 1:02d}"


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
    shipped = _shipments(sheets.read_sheet(shipments_path), today)
    claims = _claims(table, part, warranty_months, today, shipped.by_lot)
    end = as_of or max((c.claim for c in claims), default=today)
    per_shipment = Counter(_key(table, c, shipped) for c in claims)
    _check_claims_fit(table, per_shipment, shipped, qty_per_unit)
    ages = [(c.claim - c.sale).days / DAYS_PER_MONTH for c in claims]
    keys = list(shipped.rows)
    survivors = [shipped.rows[k].units * qty_per_unit - per_shipment[k] for k in keys]
    suspended = np.array([_age_on(end, shipped.rows[k].month) for k in keys])
    if warranty_months is not None:
        suspended = np.minimum(suspended, warranty_months)
    return life_data(
        ages, np.maximum(suspended, 0.0), suspension_count=survivors,
        warranty_months=warranty_months,
    )  # fmt: skip


def _key(table: sheets.Sheet, c: _Claim, shipped: _Shipments) -> str | int:
    """The shipment a claim belongs to: its lot's, or its sale month's."""
    if not shipped.by_lot:
        month = _month_of(c.sale)
        if month not in shipped.rows:
            raise table.fail(c.row, None, f"expected a sale in a month of the shipments table, "
                             f"got {c.sale:%Y-%m}")  # fmt: skip
        return month
    lot = shipped.rows.get(c.lot)
    if lot is None:
        raise table.fail(c.row, None, f"expected a lot of the shipments table "
                         f"({shipped.table.file}), got lot {c.lot!r}")  # fmt: skip
    if _month_of(c.sale) < lot.month:
        raise table.fail(c.row, None, f"expected a sale on or after its lot's shipment month "
                         f"({_label(lot.month)}, shipments row {lot.row + 1}), got "
                         f"{c.sale}")  # fmt: skip
    return c.lot


def _age_on(end: date, month_index: int) -> float:
    """Months from the middle of the shipment month to ``end``."""
    year, month0 = divmod(month_index, 12)
    start = date(year, month0 + 1, 1)
    return ((end - start).days - DAYS_PER_MONTH / 2) / DAYS_PER_MONTH


def _claims(
    table: sheets.Sheet, part: str, warranty_months: float | None, today: date, by_lot: bool
) -> list[_Claim]:
    names = [sheets.text(c).lower() for c in table.rows[0]]
    unit = "lot" if by_lot or ("lot" in names and "serial" not in names) else "serial"
    columns = sheets.header(table, ("part", unit, "sale_date", "claim_date"), ("lot",))
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
        lot = sheets.text(table.cell(r, columns["lot"])) if "lot" in columns else ""
        if by_lot and not lot:
            raise table.fail(r, columns["lot"], "expected the claim's lot, got an empty cell")
        found.append(_Claim(r, sale, claim, lot))
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


def _shipments(table: sheets.Sheet, today: date) -> _Shipments:
    """By month (``period,shipped``) or, with a ``lot`` column, by lot (``lot,period,shipped``)."""
    names = [sheets.text(c).lower() for c in table.rows[0]] if table.rows else []
    by_lot = "lot" in names
    columns = sheets.header(
        table, ("lot", "period", "shipped") if by_lot else ("period", "shipped")
    )
    out: dict[str | int, _Shipment] = {}
    for r in range(1, len(table.rows)):
        if all(map(sheets.is_blank, table.rows[r])):
            continue
        month = sheets.month_index(table, r, columns["period"], today)
        key: str | int = sheets.text(table.cell(r, columns["lot"])) if by_lot else month
        if by_lot and not key:
            raise table.fail(r, columns["lot"], "expected a lot id, got an empty cell")
        if key in out:
            what = "lot" if by_lot else "month"
            raise table.fail(r, columns["lot" if by_lot else "period"], f"expected each {what} "
                             f"once, got {key if by_lot else _label(month)} again")  # fmt: skip
        out[key] = _Shipment(sheets.count(table, r, columns["shipped"]), r, month)
    if not out:
        raise table.fail(1, None, "expected a row per shipment, got none")
    return _Shipments(table, by_lot, out)


def _check_claims_fit(
    table: sheets.Sheet,
    per_shipment: Counter[str | int],
    shipped: _Shipments,
    qty_per_unit: int,
) -> None:
    for key, n in per_shipment.items():
        ship = shipped.rows[key]
        if n > ship.units * qty_per_unit:
            where = f"lot {key}" if shipped.by_lot else _label(ship.month)
            raise DataError(table.file, where, f"expected at most {ship.units * qty_per_unit} "
                            f"claims (shipped × qty per unit, shipments row {ship.row + 1}), got "
                            f"{n} (more returns than shipped)")  # fmt: skip
