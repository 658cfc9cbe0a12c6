"""Nevada charts: units shipped per period and the returns counted in each later period.

File layout (CSV or XLSX)::

    period,shipped,2024-01,2024-02,2024-03,...
    2024-01,1200,3,5,2,...
    2024-02,1350,-,4,6,...

Period labels are ``YYYY-MM`` (one month each) or plain integers (one ``--age-unit`` each). Blank
or ``-`` where a return period comes before the shipment. The common tools' convention, used by
``Censoring.EXACT``: a return k periods after its shipment period is a failure at age k periods (a
return inside the shipment period at half a period, since f(0) is 0 or infinite for β ≠ 1), and
units not returned by the last period are suspensions at their age then. ``Censoring.INTERVAL``
keeps the age known only to the period, with shipments and returns uniform inside their periods
(the ``period`` grouping of :mod:`.lifedata`). Either way a unit older than the warranty is
suspended at the warranty's end, not at its age.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from warrantysim.calibration import sheets
from warrantysim.calibration.errors import DataError
from warrantysim.calibration.lifedata import Grouping, LifeData, life_data
from warrantysim.scenario import DAYS_PER_MONTH

IntArray = NDArray[np.int64]


class Censoring(StrEnum):
    EXACT = "exact"
    INTERVAL = "interval"


class AgeUnit(StrEnum):
    MONTHS = "months"
    DAYS = "days"
    WEEKS = "weeks"


MONTHS_PER: dict[AgeUnit, float] = {
    AgeUnit.MONTHS: 1.0,
    AgeUnit.DAYS: 1.0 / DAYS_PER_MONTH,
    AgeUnit.WEEKS: 7.0 / DAYS_PER_MONTH,
}


@dataclass(frozen=True)
class NevadaChart:
    """Lot i shipped ``shipped[i]`` units in period ``ship_period[i]``; ``returns[i, j]`` came
    back in period ``first_return_period + j``. Periods are integers on one axis."""

    ship_period: IntArray
    shipped: IntArray
    returns: IntArray
    first_return_period: int
    period_months: float = 1.0
    labels: tuple[str, ...] = ()
    """The label of each period from ``first_return_period`` on (for writing the chart back)."""
    source: str = "<memory>"

    @property
    def last_period(self) -> int:
        return self.first_return_period + int(self.returns.shape[1]) - 1

    @property
    def observed_periods(self) -> IntArray:
        """n: how many periods after its shipment each lot was watched."""
        return self.last_period - self.ship_period

    def age_periods(self) -> IntArray:
        """k = return period − shipment period for every cell (negative before shipment)."""
        columns = self.first_return_period + np.arange(self.returns.shape[1])
        return columns[None, :] - self.ship_period[:, None]


def read_nevada(
    path: str | Path,
    *,
    sheet: str | None = None,
    age_unit: AgeUnit = AgeUnit.MONTHS,
    today: date | None = None,
) -> NevadaChart:
    table = sheets.read_sheet(path, sheet)
    today = today or date.today()
    _check_header(table)
    columns = _return_periods(table, today)
    rows = [r for r in range(1, len(table.rows)) if not all(map(sheets.is_blank, table.rows[r]))]
    if not rows:
        raise table.fail(1, None, "expected a row per shipment period, got none")
    ship = np.array([_period(table, r, 0, today, columns.monthly) for r in rows], dtype=np.int64)
    _check_ship_periods(table, rows, ship, columns)
    counts = np.array(
        [[sheets.count(table, r, 2 + j) for j in range(len(columns.values))] for r in rows],
        dtype=np.int64,
    ).reshape(len(rows), len(columns.values))
    shipped = np.array([sheets.count(table, r, 1, "a count of units shipped") for r in rows])
    _check_returns(table, rows, ship, shipped, counts, columns)
    return NevadaChart(
        ship, shipped.astype(np.int64), counts, int(columns.values[0]),
        1.0 if columns.monthly else MONTHS_PER[AgeUnit(age_unit)],
        tuple(columns.labels), table.file,
    )  # fmt: skip


@dataclass(frozen=True)
class _Columns:
    values: IntArray
    labels: list[str]
    monthly: bool


def _check_header(table: sheets.Sheet) -> None:
    first = [sheets.text(table.cell(0, c)).lower() for c in (0, 1)]
    if first != ["period", "shipped"] or len(table.rows[0]) < 3:
        got = ",".join(sheets.text(c) for c in table.rows[0][:4])
        raise table.fail(
            0, None, f"expected a header period,shipped,<return periods...>, got {got}"
        )


def _period(table: sheets.Sheet, row: int, column: int, today: date, monthly: bool) -> int:
    value = sheets.text(table.cell(row, column))
    if monthly:
        return sheets.month_index(table, row, column, today)
    if not value.lstrip("-").isdigit():
        raise table.fail(
            row, column, f"expected an integer period like the header's, got {value!r}"
        )
    return int(value)


def _return_periods(table: sheets.Sheet, today: date) -> _Columns:
    header = table.rows[0]
    last = max(c for c in range(len(header)) if not sheets.is_blank(header[c]))
    monthly = bool(sheets.MONTH_LABEL.match(sheets.text(header[2])))
    monthly = monthly or isinstance(header[2], date)
    values = [_period(table, 0, c, today, monthly) for c in range(2, last + 1)]
    for c in range(1, len(values)):
        if values[c] != values[c - 1] + 1:
            raise table.fail(0, c + 2, "expected the period after the previous column's, got "
                             f"{sheets.text(header[c + 2])!r}")  # fmt: skip
    labels = [sheets.text(header[c]) for c in range(2, last + 1)]
    return _Columns(np.array(values, dtype=np.int64), labels, monthly)


def _check_ship_periods(
    table: sheets.Sheet, rows: list[int], ship: IntArray, columns: _Columns
) -> None:
    for i, r in enumerate(rows):
        if i and ship[i] <= ship[i - 1]:
            raise table.fail(r, 0, "expected shipment periods in ascending order, without "
                             f"repeats, got {sheets.text(table.cell(r, 0))!r} after "
                             f"{sheets.text(table.cell(rows[i - 1], 0))!r}")  # fmt: skip
        if not columns.values[0] <= ship[i] <= columns.values[-1]:
            raise table.fail(r, 0, f"expected a shipment period from {columns.labels[0]} to "
                             f"{columns.labels[-1]} (the return columns), got "
                             f"{sheets.text(table.cell(r, 0))!r}")  # fmt: skip


def _check_returns(
    table: sheets.Sheet,
    rows: list[int],
    ship: IntArray,
    shipped: NDArray[np.int64],
    counts: IntArray,
    columns: _Columns,
) -> None:
    for i, r in enumerate(rows):
        early = np.nonzero((columns.values < ship[i]) & (counts[i] > 0))[0]
        if len(early):
            j = int(early[0])
            raise table.fail(r, 2 + j, f"expected no returns before the shipment in "
                             f"{sheets.text(table.cell(r, 0))}, got {counts[i, j]} in "
                             f"{columns.labels[j]} (a return before its shipment)")  # fmt: skip


def check_positions(chart: NevadaChart, qty_per_unit: int) -> None:
    """More returns than positions shipped cannot be (a return is one position)."""
    total = chart.returns.sum(axis=1)
    over = np.nonzero(total > chart.shipped * qty_per_unit)[0]
    if len(over):
        i = int(over[0])
        raise DataError(chart.source, f"row {i + 2}", f"expected at most {chart.shipped[i]} × "
                        f"{qty_per_unit} returns (units shipped × qty per unit), got {total[i]} "
                        "(more returns than shipped)")  # fmt: skip


def to_life_data(
    chart: NevadaChart,
    qty_per_unit: int = 1,
    warranty_months: float | None = None,
    censoring: Censoring = Censoring.EXACT,
) -> LifeData:
    """Failures and suspensions of the chart's positions (``qty_per_unit`` per unit shipped)."""
    check_positions(chart, qty_per_unit)
    period = chart.period_months
    k = chart.age_periods()
    inside = k >= 0
    ages = k[inside].astype(np.float64)
    counts = chart.returns[inside].astype(np.float64)
    survivors = chart.shipped * qty_per_unit - chart.returns.sum(axis=1)
    n = chart.observed_periods.astype(np.float64)
    if Censoring(censoring) is Censoring.INTERVAL:
        return life_data(
            ages * period, n * period, failure_count=counts, suspension_count=survivors,
            grouping=Grouping.PERIOD, period_months=period, warranty_months=warranty_months,
        )  # fmt: skip
    failure_months = np.where(ages == 0, 0.5, ages) * period
    suspension_months = n * period
    if warranty_months is not None:
        failure_months = np.minimum(failure_months, warranty_months)
        suspension_months = np.minimum(suspension_months, warranty_months)
    return life_data(
        failure_months, suspension_months, failure_count=counts, suspension_count=survivors,
        warranty_months=warranty_months,
    )  # fmt: skip


def write_nevada(chart: NevadaChart, path: str | Path) -> Path:
    """The chart as CSV in the layout :func:`read_nevada` reads."""
    path = Path(path)
    labels = list(chart.labels) or [
        str(chart.first_return_period + j) for j in range(chart.returns.shape[1])
    ]
    lines = [",".join(["period", "shipped", *labels])]
    for i, s in enumerate(chart.ship_period):
        start = int(s - chart.first_return_period)
        cells = ["-"] * start + [str(int(v)) for v in chart.returns[i, start:]]
        lines.append(",".join([labels[start], str(int(chart.shipped[i])), *cells]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def truncate(chart: NevadaChart, last_period: int) -> NevadaChart:
    """The chart as it stood at the end of ``last_period``: later lots and returns not yet seen."""
    lots = chart.ship_period <= last_period
    columns = max(0, last_period - chart.first_return_period + 1)
    return NevadaChart(
        chart.ship_period[lots], chart.shipped[lots], chart.returns[lots, :columns],
        chart.first_return_period, chart.period_months, chart.labels[:columns], chart.source,
    )  # fmt: skip
