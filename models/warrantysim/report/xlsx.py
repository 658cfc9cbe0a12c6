"""The Excel workbook: each policy's mean annual statement, the replication data, chart images.

Numbers are written as numbers in yuan (finance formats them as it likes); the ``annual`` sheet
holds every row of ``annual.parquet`` of every policy so totals can be re-derived in Excel.

Names come from users (folder and scenario names), so text is always written as a text cell
(``=1+2`` stays the text ``=1+2``, never a live formula) without the control characters XML
cannot hold, and each policy's sheet gets a valid, unique name that cannot take over the data
sheets.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.image import Image
from openpyxl.utils.dataframe import dataframe_to_rows
from openpyxl.worksheet.worksheet import Worksheet

from warrantysim.report import tables
from warrantysim.report.figures import PolicyResults
from warrantysim.report.i18n import Labels

ANNUAL_SHEET = "annual"
CHARTS_SHEET = "charts"
_ROWS_PER_IMAGE = 32
_MAX_SHEET_NAME = 31  # Excel's limit
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\\x00-\x1f]")  # Excel refuses these characters
_RESERVED = ("history",)  # Excel keeps this name for itself


def statement_sheet_names(policies: Sequence[str]) -> dict[str, str]:
    """A valid sheet name per policy: Excel's characters and length, unique whatever the case,
    never a data sheet's (``annual``, ``charts``); clashes get ``~2``, ``~3`` at the end."""
    taken = {ANNUAL_SHEET, CHARTS_SHEET, *_RESERVED}
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
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    sheet_names = statement_sheet_names(list(comparison.policies))
    for policy in comparison.policies:
        statement = tables.annual_statement(comparison.annual, policy)
        _write_statement(book.create_sheet(sheet_names[policy]), statement, labels)
    _write_frame(book.create_sheet(ANNUAL_SHEET), comparison.annual.astype({"policy": str}))
    _write_images(book.create_sheet(CHARTS_SHEET), pngs)
    book.save(path)
    return path


def _write_statement(sheet: Worksheet, statement: pd.DataFrame, labels: Labels) -> None:
    """Rows: ledger lines (key in column A, label in B); columns: fiscal years, in yuan."""
    _append(sheet, ["line", labels("line"), *[f"FY{y}" for y in statement.columns]])
    for line, row in statement.iterrows():
        _append(sheet, [str(line), labels(str(line)), *[float(v) for v in row]])
    sheet.column_dimensions["B"].width = 28


def _write_frame(sheet: Worksheet, frame: pd.DataFrame) -> None:
    for row in dataframe_to_rows(frame, index=False, header=True):
        _append(sheet, row)


def _append(sheet: Worksheet, values: Iterable[Any]) -> None:
    """A row whose text cells are text: openpyxl would store ``=...`` as a formula."""
    row = [_clean(v) if isinstance(v, str) else v for v in values]
    sheet.append(row)
    for cell, value in zip(sheet[sheet.max_row], row, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"


def _clean(text: str) -> str:
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def _write_images(sheet: Worksheet, pngs: Mapping[str, bytes]) -> None:
    for i, (name, data) in enumerate(pngs.items()):
        anchor_row = 1 + i * _ROWS_PER_IMAGE
        sheet.cell(row=anchor_row, column=1, value=_clean(name)).data_type = "s"
        image = Image(io.BytesIO(data))
        image.width, image.height = image.width / 2, image.height / 2  # drawn at scale 2
        sheet.add_image(image, f"A{anchor_row + 1}")
