"""The Excel workbook: KPIs, paired differences, the CAS statements, each policy's annual
statement, every row of the annual table, and the chart images.

Amounts are in the report's unit (yuan or 万元), rounded to its precision
(:meth:`MoneyUnit.shown`) and formatted (thousands separated; shares as percentages), so a cell
shows what the HTML report shows and holds no float noise. Each sheet's header rows are frozen.
The ``annual`` sheet keeps the column keys of ``annual.parquet`` so totals can be re-derived.

Names come from users (folder and scenario names), so text is always written as a text cell
(``=1+2`` stays the text ``=1+2``, never a live formula) without the control characters XML
cannot hold, and each policy's sheet gets a valid, unique name that cannot take over the data
sheets.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.image import Image
from openpyxl.worksheet.worksheet import Worksheet

from warrantysim.accounting.units import Unit, is_money, unit_of
from warrantysim.headline import HEADLINE_KPIS
from warrantysim.report import tables
from warrantysim.report.decision import DECISION_KPI
from warrantysim.report.figures import STATEMENT_TABLES, PolicyResults
from warrantysim.report.i18n import Labels, Lang, MoneyUnit, count_decimals
from warrantysim.report.terms import EN, ZH

ANNUAL_SHEET = "annual"
CHARTS_SHEET = "charts"
ANNUAL_SHEETS = {Lang.EN: ANNUAL_SHEET, Lang.ZH: "年度明细"}
"""The annual sheet's name by language; its header keeps the column keys in both."""
CHARTS_SHEETS = {Lang.EN: CHARTS_SHEET, Lang.ZH: "图表"}
KPI_SHEET = {Lang.EN: "KPIs", Lang.ZH: "指标"}
DIFFERENCE_SHEET = {Lang.EN: "differences", Lang.ZH: "与基准之差"}
_ROWS_PER_IMAGE = 32
_MAX_SHEET_NAME = 31  # Excel's limit
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\\x00-\x1f]")  # Excel refuses these characters
_RESERVED = (
    "history",  # Excel keeps this name for itself
    *KPI_SHEET.values(),
    *DIFFERENCE_SHEET.values(),
    *(words[name] for words in (EN, ZH) for name in STATEMENT_TABLES),
)
SHARE_FORMAT = "0.00%"
OTHER_FORMAT = "#,##0.000"
_OTHER_DECIMALS = 6


def money_format(unit: MoneyUnit) -> str:
    return "#,##0" if unit.decimals == 0 else "#,##0." + "0" * unit.decimals


def statement_sheet_names(policies: Sequence[str]) -> dict[str, str]:
    """A valid sheet name per policy: Excel's characters and length, unique whatever the case,
    never a data sheet's (``annual``, ``charts``, the KPI, difference and statement sheets);
    clashes get ``~2``, ``~3`` at the end."""
    data_sheets = (*ANNUAL_SHEETS.values(), *CHARTS_SHEETS.values(), *_RESERVED)
    taken = {n.casefold() for n in data_sheets}
    names = {}
    for policy in policies:
        base = _NOT_IN_SHEET_NAMES.sub("_", policy).strip("'").strip() or "policy"
        name, n = base[:_MAX_SHEET_NAME], 1
        while name.casefold() in taken:
            n += 1
            suffix = f"~{n}"
            name = base[: _MAX_SHEET_NAME - len(suffix)] + suffix
        taken.add(name.casefold())
        names[policy] = name
    return names


def write_workbook(
    comparison: PolicyResults, path: Path, pngs: Mapping[str, bytes], labels: Labels
) -> Path:
    c = comparison
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    _write_kpis(book.create_sheet(KPI_SHEET[labels.lang]), c, labels)
    if len(c.policies) > 1:
        _write_differences(book.create_sheet(DIFFERENCE_SHEET[labels.lang]), c, labels)
    for name in STATEMENT_TABLES:
        statement = c.statement(name)
        if statement is not None:
            _write_cas(book.create_sheet(labels(name)), statement, c.policies, labels)
    sheet_names = statement_sheet_names(list(c.policies))
    for policy in c.policies:
        statement = tables.annual_statement(c.annual, policy)
        _write_statement(book.create_sheet(sheet_names[policy]), statement, labels)
    annual = c.annual.astype({"policy": str})
    _write_annual(book.create_sheet(ANNUAL_SHEETS[labels.lang]), annual, labels)
    _write_images(book.create_sheet(CHARTS_SHEETS[labels.lang]), pngs, labels)
    book.save(path)
    return path


def cell_value(value: object, metric: str, labels: Labels) -> object:
    """What a cell holds: money in the unit, rounded to its precision; a count to
    :func:`count_decimals` (a mean over replications keeps 1 decimal); other numbers rounded
    to 6 decimals (float noise off); NaN as an empty cell."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return value
    if not math.isfinite(value):
        return None
    if is_money(metric):
        return labels.money_unit.shown(float(value))
    if unit_of(metric) is Unit.COUNT and isinstance(value, float):
        return round(value, count_decimals(value)) + 0.0
    return round(float(value), _OTHER_DECIMALS) + 0.0 if isinstance(value, float) else value


def number_format(metric: str, labels: Labels, value: object = None) -> str:
    """The cell's format: money in the unit, shares as percentages; a count (or any whole
    ``value``, e.g. 12 months) without decimals, a mean count with 1; else 3 decimals."""
    if is_money(metric):
        return money_format(labels.money_unit)
    if unit_of(metric) is Unit.SHARE:
        return SHARE_FORMAT
    unit = unit_of(metric)
    number = float(value) if isinstance(value, (int, float)) else None
    if unit is Unit.INDEX or (number is not None and count_decimals(number) == 0):
        return "#,##0"
    if unit is Unit.COUNT:
        return "#,##0" if number is None else "#,##0." + "0" * count_decimals(number)
    return OTHER_FORMAT


def _write_kpis(sheet: Worksheet, c: PolicyResults, labels: Labels) -> None:
    """A row per KPI; per policy its mean and 95 % CI (two header rows: policy, statistic)."""
    numeric = [str(k) for k in c.kpis.select_dtypes("number").columns]
    others = sorted(k for k in numeric if k not in HEADLINE_KPIS and _reported(k))
    kpis = [k for k in HEADLINE_KPIS if k in numeric] + others
    means = tables.long_mean_ci(c.kpis, [tables.POLICY], kpis).set_index(["metric", "policy"])
    stats = (("mean", labels("mean")), ("lo", labels("ci_low")), ("hi", labels("ci_high")))
    _append(sheet, [labels("kpi"), *[p for p in c.policies for _ in stats]])
    _append(sheet, ["", *[name for _ in c.policies for _, name in stats]])
    for kpi in kpis:
        values = [means.loc[(kpi, p), s] for p in c.policies for s, _ in stats]
        _append_numbers(sheet, _kpi_label(kpi, labels), values, kpi, labels)
    _finish(sheet, "B3", 34)


def _reported(column: str) -> bool:
    """A KPI column with a unit, not a key (replication, seed)."""
    unit = unit_of(column)
    return unit is not None and unit is not Unit.INDEX


def _kpi_label(kpi: str, labels: Labels) -> str:
    return labels(kpi) + (f" ({labels.money})" if is_money(kpi) else "")


def _write_differences(sheet: Worksheet, c: PolicyResults, labels: Labels) -> None:
    """A row per KPI and policy: the paired difference from the base and its 95 % CI, and for
    the decision KPI how many paired replications the policy wins."""
    heads = ["difference", "ci_low", "ci_high"]
    _append(sheet, [labels("kpi"), labels("policy"), *map(labels, heads), labels("wins")])
    wins = tables.win_share(c.kpis, c.base, DECISION_KPI).set_index(tables.POLICY)["share"]
    for r in c.differences().to_dict("records"):
        kpi, policy = str(r["kpi"]), str(r["policy"])
        share = float(wins[policy]) if kpi == DECISION_KPI else None
        values = [cell_value(r[k], kpi, labels) for k in ("difference", "lo", "hi")]
        _append(sheet, [_kpi_label(kpi, labels), policy, *values, share])
        for cell in sheet[sheet.max_row][2:5]:
            cell.number_format = number_format(kpi, labels, cell.value)
        sheet.cell(row=sheet.max_row, column=6).number_format = SHARE_FORMAT
    _finish(sheet, "C2", 34)


def _write_cas(
    sheet: Worksheet, statement: pd.DataFrame, policies: Sequence[str], labels: Labels
) -> None:
    """A CAS statement: a row per line, a column per policy and fiscal year (two header rows)."""
    means = {p: tables.cas_statement(statement, p) for p in policies}
    years = [(p, y) for p in policies for y in means[p].columns]
    _append(sheet, [f"{labels('line')} ({labels.money})", *[p for p, _ in years]])
    _append(sheet, ["", *[labels.year(int(y)) for _, y in years]])
    for line in means[policies[0]].index:
        values = [labels.money_unit.shown(float(means[p].loc[line, y])) for p, y in years]
        _append(sheet, [labels(str(line)), *values])
        for cell in sheet[sheet.max_row][1:]:
            cell.number_format = money_format(labels.money_unit)
    _finish(sheet, "B3", 40)


def _write_statement(sheet: Worksheet, statement: pd.DataFrame, labels: Labels) -> None:
    """Rows: ledger lines (labelled); columns: fiscal years; amounts in the unit."""
    _append(sheet, [labels("line"), *[labels.year(int(y)) for y in statement.columns]])
    for line, row in statement.iterrows():
        _append_numbers(sheet, labels(str(line)), list(row), str(line), labels)
    _finish(sheet, "B2", 34)


def _write_annual(sheet: Worksheet, frame: pd.DataFrame, labels: Labels) -> None:
    """Every row of the annual table, money in the unit; the header keeps the column keys."""
    columns = [str(c) for c in frame.columns]
    _append(sheet, columns)
    for row in frame.itertuples(index=False):
        _append(
            sheet, [cell_value(_plain(v), k, labels) for k, v in zip(columns, row, strict=True)]
        )
    for i, key in enumerate(columns, start=1):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
            cell.number_format = number_format(key, labels, cell.value)
    _finish(sheet, "A2", None)


def _plain(value: object) -> object:
    """numpy scalars as Python numbers (openpyxl writes those)."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def _append_numbers(
    sheet: Worksheet, label: str, values: Iterable[Any], metric: str, labels: Labels
) -> None:
    _append(sheet, [label, *[cell_value(_plain(v), metric, labels) for v in values]])
    for cell in sheet[sheet.max_row][1:]:
        cell.number_format = number_format(metric, labels, cell.value)


def _finish(sheet: Worksheet, freeze: str, first_width: float | None) -> None:
    sheet.freeze_panes = freeze
    if first_width is not None:
        sheet.column_dimensions["A"].width = first_width


def _append(sheet: Worksheet, values: Iterable[Any]) -> None:
    """A row whose text cells are text: openpyxl would store ``=...`` as a formula."""
    row = [_clean(v) if isinstance(v, str) else v for v in values]
    sheet.append(row)
    for cell, value in zip(sheet[sheet.max_row], row, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"


def _clean(text: str) -> str:
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def _write_images(sheet: Worksheet, pngs: Mapping[str, bytes], labels: Labels) -> None:
    """Each chart under its title (the chart's, in the report's language)."""
    for i, (name, data) in enumerate(pngs.items()):
        anchor_row = 1 + i * _ROWS_PER_IMAGE
        sheet.cell(row=anchor_row, column=1, value=_clean(labels(name))).data_type = "s"
        image = Image(io.BytesIO(data))
        image.width, image.height = image.width / 2, image.height / 2  # drawn at scale 2
        sheet.add_image(image, f"A{anchor_row + 1}")
