"""Progress of an experiment: runs done, runs per second and the time left.

Two faces here: a one-line bar on a terminal, nothing otherwise (logs and CI stay clean). A
notebook passes its own :class:`Progress` (``warrantysim.workbench.progress.WidgetProgress``)
through ``RunOptions(progress=...)``: presentation code stays out of
experiments. Runs restored by ``--resume`` count as done but not toward the speed.
"""

from __future__ import annotations

import math
import sys
import time
from enum import StrEnum
from typing import Protocol, TextIO

BAR_WIDTH = 28
MIN_SECONDS_BETWEEN_LINES = 0.2


class ProgressMode(StrEnum):
    AUTO = "auto"
    TEXT = "text"
    QUIET = "quiet"


class Progress(Protocol):
    def start(self, total_runs: int, done_runs: int = 0) -> None: ...

    def advance(self, runs: int) -> None: ...

    def close(self) -> None: ...


class Meter:
    """Counts runs and derives the speed and the time left from the runs done here."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0
        self._restored = 0
        self._started = time.monotonic()

    def start(self, total_runs: int, done_runs: int = 0) -> None:
        self.total, self.done, self._restored = total_runs, done_runs, done_runs
        self._started = time.monotonic()

    def advance(self, runs: int) -> None:
        self.done += runs

    @property
    def runs_per_second(self) -> float:
        elapsed = time.monotonic() - self._started
        return (self.done - self._restored) / elapsed if elapsed > 0 else 0.0

    @property
    def eta_seconds(self) -> float:
        rate = self.runs_per_second
        return (self.total - self.done) / rate if rate > 0 else math.inf

    def describe(self) -> str:
        return (
            f"{self.done}/{self.total} runs  {self.runs_per_second:.2f} runs/s  "
            f"ETA {format_seconds(self.eta_seconds)}"
        )


class QuietProgress(Meter):
    def close(self) -> None:
        pass


class TextProgress(Meter):
    """``[#####.....] 120/400 runs  3.20 runs/s  ETA 1m27s`` redrawn in place on a terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__()
        self.stream = stream if stream is not None else sys.stderr
        self._last_draw = 0.0

    def start(self, total_runs: int, done_runs: int = 0) -> None:
        super().start(total_runs, done_runs)
        self._draw()

    def advance(self, runs: int) -> None:
        super().advance(runs)
        if (
            self.done >= self.total
            or time.monotonic() - self._last_draw >= MIN_SECONDS_BETWEEN_LINES
        ):
            self._draw()

    def close(self) -> None:
        self._draw()
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self) -> None:
        filled = round(BAR_WIDTH * self.done / self.total) if self.total else BAR_WIDTH
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stream.write(f"\r[{bar}] {self.describe()}   ")
        self.stream.flush()
        self._last_draw = time.monotonic()


def make_progress(mode: ProgressMode | str = ProgressMode.AUTO) -> Progress:
    mode = ProgressMode(mode)
    if mode is ProgressMode.AUTO:
        mode = ProgressMode.TEXT if sys.stderr.isatty() else ProgressMode.QUIET
    if mode is ProgressMode.TEXT:
        return TextProgress()
    return QuietProgress()


def format_seconds(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "--"
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"
