"""Life data tables: ``age,status[,count]``, ``status`` ``failed`` or ``suspended``.

Ages are in months unless ``age_unit`` says otherwise. A unit older than the warranty is
suspended at the warranty's end (returns stop there); a failure after it is an error.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from warrantysim.calibration import sheets
from warrantysim.calibration.lifedata import LifeData, life_data
from warrantysim.calibration.nevada import MONTHS_PER, AgeUnit

STATUSES = ("failed", "suspended")


def read_life_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    age_unit: AgeUnit = AgeUnit.MONTHS,
    warranty_months: float | None = None,
    today: date | None = None,
) -> LifeData:
    del today  # a life table has no dates; the argument keeps the readers' signatures alike
    table = sheets.read_sheet(path, sheet)
    columns = sheets.header(table, ("age", "status"), ("count",))
    months = MONTHS_PER[AgeUnit(age_unit)]
    ages, failed, counts = [], [], []
    for r in range(1, len(table.rows)):
        if all(map(sheets.is_blank, table.rows[r])):
            continue
        age = sheets.number(table, r, columns["age"], "an age >= 0") * months
        if age < 0:
            raise table.fail(r, columns["age"], f"expected an age >= 0, got {age / months:g}")
        status = _status(table, r, columns["status"])
        if warranty_months is not None and status and age > warranty_months:
            raise table.fail(r, columns["age"], f"expected a failure inside the warranty "
                             f"({warranty_months:g} months), got age {age:g} months")  # fmt: skip
        ages.append(age)
        failed.append(status)
        counts.append(sheets.count(table, r, columns["count"]) if "count" in columns else 1)
    if not ages:
        raise table.fail(1, None, "expected a row per failure or suspension, got none")
    return _life_data(np.array(ages), np.array(failed), np.array(counts), warranty_months)


def _status(table: sheets.Sheet, row: int, column: int) -> bool:
    value = sheets.text(table.cell(row, column)).lower()
    if value not in STATUSES:
        raise table.fail(row, column, f"expected a status failed or suspended, got {value!r}")
    return value == "failed"


def _life_data(
    ages: np.ndarray, failed: np.ndarray, counts: np.ndarray, warranty_months: float | None
) -> LifeData:
    suspended = ages[~failed]
    if warranty_months is not None:
        suspended = np.minimum(suspended, warranty_months)
    return life_data(
        ages[failed], suspended, failure_count=counts[failed], suspension_count=counts[~failed],
        warranty_months=warranty_months,
    )  # fmt: skip
