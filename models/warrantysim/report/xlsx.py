"""The Excel workbook: each policy's mean annual statement, the replication data, chart images.

Numbers are written as numbers in yuan (finance formats them as it likes); the ``annual`` sheet
holds every row of ``annual.parquet`` of every policy so totals can be re-derived in Excel.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
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


def statement_sheet_name(policy: str) -> str:
    return policy[:_MAX_SHEET_NAME]


def write_workbook(
    comparison: PolicyResults, path: Path, pngs: Mapping[str, bytes], labels: Labels
) -> Path:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for policy in comparison.policies:
        statement = tables.annual_statement(comparison.annual, policy)
        _write_statement(book.create_sheet(statement_sheet_name(policy)), statement, labels)
    _write_frame(book.create_sheet(ANNUAL_SHEET), comparison.annual.astype({"policy": str}))
    _write_images(book.create_sheet(CHARTS_SHEET), pngs)
    book.save(path)
    return path


def _write_statement(sheet: Worksheet, statement: pd.DataFrame, labels: Labels) -> None:
    """Rows: ledger lines (key in column A, label in B); columns: fiscal years, in yuan."""
    sheet.append(["line", labels("line"), *[f"FY{y}" for y in statement.columns]])
    for line, row in statement.iterrows():
        sheet.append([str(line), labels(str(line)), *[float(v) for v in row]])
    sheet.column_dimensions["B"].width = 28


def _write_frame(sheet: Worksheet, frame: pd.DataFrame) -> None:
    for row in dataframe_to_rows(frame, index=False, header=True):
        sheet.append(row)


def _write_images(sheet: Worksheet, pngs: Mapping[str, bytes]) -> None:
    for i, (name, data) in enumerate(pngs.items()):
        anchor_row = 1 + i * _ROWS_PER_IMAGE
        sheet.cell(row=anchor_row, column=1, value=name)
        image = Image(io.BytesIO(data))
        image.width, image.height = image.width / 2, image.height / 2  # drawn at scale 2
        sheet.add_image(image, f"A{anchor_row + 1}")
