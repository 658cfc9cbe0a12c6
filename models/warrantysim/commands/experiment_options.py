"""The options the ``compare``, ``sweep`` and ``sensitivity`` subcommands share.

Ctrl-C (:class:`~warrantysim.experiments.errors.Interrupted`: it prints how to resume, exit code
130) and a bad spec, results directory or option (one line, exit code 2) are handled once, in
:func:`warrantysim.cli.main`.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import TYPE_CHECKING

from warrantysim.commands import UsageError, positive_float, positive_int
from warrantysim.experiments.errors import ExecutorKind
from warrantysim.experiments.progress import ProgressMode
from warrantysim.headline import HEADLINE_KPIS
from warrantysim.workload import DEFAULT_MAX_HOURS, DEFAULT_MAX_MEMORY_GB, Limits

if TYPE_CHECKING:
    from warrantysim.experiments.options import RunOptions


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """Where and how runs are computed: executor, results directory, resume, progress."""
    group = parser.add_argument_group("execution (none of these changes a number)")
    group.add_argument(
        "--executor",
        choices=[k.value for k in ExecutorKind],
        default=ExecutorKind.PROCESSES.value,
        help="serial, local processes (default, all cores) or Dask",
    )
    group.add_argument(
        "--workers",
        type=positive_int,
        default=None,
        metavar="N",
        help="local processes, or Dask local workers (default: all cores)",
    )
    group.add_argument(
        "--cluster",
        default=None,
        metavar="ADDRESS",
        help="Dask: tcp://HOST:PORT of a running scheduler, or local:N to start N workers",
    )
    group.add_argument(
        "--out",
        default=None,
        metavar="DIR",
        help="results directory: Parquet chunks, manifest, run log",
    )
    group.add_argument(
        "--resume",
        action="store_true",
        help="continue the experiment in --out, skipping finished chunks",
    )
    group.add_argument(
        "--progress",
        choices=[m.value for m in ProgressMode],
        default=ProgressMode.AUTO.value,
        help="progress bar (auto: text on a terminal, quiet otherwise)",
    )
    group.add_argument(
        "--chunk-runs",
        type=positive_int,
        default=None,
        metavar="N",
        help="runs per stored chunk (default: about 8 chunks per worker, at most 20 runs)",
    )
    group.add_argument(
        "--tables",
        default="kpis,monthly,annual",
        metavar="LIST",
        help="tables to keep: any of kpis,monthly,annual (kpis always)",
    )
    add_limit_arguments(parser)


def add_limit_arguments(parser: argparse.ArgumentParser) -> None:
    """Limits on the estimated work (warrantysim.workload), checked before the first run."""
    group = parser.add_argument_group("limits (the work is estimated before it starts)")
    group.add_argument(
        "--max-memory-gb",
        type=positive_float,
        default=DEFAULT_MAX_MEMORY_GB,
        metavar="GB",
        help=f"memory one run may need (default {DEFAULT_MAX_MEMORY_GB:g})",
    )
    group.add_argument(
        "--max-hours",
        type=positive_float,
        default=DEFAULT_MAX_HOURS,
        metavar="H",
        help=f"estimated hours of simulation on one core (default {DEFAULT_MAX_HOURS:g})",
    )


def limits(args: argparse.Namespace) -> Limits:
    return Limits(max_memory_gb=args.max_memory_gb, max_hours=args.max_hours)


def run_options(args: argparse.Namespace) -> RunOptions:
    from warrantysim.experiments.options import RunOptions
    from warrantysim.experiments.store import Table

    try:
        tables = {Table(t.strip()) for t in args.tables.split(",") if t.strip()} | {Table.KPIS}
    except ValueError:
        raise UsageError(f"--tables takes kpis, monthly, annual; got {args.tables!r}") from None
    return RunOptions(
        executor=args.executor, workers=args.workers, cluster=args.cluster, out=args.out,
        resume=args.resume, progress=args.progress, chunk_runs=args.chunk_runs,
        tables=tuple(t for t in Table if t in tables), resume_hint=resume_hint(args),
        limits=limits(args),
    )  # fmt: skip


def resume_hint(args: argparse.Namespace) -> str:
    if args.out is None:
        return "nothing was stored: run again with --out DIR to keep finished chunks"
    words = [a for a in sys.argv[1:] if a != "--resume"]
    return "warrantysim " + " ".join(shlex.quote(w) for w in words) + " --resume"


def kpi_list(
    text: str | None, available: list[str], default: tuple[str, ...] = HEADLINE_KPIS
) -> list[str]:
    """``--kpis a,b`` (or ``all``), checked against the KPIs the runs produced."""
    if text == "all":
        return available
    wanted = (
        [k.strip() for k in text.split(",") if k.strip()]
        if text
        else [k for k in default if k in available]
    )
    unknown = [k for k in wanted if k not in available]
    if unknown:
        raise UsageError(f"unknown KPI {', '.join(unknown)}; KPIs: {', '.join(available)}")
    return wanted or available[:8]


def fmt(value: float) -> str:
    """A number for a terminal table: thousands separators, 4 significant digits when small."""
    if value != value:  # NaN
        return "nan"
    if abs(value) == float("inf"):
        return "inf"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"
