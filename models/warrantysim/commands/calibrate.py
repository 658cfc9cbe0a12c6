"""Fit a part's life to field data and write a scenario that carries the fit.

DATA is a Nevada chart (``--format nevada``: ``period,shipped,<return periods...>``), a claims list
with ``--shipments`` (``claims``; shipments by month or by lot) or a life table
``age,status[,count]`` (``life``); CSV or XLSX.
Every model (exponential, Weibull, defective subpopulation, two-Weibull mixture) is fitted by
censored maximum likelihood; ``--model auto`` takes the one BIC recommends. The scenario written to
``--out`` extends ``--base`` with the part's fitted ``life`` and ``early_defects``, the covariance
of the estimates (``life_uncertainty``) and the fit summary as a comment. Bad data: one line naming
the file and the row or cell, exit code 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from warrantysim.atomic import write_atomic
from warrantysim.calibration import (
    AgeUnit,
    Censoring,
    DataFormat,
    LifeFitter,
    ModelKind,
    ReadOptions,
    fitter,
    read_field_data,
    recommend,
)
from warrantysim.calibration.fitted import fitted_scenario_text, summary_text
from warrantysim.calibration.fitting import IntervalMethod
from warrantysim.calibration.lifedata import LifeData
from warrantysim.commands import UsageError, positive_int
from warrantysim.scenario import Scenario, load_scenario

HELP = "fit a part's life to warranty data (Nevada chart, claims, life table) into a scenario"
AUTO = "auto"
INTERVALS: dict[str, IntervalMethod] = {"fisher": "fisher", "lr": "likelihood_ratio"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", type=Path, metavar="DATA", help="CSV or XLSX file")
    parser.add_argument("--part", required=True, help="the part (a name in the base scenario)")
    parser.add_argument(
        "--model", choices=[AUTO, *(k.value for k in ModelKind)], default=AUTO,
        help="the life model; auto = the one BIC recommends (default)",
    )  # fmt: skip
    parser.add_argument(
        "--format", dest="data_format", choices=[f.value for f in DataFormat],
        default=DataFormat.NEVADA.value, help="the layout of DATA (default nevada)",
    )  # fmt: skip
    parser.add_argument(
        "--censoring", choices=[c.value for c in Censoring], default=Censoring.EXACT.value,
        help="Nevada ages: exact (return k periods on = failure at age k; default) or interval",
    )  # fmt: skip
    parser.add_argument(
        "--shipments", type=Path,
        help="shipments table for --format claims: period,shipped (claims matched by sale month) "
        "or lot,period,shipped (matched by the claims' lot column)",
    )  # fmt: skip
    parser.add_argument("--sheet", help="worksheet of an XLSX file (default: the first)")
    parser.add_argument("--base", type=Path, default=Path("scenarios/baseline.yaml"))
    parser.add_argument(
        "--age-unit", choices=[u.value for u in AgeUnit], default=AgeUnit.MONTHS.value,
        help="unit of life-table ages and of integer Nevada periods (default months)",
    )  # fmt: skip
    parser.add_argument(
        "--warranty-months", type=float, help="default: the base scenario's warranty_months"
    )
    parser.add_argument(
        "--qty-per-unit", type=positive_int, help="default: the base scenario's qty_per_unit"
    )
    parser.add_argument(
        "--interval", choices=list(INTERVALS), default="fisher",
        help="the 95 %% intervals printed and written in the comment: fisher (Fisher matrix, "
        "default) or lr (likelihood ratio, profiling the likelihood; slower)",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, required=True, help="scenario YAML to write")


def run(args: argparse.Namespace) -> int:
    base = load_scenario(args.base)
    options = _read_options(args, base)
    data = read_field_data(args.data, DataFormat(args.data_format), options).life
    fit, reason = _fit(data, args.model)
    comment = "\n".join(
        [f"Data: {args.data} (--format {args.data_format}, --censoring {args.censoring}).",
         f"part {args.part}: " + summary_text(fit, reason, INTERVALS[args.interval])]
    )  # fmt: skip
    text = fitted_scenario_text(
        base=args.base, out=args.out, fitted_parts={args.part: fit}, comment=comment
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomic(args.out, write)
    load_scenario(args.out)  # what we wrote must load: fail here, not in the user's next run
    print(comment)
    print(f"-> {args.out}")
    return 0


def _read_options(args: argparse.Namespace, base: Scenario) -> ReadOptions:
    names = [p.name for p in base.parts]
    if args.part not in names:
        raise UsageError(f"--part: expected a part of {args.base} ({', '.join(names)}), "
                         f"got {args.part!r}")  # fmt: skip
    if args.warranty_months is not None and args.warranty_months <= 0:
        raise UsageError(f"--warranty-months: expected > 0, got {args.warranty_months:g}")
    return ReadOptions(
        part=args.part,
        qty_per_unit=args.qty_per_unit or base.part(args.part).qty_per_unit,
        warranty_months=args.warranty_months or base.product.warranty_months,
        age_unit=AgeUnit(args.age_unit),
        censoring=Censoring(args.censoring),
        sheet=args.sheet,
        shipments=args.shipments,
    )


def _fit(data: LifeData, model: str) -> tuple[LifeFitter, str | None]:
    if data.failures == 0:
        raise UsageError("no failures of the part in the data: nothing to fit a life to")
    if model != AUTO:
        return fitter(model).fit(data), None
    chosen = recommend(data)
    return chosen.best, chosen.reason
