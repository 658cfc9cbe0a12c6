"""Simulate a scenario's replications and write the results.

Writes ``OUT/kpis.parquet`` (a row per replication), ``OUT/monthly.parquet`` (a row per
replication and month, all parts), ``OUT/parts.parquet`` (a row per replication, part and month:
claims, stock, waits, turnaround, technician utilisation), ``OUT/annual.parquet``,
``OUT/income_statement.parquet``, ``OUT/balance_sheet.parquet``, ``OUT/cash_flow.parquet`` (the
CAS statements, 利润表, 资产负债表, 现金流量表, by month and fiscal year,
:mod:`warrantysim.accounting.cas`),
``OUT/scenario.yaml`` (the resolved scenario, with the seed and replications used) and
``OUT/manifest.json`` (with each table's rows and SHA-256, which ``warrantysim verify`` and
``report`` check), each atomically (with ``--journal`` also ``OUT/journal.parquet``: every
posting of every replication, month, account, debit, credit and the event it books); then
prints the mean and 95 % confidence interval of a few KPIs across replications.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warrantysim import workload
from warrantysim.atomic import write_atomic, write_text_atomic
from warrantysim.commands import (
    add_scenario_arguments,
    load_from_args,
    make_dir,
    non_negative_int,
    positive_int,
)
from warrantysim.commands.display import add_language_arguments, labels_of
from warrantysim.commands.experiment_options import add_limit_arguments, limits
from warrantysim.headline import HEADLINE_KPIS
from warrantysim.scenario import dump_scenario, scenario_hash

if TYPE_CHECKING:
    import pandas as pd

    from warrantysim.report.i18n import Labels
    from warrantysim.scenario import Scenario

HELP = "simulate a scenario and write KPIs, monthly and annual tables as Parquet"
TABLES = ("kpis", "monthly", "annual", "parts")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_scenario_arguments(parser)
    parser.add_argument("--replications", type=positive_int, help="default: the scenario's")
    parser.add_argument("--seed", type=non_negative_int, help="default: the scenario's")
    parser.add_argument("--out", type=Path, help="output directory (default results/<name>/)")
    parser.add_argument(
        "--journal",
        action="store_true",
        help="also write journal.parquet: every posting (replication, month, account, debit, "
        "credit, event)",
    )
    parser.add_argument(
        "--nevada", type=Path, metavar="DIR",
        help="also write replication 0's claims as DIR/nevada-<part>.csv (calibrate's format)",
    )  # fmt: skip
    add_language_arguments(parser)
    add_limit_arguments(parser)


def run(args: argparse.Namespace) -> int:
    chosen = {k: getattr(args, k) for k in ("replications", "seed")}
    extra = [f"simulation.{k}={v}" for k, v in chosen.items() if v is not None]
    scenario = load_from_args(args.scenario, args, *extra)  # so scenario.yaml reproduces the run
    out = make_dir(args.out or Path("results") / scenario.name)  # fail before, not after, the work
    workload.check([scenario], scenario.simulation.replications, limits(args))
    from warrantysim.api import CAS_STATEMENTS, simulate  # heavy: imported only when simulating
    from warrantysim.experiments.integrity import records_of
    from warrantysim.finite import check_finite

    start = time.perf_counter()
    sim = scenario.simulation
    results = simulate(scenario, replications=sim.replications, seed=sim.seed, journal=args.journal)
    wall_seconds = time.perf_counter() - start
    check_finite({t: getattr(results, t) for t in TABLES}, f"{scenario.name}")
    written = (*TABLES, *CAS_STATEMENTS, *(("journal",) if args.journal else ()))
    files = {f"{table}.parquet": out / f"{table}.parquet" for table in written}
    for table in written:
        _write_parquet(files[f"{table}.parquet"], getattr(results, table))
    write_text_atomic(out / "scenario.yaml", dump_scenario(scenario))
    record = {**manifest(scenario, args, wall_seconds), "files": records_of(files)}
    write_text_atomic(out / "manifest.json", json.dumps(record, indent=2))  # last: vouches for all
    said = labels_of(args)("run_head").format(n=sim.replications, seed=sim.seed)
    print(f"{scenario.name}: {said} -> {out}/")
    if args.nevada is not None:
        _write_nevada(args.nevada, scenario)
    print(summary_table(results.kpis, labels_of(args)))
    return 0


def _write_nevada(directory: Path, scenario: Scenario) -> None:
    from warrantysim.api import prepare
    from warrantysim.calibration.export import write_simulated_nevada

    price, seed = prepare(scenario).price, scenario.simulation.seed
    paths = write_simulated_nevada(directory, scenario, price, seed)
    print(f"Nevada charts of replication 0: {len(paths)} parts -> {directory}/")


def _write_parquet(path: Path, frame: pd.DataFrame) -> None:
    def write(tmp: Path) -> None:
        frame.to_parquet(tmp, index=False)

    write_atomic(path, write)


def manifest(scenario: Scenario, args: argparse.Namespace, wall_seconds: float) -> dict[str, Any]:
    from warrantysim import __version__

    return {
        "package": "warrantysim",
        "version": __version__,
        "scenario": scenario.name,
        "scenario_file": str(args.scenario),
        "overrides": list(args.set),
        "seed": scenario.simulation.seed,
        "replications": scenario.simulation.replications,
        "scenario_hash": scenario_hash(scenario),
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "wall_seconds": round(wall_seconds, 3),
        "python": platform.python_version(),
    }


def summary_table(kpis: pd.DataFrame, labels: Labels | None = None) -> str:
    """Mean and Student-t 95 % interval across replications (a row per replication), money in
    ``labels``' unit and shares as percentages."""
    from warrantysim.commands.display import kpi_name, pad, units_note, value, width
    from warrantysim.report.cells import shown_bounds
    from warrantysim.report.i18n import Labels
    from warrantysim.stats import summary_table

    labels = labels or Labels()
    columns = _summary_columns(kpis)
    summary = summary_table(kpis[columns].astype(float))
    names = {c: kpi_name(c, labels) for c in columns}
    name_width = max([width(n) for n in names.values()] + [3])
    head = pad(labels("kpi"), name_width)
    lines = [f"{head}  {pad(labels('mean'), 16, right=True)}  {pad(labels('ci'), 35, right=True)}"]
    for column, row in summary.iterrows():
        kpi = str(column)
        low, high = (
            value(b, kpi, labels) for b in shown_bounds(row["ci_low"], row["ci_high"], kpi)
        )
        ci = labels("one_replication") if len(kpis) < 2 else f"[{low}, {high}]"
        lines.append(
            f"{pad(names[kpi], name_width)}  {value(row['mean'], kpi, labels):>16}  {ci:>35}"
        )
    return "\n".join([*lines, units_note(labels)])


def _summary_columns(kpis: pd.DataFrame) -> list[str]:
    numeric = [c for c in kpis.select_dtypes("number").columns if c not in ("replication", "seed")]
    chosen = [c for c in ("claims", "claims_per_unit", *HEADLINE_KPIS) if c in numeric]
    return chosen or numeric[:8]
