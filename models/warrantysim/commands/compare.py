"""Compare scenarios with common random numbers: replication r of every scenario uses the same
seed, so differences come from the policies, not the dice. For each KPI it prints each
scenario's mean and its difference from BASE (the first scenario) with a paired 95 % interval;
``--precision KPI=REL`` adds replications until that half-width is at most REL × |BASE mean|.
"""

from __future__ import annotations

import argparse
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

from warrantysim.commands import UsageError, add_scenario_arguments, load_from_args, positive_int
from warrantysim.commands.display import (
    add_language_arguments,
    interval,
    kpi_name,
    labels_of,
    pad,
    policy_names,
    units_note,
    value,
)
from warrantysim.commands.experiment_options import (
    add_run_arguments,
    fmt,
    kpi_list,
    run_options,
)

if TYPE_CHECKING:
    from warrantysim.experiments.compare import Comparison
    from warrantysim.report.i18n import Labels

HELP = "compare scenarios (BASE first) with common random numbers and paired 95 % intervals"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_scenario_arguments(parser, many=True)
    parser.add_argument(
        "--replications",
        type=positive_int,
        default=None,
        metavar="N",
        help="replications per scenario (default: BASE's simulation.replications)",
    )
    parser.add_argument("--seed", type=int, default=None, help="default: BASE's simulation.seed")
    parser.add_argument(
        "--precision",
        action="append",
        default=[],
        metavar="KPI=REL",
        help="add replications until the paired half-width on KPI is at most "
        "REL x |BASE mean| (e.g. lifetime_profit=0.002; repeatable)",
    )
    parser.add_argument(
        "--max-replications",
        type=positive_int,
        default=1000,
        metavar="N",
        help="stop adding replications here (default 1000)",
    )
    parser.add_argument(
        "--kpis",
        default=None,
        metavar="LIST",
        help="KPIs to print, comma-separated, or 'all' (default: the main ones)",
    )
    add_language_arguments(parser)
    add_run_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from warrantysim.experiments.compare import compare, kpi_columns

    if len(args.scenarios) < 2:
        raise UsageError("give BASE and at least one other scenario to compare with it")
    scenarios = [load_from_args(path, args) for path in args.scenarios]
    targets = parse_precision(args.precision)
    result = compare(
        scenarios[0],
        scenarios[1:],
        replications=args.replications,
        seed=args.seed,
        precision=targets,
        max_replications=args.max_replications,
        options=run_options(args),
    )
    labels = labels_of(args)
    names = policy_names(result.scenarios, {s.name: s.title_zh for s in scenarios}, labels)
    print_comparison(result, kpi_list(args.kpis, kpi_columns(result.kpis)), labels, names)
    if args.out is not None:
        _write_summary(result, args.out)
    return 0


def parse_precision(items: list[str]) -> dict[str, float]:
    targets = {}
    for item in items:
        kpi, eq, value = item.partition("=")
        try:
            relative = float(value)
        except ValueError:
            relative = -1.0
        if not eq or not kpi or relative <= 0:
            raise UsageError(
                f"--precision takes KPI=REL with REL > 0 (e.g. lifetime_profit=0.002), got {item!r}"
            )
        targets[kpi.strip()] = relative
    return targets


def print_comparison(
    result: Comparison,
    kpis: list[str],
    labels: Labels | None = None,
    names: dict[str, str] | None = None,
) -> None:
    from warrantysim.report.i18n import Labels

    labels = labels or Labels()
    names = names or {s: s for s in result.scenarios}
    summary = result.summary
    head = labels("compare_head").format(n=result.replications, base=names[result.base])
    print(head)
    for kpi in kpis:
        print(f"\n{kpi_name(kpi, labels)}")
        for row in summary[summary["kpi"] == kpi].to_dict(orient="records"):
            print(_line(row, result.base, kpi, labels, names))
    print(f"\n{units_note(labels, plus_minus=True)}")
    for status in result.precision:
        verdict = labels("met") if status.met else labels("not_met")
        said = labels("precision_line").format(
            kpi=kpi_name(status.kpi, labels),
            half=fmt(status.half_width),
            target=fmt(status.target_half_width),
            rel=f"{status.relative_target:g}",
            verdict=verdict,
        )
        print(f"\n{said}")


def _line(
    row: dict[Hashable, Any], base: str, kpi: str, labels: Labels, names: dict[str, str]
) -> str:
    name = names.get(str(row["scenario"]), str(row["scenario"]))
    shown = interval(row["mean"], row["mean_half_width"], kpi, labels)
    line = f"  {pad(name, 28)} {pad(shown, 28, right=True)}"
    if row["scenario"] != base:
        low, high = (
            value(row["difference_low"], kpi, labels),
            value(row["difference_high"], kpi, labels),
        )
        diff = pad(value(row["difference"], kpi, labels), 14, right=True)
        line += f"  {labels('diff')} {diff} [{low}, {high}]"
    return line


def _write_summary(result: Comparison, out: str) -> None:
    from pathlib import Path

    from warrantysim.atomic import write_atomic

    path = Path(out) / "summary.csv"
    write_atomic(path, lambda temp: result.summary.to_csv(temp, index=False))
    print(
        f"\nresults: {out} (summary.csv; load all runs with warrantysim.experiments.load_results)"
    )
