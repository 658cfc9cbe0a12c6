"""Run a sweep spec: a grid, random or Latin-hypercube design over dotted scenario paths, R
replications per point with common random numbers across points. Prints each point's mean of
the spec's KPIs with its 95 % half-width (money in --unit, shares as percentages); with --out
every run is stored in Parquet chunks (resumable with --resume).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from warrantysim.commands import add_set_argument, positive_int
from warrantysim.commands.display import (
    add_language_arguments,
    interval,
    kpi_name,
    labels_of,
    text_table,
    units_note,
)
from warrantysim.commands.experiment_options import (
    add_run_arguments,
    kpi_list,
    run_options,
)

if TYPE_CHECKING:
    import pandas as pd

    from warrantysim.report.i18n import Labels

HELP = "run a sweep spec (grid / random / Latin hypercube) with R replications per point"
MAX_ROWS_PRINTED = 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", help="sweep spec YAML (see scenarios/README.md)")
    add_set_argument(parser, help="override a value of the spec's scenario (repeatable)")
    parser.add_argument(
        "--kpis",
        default=None,
        metavar="LIST",
        help="KPIs to print (default: the spec's kpis, else the main ones)",
    )
    add_replications_argument(parser)
    add_language_arguments(parser)
    add_run_arguments(parser)


def add_replications_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--replications",
        type=positive_int,
        default=None,
        metavar="N",
        help="replications per design point (default: the spec's replications)",
    )


def run(args: argparse.Namespace) -> int:
    from warrantysim.experiments.compare import kpi_columns
    from warrantysim.experiments.spec import load_sweep_spec
    from warrantysim.experiments.sweep import sweep

    spec = load_sweep_spec(args.spec)
    if args.kpis not in (None, "all"):  # checked before the first run, like the spec's
        spec = spec.model_copy(update={"kpis": _names(args.kpis)})
    if args.replications is not None:
        spec = spec.model_copy(update={"replications": args.replications})
    result = sweep(spec, run_options(args), args.set)
    available = [k for k in kpi_columns(result.kpis) if k not in result.design.columns]
    kpis = kpi_list(args.kpis or (",".join(spec.kpis) or None), available)
    points, replications = len(result.design), result.kpis["replication"].nunique()
    labels = labels_of(args)
    head = labels("sweep_head").format(points=points, n=replications, runs=len(result.kpis))
    print(head)
    print_table(result.summary(kpis), list(spec.parameters), kpis, labels)
    if args.out is not None:
        print(f"\nresults: {args.out} (load with warrantysim.experiments.load_results)")
    return 0


def _names(text: str) -> list[str]:
    return [k.strip() for k in text.split(",") if k.strip()]


def print_table(
    summary: pd.DataFrame, parameters: list[str], kpis: list[str], labels: Labels | None = None
) -> None:
    """A row per point: its parameter values and each KPI's mean ± 95 % half-width."""
    from warrantysim.report.i18n import Labels

    labels = labels or Labels()
    shown = summary.head(MAX_ROWS_PRINTED)
    header = [labels("point"), *parameters, *(kpi_name(k, labels) for k in kpis)]
    rows = [
        [
            str(row["point"]),
            *(_plain(row[p]) for p in parameters),
            *(interval(row[k], row[f"{k}_half_width"], k, labels) for k in kpis),
        ]
        for row in shown.to_dict("records")
    ]
    print(text_table(header, rows))
    if len(summary) > MAX_ROWS_PRINTED:
        print(labels("more_points").format(n=len(summary) - MAX_ROWS_PRINTED))
    print(units_note(labels, plus_minus=True))


def _plain(parameter: object) -> str:
    """A design point's parameter value as pandas would print it (floats to 6 digits)."""
    return f"{parameter:g}" if isinstance(parameter, float) else str(parameter)
