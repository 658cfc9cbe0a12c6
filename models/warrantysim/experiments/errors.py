"""What can stop an experiment, and the choice of executor: importable without pandas, so the
command line can name them (``--help``, error handling) before any model code loads."""

from __future__ import annotations

from enum import StrEnum


class ExecutorKind(StrEnum):
    SERIAL = "serial"
    PROCESSES = "processes"
    DASK = "dask"


class Interrupted(RuntimeError):
    """Ctrl-C: finished chunks are kept; the message says how to resume."""


class SpecError(ValueError):
    """A spec file that cannot be used; the message names the file and what is wrong."""


class StoreError(RuntimeError):
    """A results directory that does not fit what was asked of it."""


class OptionError(ValueError):
    """An option of an experiment that cannot be used: an unknown KPI, a bad cluster address."""
