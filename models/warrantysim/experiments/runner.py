"""Running a plan of chunks: skip what is stored, run the rest, store each as it lands.

The plan (which runs go into which chunk) is fixed when an experiment starts and kept in its
manifest, so a resumed run computes exactly the chunks that are missing, whatever the number
of workers. Ctrl-C stops the workers, keeps every finished chunk and raises
:class:`Interrupted`, whose message says how to resume.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

import warrantysim
from warrantysim.experiments.errors import Interrupted, StoreError
from warrantysim.experiments.executors import Executor
from warrantysim.experiments.progress import Progress
from warrantysim.experiments.store import Chunk, ResultsStore, Table
from warrantysim.experiments.work import ChunkResult

MAX_CHUNK_RUNS = 20
CHUNKS_PER_WORKER = 8


def default_chunk_runs(total_runs: int, workers: int) -> int:
    """Several chunks per worker (balance, progress); small, so a crash loses little."""
    return max(1, min(MAX_CHUNK_RUNS, math.ceil(total_runs / (workers * CHUNKS_PER_WORKER))))


def plan_chunks(
    n_points: int, rep_start: int, rep_stop: int, chunk_runs: int, first_id: int = 0
) -> list[Chunk]:
    """Rectangles of about ``chunk_runs`` runs covering points × [rep_start, rep_stop)."""
    reps = rep_stop - rep_start
    if reps <= 0 or n_points <= 0:
        return []
    if reps >= chunk_runs:
        return _split_replications(n_points, rep_start, rep_stop, chunk_runs, first_id)
    points_per_chunk = max(1, chunk_runs // reps)
    starts = range(0, n_points, points_per_chunk)
    return [
        Chunk(first_id + i, p, min(p + points_per_chunk, n_points), rep_start, rep_stop)
        for i, p in enumerate(starts)
    ]


def plan_replication_batch(
    n_points: int, rep_start: int, rep_stop: int, chunk_runs: int, first_id: int = 0
) -> list[Chunk]:
    """Chunks of every point over a few replications: a compare batch, CRN-paired inside."""
    reps_per_chunk = max(1, chunk_runs // max(n_points, 1))
    starts = range(rep_start, rep_stop, reps_per_chunk)
    return [
        Chunk(first_id + i, 0, n_points, r, min(r + reps_per_chunk, rep_stop))
        for i, r in enumerate(starts)
    ]


def _split_replications(
    n_points: int, rep_start: int, rep_stop: int, chunk_runs: int, first_id: int
) -> list[Chunk]:
    chunks: list[Chunk] = []
    for point in range(n_points):
        for r in range(rep_start, rep_stop, chunk_runs):
            stop = min(r + chunk_runs, rep_stop)
            chunks.append(Chunk(first_id + len(chunks), point, point + 1, r, stop))
    return chunks


def fingerprint(parts: Mapping[str, Any]) -> str:
    """A hash of what defines an experiment's numbers; resuming requires the same one."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Session:
    """One experiment being run: where it is stored, how, and what has been computed."""

    executor: Executor
    progress: Progress
    store: ResultsStore | None = None
    resume_hint: str = "run it again with resume"
    memory: dict[int, dict[Table, pd.DataFrame]] = field(default_factory=dict)
    chunks: list[Chunk] = field(default_factory=list)
    chunk_runs: int = 1
    """Runs per chunk of this experiment's plan (and of any chunks added to it)."""
    healed: list[int] = field(default_factory=list)
    """Damaged chunks found on resume, removed to be computed again."""

    def open(self, manifest: Mapping[str, Any], resume: bool, extra: Mapping[str, Any]) -> None:
        """Start a new experiment, or pick up a stored one with the same fingerprint."""
        if self.store is None:
            self.chunks = [Chunk.from_json(c) for c in manifest["chunks"]]
            return
        if self.store.exists():
            self._reopen(manifest, resume)
            return
        self.store.write_manifest(
            {
                **manifest,
                "version": warrantysim.__version__,
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
        )
        _write_extras(self.store, extra)
        self.chunks = self.store.chunks()

    def add_chunks(self, chunks: Sequence[Chunk]) -> None:
        """Extend the plan (sequential replications); stored in the manifest before running."""
        self.chunks = [*self.chunks, *chunks]
        if self.store is not None:
            manifest = self.store.manifest()
            manifest["chunks"] = [c.to_json() for c in self.chunks]
            self.store.write_manifest(manifest)

    def run(self, job: Any, chunks: Sequence[Chunk] | None = None) -> None:
        """Compute every chunk of ``chunks`` (default: the plan) that is not finished yet."""
        wanted = list(self.chunks if chunks is None else chunks)
        pending = [c for c in wanted if not self._done(c)]
        self.progress.start(
            sum(c.runs for c in wanted), sum(c.runs for c in wanted if self._done(c))
        )
        try:
            with deferred_interrupt() as interrupted:
                for result in self.executor.run(job, pending):
                    if result is not None:
                        self._keep(result)
                        self.progress.advance(result.chunk.runs)
                    if interrupted():
                        raise KeyboardInterrupt
        except KeyboardInterrupt as interrupt:
            self.executor.close()
            raise Interrupted(self._interrupted_message(wanted)) from interrupt
        finally:
            self.progress.close()

    def table(self, table: Table, chunks: Iterable[Chunk] | None = None) -> pd.DataFrame:
        """The rows of ``table`` from the given (default: all) finished chunks, in run order."""
        ids = [c.id for c in (self.chunks if chunks is None else chunks)]
        if self.store is not None:
            frames = [self.store.read_chunk(i, table) for i in ids if self.store.is_done(i)]
        else:
            frames = [self.memory[i][table] for i in ids if i in self.memory]
        frames = [f for f in frames if f is not None and not f.empty]
        if not frames:
            return pd.DataFrame()
        return sort_runs(pd.concat(frames, ignore_index=True))

    def tables(self, kept: Iterable[Table]) -> dict[Table, pd.DataFrame]:
        """Every table, empty where it was not kept."""
        kept = set(kept)
        return {t: self.table(t) if t in kept else pd.DataFrame() for t in Table}

    def _done(self, chunk: Chunk) -> bool:
        if self.store is not None:
            return self.store.is_done(chunk.id)
        return chunk.id in self.memory

    def _keep(self, result: ChunkResult) -> None:
        if self.store is not None:
            self.store.write_chunk(result)
        else:
            self.memory[result.chunk.id] = dict(result.tables)

    def _reopen(self, manifest: Mapping[str, Any], resume: bool) -> None:
        assert self.store is not None
        stored = self.store.manifest()
        if not resume:
            raise StoreError(
                f"{self.store.root} already holds an experiment; "
                "resume it or choose another output directory"
            )
        if stored.get("fingerprint") != manifest["fingerprint"]:
            raise StoreError(
                f"{self.store.root} holds a different experiment (other scenario, "
                "spec or seed); choose another output directory to start this one"
            )
        self.store.remove_stale_temporaries()
        self.healed = self.store.heal()
        if self.healed:
            names = ", ".join(f"c{i:05d}" for i in self.healed)
            print(f"{self.store.root}: recomputing damaged chunks {names}", file=sys.stderr)
        self.chunks = self.store.chunks()

    def _interrupted_message(self, wanted: Sequence[Chunk]) -> str:
        done = sum(1 for c in wanted if self._done(c))
        where = f" in {self.store.root}" if self.store is not None else " (in memory only)"
        return (
            f"interrupted: {done} of {len(wanted)} chunks finished and kept{where}. "
            f"To continue: {self.resume_hint}"
        )


@contextlib.contextmanager
def deferred_interrupt() -> Iterator[Callable[[], bool]]:
    """Turn the first Ctrl-C into a flag the run loop checks between results.

    A KeyboardInterrupt raised at an arbitrary point could land inside an executor's locks
    (``concurrent.futures`` takes them around every wait) and hang the shutdown; checked here,
    it is raised only in our own loop. A second Ctrl-C interrupts at once.
    """
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    requested = threading.Event()

    def handler(signum: int, frame: object) -> None:
        if requested.is_set():
            raise KeyboardInterrupt
        requested.set()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield requested.is_set
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)


def sort_runs(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by point, then replication; a stable sort keeps months and years in order."""
    keys = [k for k in ("point", "replication") if k in frame.columns]
    if not keys:
        return frame
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def _write_extras(store: ResultsStore, extra: Mapping[str, Any]) -> None:
    if "design" in extra and extra["design"] is not None:
        store.write_design(extra["design"])
    if "scenarios" in extra:
        store.write_scenarios(extra["scenarios"])
