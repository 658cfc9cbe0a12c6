"""The results store: a directory of Parquet chunks, a manifest and a run log.

Layout of an experiment directory::

    manifest.json          what was asked: kind, seed, points, chunk plan, package version
    design.parquet         one row per design point (sweeps and sensitivity studies)
    scenarios.json         the resolved base scenario(s), for the record
    chunks/c00012.kpis.parquet, c00012.monthly.parquet, c00012.annual.parquet
    chunks/c00012.json     the chunk's record: each table's rows, bytes and SHA-256
    runlog.jsonl           one line per chunk computed: which, how many runs, how long
    .lock                  held (flock) by the one process writing here; holds its pid

Every file is written to a temporary name and moved into place with ``os.replace``, which is
atomic on POSIX, so a crash or SIGKILL leaves either the whole file or none. A chunk counts as
finished when its record exists; that one is written last (:mod:`~.integrity`). Reading a
chunk proves its files match the record; a damaged one is refused, and recomputed on resume.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from warrantysim.atomic import write_atomic, write_json_atomic
from warrantysim.experiments.errors import StoreError
from warrantysim.experiments.integrity import DamagedFile, FileRecord, read_verified, record_of
from warrantysim.experiments.integrity import problem as file_problem

if TYPE_CHECKING:
    from warrantysim.experiments.work import ChunkResult  # work imports this module

MANIFEST = "manifest.json"
DESIGN = "design.parquet"
SCENARIOS = "scenarios.json"
RUNLOG = "runlog.jsonl"
CHUNKS = "chunks"
LOCK = ".lock"
DELETED = "deleted (the run log says it was computed; its record is gone)"
FORMAT_VERSION = 2
"""2: every finished chunk has a record with its files' rows and SHA-256."""


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
        data = read_json(self.manifest_path)
        if not isinstance(data, dict) or not isinstance(data.get("chunks"), list):
            raise StoreError(f"{self.manifest_path}: not an experiment manifest (no chunk plan)")
        if data.get("format") != FORMAT_VERSION:
            raise StoreError(
                f"{self.root} was written in store format {data.get('format')!r}, which has no "
                f"checksums; this version reads format {FORMAT_VERSION}: run the experiment again"
            )
        return data

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the folder's exclusive lock while writing: one writer per results folder.

        ``flock`` on ``.lock``, which holds the owner's pid and start time for the message a
        second writer gets. The kernel drops the lock when its holder dies however it dies, so
        a lock file left by a killed run is stale and simply taken over.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK, "a+", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreError(self._locked_message(handle)) from None
            handle.truncate(0)
            handle.write(json.dumps({"pid": os.getpid(), "since": _now()}) + "\n")
            handle.flush()
            try:
                yield
            finally:
                handle.truncate(0)
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _locked_message(self, handle: Any) -> str:
        handle.seek(0)
        owner = _json_line(handle.read().strip()) or {}
        who = f"process {owner.get('pid', '?')} (since {owner.get('since', '?')})"
        return f"{self.root} is being written by {who}; wait for it to finish or stop it"

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

    def record_path(self, chunk_id: int) -> Path:
        return self.root / CHUNKS / f"c{chunk_id:05d}.json"

    def is_done(self, chunk_id: int) -> bool:
        return self.record_path(chunk_id).exists()

    def done_ids(self) -> set[int]:
        return {c.id for c in self.chunks() if self.is_done(c.id)}

    def remove_stale_temporaries(self) -> None:
        """Half-written files a killed run left behind (never a finished chunk's). Only the
        holder of the lock may call this: another writer's temporaries look the same."""
        for temp in (self.root / CHUNKS).glob(".*.tmp-*"):
            temp.unlink(missing_ok=True)

    def write_chunk(self, result: ChunkResult) -> None:
        """Write the chunk's tables, then its record: the record marks the chunk finished."""
        records = {}
        for table, frame in result.tables.items():
            path = self.chunk_path(result.chunk.id, table)
            write_atomic(path, parquet_safe(frame).to_parquet)
            records[table.value] = record_of(path).to_json()
        write_json_atomic(self.record_path(result.chunk.id), {"tables": records})
        self._log(result)

    def read_chunk(self, chunk_id: int, table: Table) -> pd.DataFrame:
        """A finished chunk's table, proven whole; :class:`StoreError` naming it if not."""
        try:
            return self._verified(chunk_id, table)
        except DamagedFile as damaged:
            raise StoreError(self._damage_message([(chunk_id, str(damaged))])) from None

    def problems(self, tables: Iterable[Table] | None = None) -> list[tuple[int, str]]:
        """(chunk id, what is wrong) for every damaged chunk of the plan.

        Finished chunks' files (of ``tables``, default: every kept table) are checked against
        their records; a chunk the run log says was computed but has no record was deleted.
        """
        names = self._tables() if tables is None else [Table(t).value for t in tables]
        found = [(i, DELETED) for i in self._deleted_ids()]
        for chunk_id in sorted(self.done_ids()):
            for name in names:
                try:
                    self._check(chunk_id, Table(name))
                except DamagedFile as damaged:
                    found.append((chunk_id, str(damaged)))
        return sorted(found)

    def heal(self) -> list[int]:
        """Remove every damaged chunk (record and files) so a resume computes it again."""
        damaged = sorted({chunk_id for chunk_id, _ in self.problems()})
        for chunk_id in damaged:
            self.record_path(chunk_id).unlink(missing_ok=True)
            for table in Table:
                self.chunk_path(chunk_id, table).unlink(missing_ok=True)
        return damaged

    def load(self, table: Table | str = Table.KPIS) -> pd.DataFrame:
        """Every finished chunk's rows of ``table`` as one DataFrame, in chunk order.

        Refuses (:class:`StoreError`) when any chunk is damaged, rather than return fewer rows.
        """
        table = Table(table)
        if table.value not in self._tables():
            return pd.DataFrame()
        damaged = [(i, DELETED) for i in self._deleted_ids()]
        frames = []
        for chunk_id in sorted(self.done_ids()):
            try:
                frames.append(self._verified(chunk_id, table))
            except DamagedFile as error:
                damaged.append((chunk_id, str(error)))
        if damaged:
            raise StoreError(self._damage_message(sorted(damaged)))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def finished_paths(self, table: Table) -> list[Path]:
        """Files of ``table`` from finished chunks only, after proving each one whole."""
        if table.value not in self._tables():
            return []
        damaged = self.problems([table])
        if damaged:
            raise StoreError(self._damage_message(damaged))
        return [self.chunk_path(i, table) for i in sorted(self.done_ids())]

    def _verified(self, chunk_id: int, table: Table) -> pd.DataFrame:
        record = self._file_record(chunk_id, table)
        try:
            return read_verified(self.chunk_path(chunk_id, table), record)
        except DamagedFile as damaged:
            raise DamagedFile(f"{table.value} {damaged}") from None

    def _check(self, chunk_id: int, table: Table) -> None:
        record = self._file_record(chunk_id, table)
        found = file_problem(self.chunk_path(chunk_id, table), record)
        if found is not None:
            raise DamagedFile(f"{table.value} {found}")

    def _file_record(self, chunk_id: int, table: Table) -> FileRecord:
        path = self.record_path(chunk_id)
        try:
            return FileRecord.from_json(read_json(path)["tables"][table.value])
        except KeyError:
            raise DamagedFile(f"{table.value}: not in the chunk's record {path.name}") from None
        except (StoreError, TypeError, ValueError, AttributeError):
            raise DamagedFile(f"record {path.name} is damaged (not the JSON written)") from None

    def _deleted_ids(self) -> list[int]:
        """Chunks the run log says were computed whose record is gone."""
        logged = {entry.get("chunk") for entry in self.runlog()}
        return [c.id for c in self.chunks() if c.id in logged and not self.is_done(c.id)]

    def _tables(self) -> list[str]:
        return list(self.manifest().get("tables", [t.value for t in Table]))

    def _damage_message(self, damaged: list[tuple[int, str]]) -> str:
        chunk_id, text = damaged[0]
        more = f" (and {len(damaged) - 1} more problems)" if len(damaged) > 1 else ""
        return (
            f"{self.root}: chunk c{chunk_id:05d} {text}{more}; "
            f"list them with: warrantysim verify {self.root}; "
            "resume the experiment to recompute damaged chunks"
        )

    def runlog(self) -> list[dict[str, Any]]:
        path = self.root / RUNLOG
        if not path.exists():
            return []
        lines = path.read_text(encoding="utf-8").splitlines()
        return [entry for entry in map(_json_line, lines) if isinstance(entry, dict)]

    def _log(self, result: ChunkResult) -> None:
        entry = {
            "chunk": result.chunk.id,
            "runs": result.chunk.runs,
            "seconds": round(result.seconds, 4),
            "cpu_seconds": round(result.cpu_seconds, 4),
            "pid": os.getpid(),
            "worker_pid": result.worker_pid,
            "finished": _now(),
        }
        # One short line in append mode: POSIX appends it whole.
        with open(self.root / RUNLOG, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise StoreError(f"{path}: damaged, not JSON ({error})") from None


def _json_line(line: str) -> Any:
    """One run-log entry; a line a kill cut short is skipped (the chunk's record decides)."""
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return None


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
        paths = [str(p) for p in store.finished_paths(table)]
        if paths:
            connection.read_parquet(paths).create_view(table.value)
    return connection.execute(sql).df()
