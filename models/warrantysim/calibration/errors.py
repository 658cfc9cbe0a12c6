"""Bad field data: one line naming the file, the row or cell, what was expected and what was got."""

from __future__ import annotations


class DataError(ValueError):
    """``FILE: WHERE: MESSAGE``, e.g. ``nevada.csv: row 4: expected a count >= 0, got '-3'``."""

    def __init__(self, file: str, where: str, message: str) -> None:
        super().__init__(f"{file}: {where}: {message}" if where else f"{file}: {message}")
        self.file = file
        self.where = where
        self.message = message
