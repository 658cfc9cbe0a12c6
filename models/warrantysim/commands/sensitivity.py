"""Run a sensitivity spec: Sobol indices (first and total order, bootstrap 95 % intervals) or
Morris screening (μ*, σ) of the spec's KPIs, with SALib. Warns in plain words when the sample
is too small for trustworthy indices, and says what N would help.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from warrantysim.commands import add_set_argument
from warrantysim.commands.experiment_options import (
    add_run_arguments,
    run_options,
)
from warrantysim.commands.sweep import add_replications_argument

HELP = "Sobol or Morris sensitivity of chosen KPIs to scenario parameters (SALib)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "spec", metavar="SPEC", help="sensitivity spec YAML (see scenarios/README.md)"
    )
    add_set_argument(parser, help="override a value of the spec's scenario (repeatable)")
    add_replications_argument(parser)
    add_run_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from warrantysim.experiments.sensitivity import INDICES_FILE, sensitivity
    from warrantysim.experiments.spec import load_sensitivity_spec

    spec = load_sensitivity_spec(args.spec)
    if args.replications is not None:
        spec = spec.model_copy(update={"replications": args.replications})
    result = sensitivity(spec, run_options(args), args.set)
    print(f"{spec.method.value}: {len(result.design)} design points, {len(result.kpis)} runs")
    print(result.indices.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.out is not None:
        print(f"\nindices: {Path(args.out) / INDICES_FILE}")
    return 0
