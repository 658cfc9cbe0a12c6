"""The results store: a directory of Parquet chunks, a manifest and a run log.

Layout of an experiment directory::

    manifest.json          what was asked: kind, seed, points, chunk plan, package version
    design.parquet         one row per design point (sweeps and sensitivity studies)
    scenarios.json         the resolved base scenario(s), for the record
    chunks/c00012.kpis.parquet, c00012.monthly.parquet, c00012.annual.parquet
    runlog.jsonl           one line per chunk computed: which, how many runs, how long

Every file is written to a temporary name and moved into place with ``os.replace``, which is
atomic on POSIX, so a crash or SIGKILL leaves either the whole file or none. A chunk counts as
finished when its ``kpis`` file exists; that one is written last.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from warrantysim.atomic import write_atomic, write_json_atomic
from warrantysim.experiments.errors import StoreError

if TYPE_CHECKING:
    from warrantysim.experiments.work import ChunkResult  # work imports this module

MANIFEST = "manifest.json"
DESIGN = "design.parquet"
SCENARIOS = "scenarios.json"
RUNLOG = "runlog.jsonl"
CHUNKS = "chunks"
FORMAT_VERSION = 1


class Table(StrEnum):
    KPIS = "kpis"
    MONTHLY = "monthly"
    ANNUAL = "annual"


@dataclass(frozen=True)
class Chunk:
    """A rectangle of runs: points [point_start, point_stop) × reps [rep_start, rep_stop)."""

    id: int
    point_start: int
    point_stop: int
    rep_start: int
    rep_stop: int

    @property
    def runs(self) -> int:
        return (self.point_stop - self.point_start) * (self.rep_stop - self.rep_start)

    def tasks(self) -> list[tuple[int, int]]:
        """(point, replication) pairs, point-major."""
        points = range(self.point_start, self.point_stop)
        return [(p, r) for p in points for r in range(self.rep_start, self.rep_stop)]

    def to_json(self) -> list[int]:
        return [self.id, self.point_start, self.point_stop, self.rep_start, self.rep_stop]

    @classmethod
    def from_json(cls, row: list[int]) -> Chunk:
        return cls(*row)


class ResultsStore:
    """One experiment's directory."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    def exists(self) -> bool:
        return self.manifest_path.exists()

    def manifest(self) -> dict[str, Any]:
        if not self.exists():
            raise StoreError(f"{self.root} holds no experiment (no {MANIFEST})")
        data: dict[str, Any] = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        return data

    def write_manifest(self, manifest: Mapping[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / CHUNKS).mkdir(exist_ok=True)
        write_json_atomic(self.manifest_path, {"format": FORMAT_VERSION, **manifest})

    def write_design(self, design: pd.DataFrame) -> None:
        write_atomic(self.root / DESIGN, lambda temp: parquet_safe(design).to_parquet(temp))

    def design(self) -> pd.DataFrame:
        return pd.read_parquet(self.root / DESIGN)

    def write_scenarios(self, scenarios: Mapping[str, Any]) -> None:
        write_json_atomic(self.root / SCENARIOS, dict(scenarios))

    def chunks(self) -> list[Chunk]:
        return [Chunk.from_json(row) for row in self.manifest()["chunks"]]

    def chunk_path(self, chunk_id: int, table: Table) -> Path:
        return self.root / CHUNKS / f"c{chunk_id:05d}.{table.value}.parquet"

    def is_done(self, chunk_id: int) -> bool:
        return self.chunk_path(chunk_id, Table.KPIS).exists()

    def done_ids(self) -> set[int]:
        return {c.id for c in self.chunks() if self.is_done(c.id)}

    def remove_stale_temporaries(self) -> None:
        """Half-written files a killed run left behind (never a finished chunk's)."""
        for temp in (self.root / CHUNKS).glob(".*.tmp-*"):
            temp.unlink(missing_ok=True)

    def write_chunk(self, result: ChunkResult) -> None:
        """Write the chunk's tables, ``kpis`` last: its presence marks the chunk finished."""
        for table in sorted(result.tables, key=lambda t: t is Table.KPIS):
            frame = parquet_safe(result.tables[table])
            write_atomic(self.chunk_path(result.chunk.id, table), frame.to_parquet)
        self._log(result)

    def load(self, table: Table | str = Table.KPIS) -> pd.DataFrame:
        """Every finished chunk's rows of ``table`` as one DataFrame, in chunk order."""
        paths = self.finished_paths(Table(table))
        frames = [pd.read_parquet(p) for p in paths if p.exists()]
        if not frames:
            return pd.DataFrame()
        return pd.concat(frames, ignore_index=True)

    def finished_paths(self, table: Table) -> list[Path]:
        """Files of ``table`` from finished chunks only (a killed run may leave a stray one)."""
        done = [c.id for c in self.chunks() if self.is_done(c.id)]
        return [self.chunk_path(i, table) for i in done]

    def runlog(self) -> list[dict[str, Any]]:
        path = self.root / RUNLOG
        if not path.exists():
            return []
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def _log(self, result: ChunkResult) -> None:
        entry = {
            "chunk": result.chunk.id,
            "runs": result.chunk.runs,
            "seconds": round(result.seconds, 4),
            "cpu_seconds": round(result.cpu_seconds, 4),
            "pid": os.getpid(),
            "worker_pid": result.worker_pid,
            "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        # One short line in append mode: POSIX appends it whole.
        with open(self.root / RUNLOG, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")


def parquet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns of mixed Python objects (``auto`` beside 300) become text, which Parquet takes."""
    mixed = [c for c in frame.columns if frame[c].dtype == object]
    if not mixed:
        return frame
    return frame.assign(**{str(c): frame[c].map(_text) for c in mixed})


def _text(value: Any) -> Any:
    return value if value is None or isinstance(value, str) else str(value)


def query(root: str | Path, sql: str, tables: Iterable[Table] = tuple(Table)) -> pd.DataFrame:
    """Run SQL over an experiment with DuckDB (optional); each table is a view of its chunks."""
    import duckdb  # optional: only this query helper needs it

    store = ResultsStore(root)
    connection = duckdb.connect()
    for table in map(Table, tables):
        paths = [str(p) for p in store.finished_paths(table) if p.exists()]
        if paths:
            connection.read_parquet(paths).create_view(table.value)
    return connection.execute(sql).df()
