"""Stored results that prove they are whole: a record per file (rows, bytes, sha256).

A finished chunk of an experiment has a record ``chunks/c00012.json`` beside its tables, written
last, which lists each table file's row count, size and SHA-256. Its presence marks the chunk
finished; its contents let a reader prove the files are the ones written. A file that is
missing, shorter or different from its record is *damaged*: ``--resume`` recomputes the chunk,
loading refuses with a message naming it, and ``warrantysim verify DIR`` lists every problem.

The record is kept per chunk rather than in ``manifest.json`` so that storing a chunk stays one
small atomic write, whatever the number of chunks (rewriting one growing manifest after every
chunk would cost O(chunks²) bytes).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq


@dataclass(frozen=True)
class FileRecord:
    """What a stored file must be: its Parquet row count, size in bytes and SHA-256."""

    rows: int
    bytes: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "bytes": self.bytes, "sha256": self.sha256}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FileRecord:
        return cls(int(data["rows"]), int(data["bytes"]), str(data["sha256"]))


class DamagedFile(ValueError):
    """A stored file that is not what its record says; the message says how it differs."""


def record_of(path: Path) -> FileRecord:
    """The record of a Parquet file as it is on disk now (just after writing it)."""
    data = path.read_bytes()
    rows = pq.ParquetFile(io.BytesIO(data)).metadata.num_rows
    return FileRecord(rows, len(data), hashlib.sha256(data).hexdigest())


def problem(path: Path, record: FileRecord) -> str | None:
    """How ``path`` differs from ``record`` (deleted, truncated, modified), or None."""
    try:
        read_verified(path, record)
    except DamagedFile as damaged:
        return str(damaged)
    return None


def read_verified(path: Path, record: FileRecord) -> pd.DataFrame:
    """The table in ``path``, read once, after proving its bytes are the recorded ones."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DamagedFile(f"deleted (expected {record.rows} rows)") from None
    if len(data) < record.bytes:
        raise DamagedFile(f"truncated ({len(data)} of {record.bytes} bytes)")
    if len(data) != record.bytes or hashlib.sha256(data).hexdigest() != record.sha256:
        raise DamagedFile("modified (its SHA-256 differs from the one recorded)")
    frame = pd.read_parquet(io.BytesIO(data))
    if len(frame) != record.rows:  # the hash matched, so only a bug of ours gets here
        raise DamagedFile(f"has {len(frame)} rows, recorded {record.rows}")
    return frame


def records_of(paths: Mapping[str, Path]) -> dict[str, dict[str, Any]]:
    """``{name: record}`` of files just written, for a manifest's ``files``."""
    return {name: record_of(path).to_json() for name, path in paths.items()}


def folder_problems(root: Path, files: Mapping[str, Any]) -> list[str]:
    """``name: problem`` for each file of ``root`` that differs from its manifest record."""
    found = []
    for name, data in files.items():
        text = problem(root / name, FileRecord.from_json(data))
        if text is not None:
            found.append(f"{name} {text}")
    return found
