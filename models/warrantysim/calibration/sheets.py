"""A data file as a grid of cells, from CSV or XLSX, with the parsers every reader shares.

Positions are told the way the user's program shows them: ``row N`` (1-based, header = row 1)
for a CSV, ``cell B7`` for a spreadsheet. Blank rows at the end are dropped.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from warrantysim.calibration.errors import DataError

Cell = str | float | int | date | None
BLANK = ("", "-")
MONTH_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Sheet:
    file: str
    rows: list[list[Cell]]
    spreadsheet: bool

    def where(self, row: int, column: int | None = None) -> str:
        """``row`` and ``column`` are 0-based indices into ``rows``."""
        if self.spreadsheet and column is not None:
            return f"cell {column_letter(column)}{row + 1}"
        return f"row {row + 1}"

    def fail(self, row: int, column: int | None, message: str) -> DataError:
        return DataError(self.file, self.where(row, column), message)

    def cell(self, row: int, column: int) -> Cell:
        values = self.rows[row]
        return values[column] if column < len(values) else None


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_sheet(path: str | Path, sheet: str | None = None) -> Sheet:
    """Rows of a ``.csv`` or ``.xlsx`` file (``sheet``: the worksheet; default the first)."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path, sheet)
        spreadsheet = True
    else:
        if sheet is not None:
            raise DataError(str(path), "", f"expected a spreadsheet for --sheet {sheet}, got CSV")
        rows = _csv_rows(path)
        spreadsheet = False
    while rows and all(is_blank(c) for c in rows[-1]):
        rows.pop()
    if not rows:
        raise DataError(str(path), "row 1", "expected a header row, got an empty file")
    return Sheet(str(path), rows, spreadsheet)


def _csv_rows(path: Path) -> list[list[Cell]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [list(row) for row in csv.reader(handle)]


def _xlsx_rows(path: Path, sheet: str | None) -> list[list[Cell]]:
    import openpyxl  # the report extra; only spreadsheets need it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # zipfile/openpyxl raise several kinds for a file that is not XLSX
        raise DataError(str(path), "", f"expected an .xlsx workbook, got {type(e).__name__}") from e
    names = book.sheetnames
    if sheet is not None and sheet not in names:
        raise DataError(str(path), f"sheet {sheet!r}", f"expected one of {', '.join(names)}")
    chosen = book[sheet or names[0]]
    return [list(row) for row in chosen.iter_rows(values_only=True)]


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in BLANK)


def text(value: Cell) -> str:
    return "" if value is None else str(value).strip()


def number(sheet: Sheet, row: int, column: int, what: str) -> float:
    value = sheet.cell(row, column)
    if isinstance(value, (bool, date)):
        raise sheet.fail(row, column, f"expected {what}, got {text(value)!r}")
    try:
        return float(value) if value is not None else _missing(sheet, row, column, what)
    except ValueError:
        raise sheet.fail(row, column, f"expected {what}, got {text(value)!r}") from None


def _missing(sheet: Sheet, row: int, column: int, what: str) -> float:
    raise sheet.fail(row, column, f"expected {what}, got an empty cell")


def count(sheet: Sheet, row: int, column: int, what: str = "a count (a whole number >= 0)") -> int:
    """A whole number >= 0; blank or '-' is 0."""
    if is_blank(sheet.cell(row, column)):
        return 0
    value = number(sheet, row, column, what)
    if value < 0 or value != int(value):
        raise sheet.fail(row, column, f"expected {what}, got {text(sheet.cell(row, column))!r}")
    return int(value)


def month_index(sheet: Sheet, row: int, column: int, today: date) -> int:
    """A ``YYYY-MM`` label (or a spreadsheet date) as year·12 + month − 1; not after today."""
    value = sheet.cell(row, column)
    if isinstance(value, date):
        year, month = value.year, value.month
    else:
        match = MONTH_LABEL.match(text(value))
        if not match or not 1 <= int(match[2]) <= 12:
            raise sheet.fail(row, column, f"expected a month YYYY-MM, got {text(value)!r}")
        year, month = int(match[1]), int(match[2])
    if (year, month) > (today.year, today.month):
        raise sheet.fail(row, column, f"expected a month not after today ({today:%Y-%m}), "
                         f"got {year:04d}-{month:02d} (in the future)")  # fmt: skip
    return year * 12 + month - 1


def day(sheet: Sheet, row: int, column: int, today: date) -> date:
    """A ``YYYY-MM-DD`` date (or a spreadsheet date), not after today."""
    value = sheet.cell(row, column)
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    else:
        try:
            found = date.fromisoformat(text(value))
        except ValueError:
            raise sheet.fail(
                row, column, f"expected a date YYYY-MM-DD, got {text(value)!r}"
            ) from None
    if found > today:
        raise sheet.fail(row, column, f"expected a date not after today ({today}), got {found} "
                         "(in the future)")  # fmt: skip
    return found


def header(
    sheet: Sheet, expected: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, int]:
    """Column index of each expected name (case-insensitive); an error names the first missing."""
    names = [text(c).lower() for c in sheet.rows[0]]
    found = {n: i for i, n in enumerate(names) if n}
    for name in expected:
        if name not in found:
            shown = ",".join(n for n in names if n) or "nothing"
            raise sheet.fail(0, None, f"expected a header with {','.join(expected)}"
                             f"{''.join(f'[,{o}]' for o in optional)}, got {shown}")  # fmt: skip
    return {n: found[n] for n in (*expected, *optional) if n in found}
