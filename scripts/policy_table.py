"""The brief's policies side by side, from one paired comparison: a summary on the terminal,
the full tables in a file and the policy report beside it.

    .venv/bin/python scripts/policy_table.py [--replications N] [--out DIR] [--set PATH=VALUE]
        [--lang en|zh] [--unit yuan|wan] [--pdf]

Every policy scenario runs against the status quo with common random numbers. The terminal gets
a summary that fits 120 columns: per policy the paired difference from the status quo in the NPV
of cash, year-1 profit and lifetime appraisal profit (95 % intervals), its peak spares book value
and fill rate. ``DIR/policy-table.md`` holds the full tables: each cell the policy's mean over
replications in million CNY (± its 95 % half-width) and, for the NPV of cash, cash tax and
lifetime appraisal profit, the paired difference from the status quo; a second table splits
absorb-cost-plus into its accounting effect (absorb-cost − status quo) and its price response
(absorb-cost-plus − absorb-cost). ``DIR/report.html`` and ``DIR/report.xlsx`` are the policy
report of the same runs (``warrantysim report``'s, with ``--pdf`` also ``DIR/report.pdf``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import pandas as pd

from warrantysim import experiments, load_scenario
from warrantysim.atomic import write_text_atomic
from warrantysim.experiments.options import RunOptions
from warrantysim.scenario import Scenario
from warrantysim.stats import paired_interval

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
BASE = "status-quo.yaml"
POLICIES = [
    "absorb-cost.yaml",
    "expense-on-purchase.yaml",
    "absorb-cost-plus.yaml",
    "age-writedown-cap.yaml",
    "cap-share.yaml",
    "supplier-chargeback.yaml",
    "salvage-refurbish.yaml",
    "quality-programme.yaml",
]
MILLION = 1e6
DIFFERENCE = ("difference", "difference_low", "difference_high")
COLUMNS = {  # KPI: (heading, divisor, decimals)
    "npv_cash": ("NPV of cash after tax", MILLION, 1),
    "lifetime_tax_paid": ("cash tax", MILLION, 1),
    "lifetime_vat_paid": ("VAT paid", MILLION, 1),
    "lifetime_taxes_and_surcharges": ("税金及附加", MILLION, 2),
    "lifetime_profit_after_tax": ("lifetime profit after tax", MILLION, 1),
    "effective_tax_rate": ("effective tax rate %", 0.01, 1),
    "peak_deferred_tax_asset": ("peak deferred tax asset", MILLION, 2),
    "first_year_profit": ("year-1 profit before tax", MILLION, 1),
    "first_year_performance_profit": ("year-1 appraisal profit", MILLION, 1),
    "lifetime_profit": ("lifetime profit before tax", MILLION, 1),
    "lifetime_performance_profit": ("lifetime appraisal profit", MILLION, 1),
    "lifetime_product_cost": ("product cost", MILLION, 1),
    "peak_spares_book_value": ("peak spares book value", MILLION, 2),
    "max_year_end_spares_book_value": ("max year-end book value", MILLION, 2),
    "lifetime_age_writedown": ("age write-down", MILLION, 2),
    "lifetime_cap_writedown": ("cap write-down", MILLION, 2),
    "lifetime_end_of_life_writeoff": ("end-of-life write-off", MILLION, 2),
    "lifetime_chargeback_income": ("chargeback income", MILLION, 2),
    "lifetime_salvage_income": ("salvage income", MILLION, 2),
    "lifetime_screening_cost": ("screening cost", MILLION, 2),
    "warranty_cost_share_of_revenue": ("warranty cost / revenue %", 0.01, 2),
    "fill_rate": ("fill rate %", 0.01, 1),
}
VERSUS = {  # KPI: heading of its paired difference from the status quo
    "npv_cash": "NPV of cash after tax vs status quo",
    "lifetime_tax_paid": "cash tax vs status quo",
    "lifetime_performance_profit": "lifetime appraisal profit vs status quo",
}
SPLIT = ("absorb-cost", "absorb-cost-plus")
SPLIT_KPIS = {
    "npv_cash": "NPV of cash after tax",
    "lifetime_tax_paid": "cash tax",
    "first_year_profit": "year-1 profit",
    "first_year_performance_profit": "year-1 appraisal profit",
    "lifetime_profit": "lifetime profit",
    "lifetime_performance_profit": "lifetime appraisal profit",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=_first_paragraph(__doc__ or ""))
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--out", type=Path, default=Path("results/policies"))
    parser.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                        help="override a value of every policy (repeatable)")  # fmt: skip
    parser.add_argument("--executor", default="processes", help="serial | processes | dask")
    parser.add_argument("--lang", choices=["en", "zh"], default="en")
    parser.add_argument("--unit", choices=["yuan", "wan"], default="wan")
    parser.add_argument("--pdf", action="store_true", help="also print the report as an A4 PDF")
    args = parser.parse_args()
    base = load_scenario(SCENARIOS / BASE, args.set)
    others = [load_scenario(SCENARIOS / n, args.set) for n in POLICIES] + [deeper_stock(args.set)]
    _clear_previous_table(args.out)
    options = RunOptions(executor=args.executor, out=args.out)
    result = experiments.compare(base, others, replications=args.replications, options=options)
    table_file = args.out / "policy-table.md"
    write_text_atomic(table_file, full_tables(result, base.simulation.seed))
    print(summary(result))
    print(f"\nfull table: {table_file}")
    files = write_policy_report(result, [base, *others], args)
    print("policy report: " + ", ".join(str(p) for p in files))
    print(f"every run: {args.out}/ (load with warrantysim.experiments.load_results)")


def _first_paragraph(doc: str) -> str:
    """The docstring's first paragraph as one line (its first line ends mid-sentence)."""
    return " ".join(doc.strip().split("\n\n")[0].split())


def full_tables(result: experiments.Comparison, seed: int) -> str:
    return "\n".join(
        [
            f"{result.replications} replications each, seed {seed}; "
            "amounts in million CNY, mean ± 95 % half-width\n",
            markdown(result.summary, result.scenarios),
            "\nabsorb-cost-plus = its accounting effect + its price response (paired "
            "differences, million CNY, 95 % interval)\n",
            price_response(result.kpis, result.scenarios[0]),
            "",
        ]
    )


SUMMARY = {  # KPI: heading (a paired difference from the status quo, million CNY)
    "npv_cash": "NPV of cash vs SQ",
    "first_year_profit": "year-1 profit vs SQ",
    "lifetime_performance_profit": "appraisal profit vs SQ",
}
SUMMARY_WIDTH = 120
"""The terminal the summary fits (a test holds it to this)."""


def summary(result: experiments.Comparison) -> str:
    """Per policy, one line: paired differences with intervals, peak book value, fill rate."""
    rows = result.summary.set_index(["scenario", "kpi"])
    name_width = max(len(s) for s in result.scenarios)
    heads = [*SUMMARY.values(), "peak book value", "fill rate"]
    lines = [
        f"{result.replications} replications each; million CNY; paired differences from the "
        "status quo (SQ) with 95 % intervals",
        _summary_row("policy", heads, name_width),
    ]
    for name in result.scenarios:
        diffs = [rows.loc[(name, k)] / MILLION for k in SUMMARY]
        cells = [_interval(*(d[k] for k in DIFFERENCE)) for d in diffs]
        cells.append(f"{rows.loc[(name, 'peak_spares_book_value'), 'mean'] / MILLION:,.2f}")
        cells.append(f"{100 * rows.loc[(name, 'fill_rate'), 'mean']:.1f} %")
        lines.append(_summary_row(name, cells, name_width))
    return "\n".join(lines)


def _summary_row(name: str, cells: list[str], name_width: int) -> str:
    widths = [23, 23, 23, 15, 9]
    return f"{name:<{name_width}}" + "".join(
        f" {c:>{w}}" for c, w in zip(cells, widths, strict=True)
    )


def write_policy_report(
    result: experiments.Comparison, scenarios: list[Scenario], args: argparse.Namespace
) -> list[Path]:
    """The report of these runs beside the table: HTML and Excel (and the PDF on request)."""
    from warrantysim.report import Labels, Lang, MoneyUnit, PolicyResults, write_report
    from warrantysim.report.policies import PolicyInfo

    infos = {s.name: PolicyInfo.from_scenario(s.model_dump(mode="json")) for s in scenarios}
    comparison = PolicyResults.from_experiment(result, infos=infos)
    files = write_report(
        comparison,
        args.out / "report.html",
        labels=Labels(Lang(args.lang), MoneyUnit(args.unit)),
        xlsx_path=args.out / "report.xlsx",
        pdf_path=args.out / "report.pdf" if args.pdf else None,
        progress=lambda line: print(f"report: {line}", file=sys.stderr, flush=True),
    )
    return [p for p in (files.html, files.xlsx, files.pdf) if p is not None]


def deeper_stock(overrides: list[str]) -> Scenario:
    """The status quo with every base-stock level 1.5 × deeper (the workbench's stocking lever):
    not a shipped scenario, but the brief's stocking question belongs in the table."""
    base = load_scenario(SCENARIOS / BASE, overrides)
    deeper = [
        f"parts.{p.name}.stocking.level_multiplier=1.5"
        for p in base.parts
        if p.stocking.policy == "base_stock"
    ]
    named = ["name=stocking-x1_5", "title_zh=备货加深 1.5 倍"]
    return load_scenario(SCENARIOS / BASE, overrides=[*overrides, *named, *deeper])


def _clear_previous_table(out: Path) -> None:
    """This script owns its folder: the table is recomputed from scratch every time, so runs
    made by an older version of the code (or of the scenarios) never reach it."""
    if (out / "manifest.json").exists():
        shutil.rmtree(out)
    elif out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} is not a policy-table folder; choose another with --out")


def markdown(summary: pd.DataFrame, scenarios: list[str]) -> str:
    rows = summary.set_index(["scenario", "kpi"])
    heads = ["policy"] + [COLUMNS[k][0] for k in COLUMNS] + list(VERSUS.values())
    lines = [_row(heads), "|" + "---|" * len(heads)]
    for name in scenarios:
        cells = [name] + [_cell(rows.loc[(name, kpi)], *COLUMNS[kpi][1:]) for kpi in COLUMNS]
        for kpi in VERSUS:
            diff = rows.loc[(name, kpi)] / MILLION
            cells.append(_interval(*(diff[k] for k in DIFFERENCE)))
        lines.append(_row(cells))
    return "\n".join(lines)


def price_response(kpis: pd.DataFrame, base: str) -> str:
    """absorb-cost-plus's difference from the status quo, split where the price comes in."""
    steps = {
        "accounting effect (absorb-cost − status quo)": (base, SPLIT[0]),
        "price response (absorb-cost-plus − absorb-cost)": SPLIT,
        "absorb-cost-plus − status quo": (base, SPLIT[1]),
    }
    lines = [_row(["", *SPLIT_KPIS.values()]), "|" + "---|" * (len(SPLIT_KPIS) + 1)]
    for label, (before, after) in steps.items():
        cells = [label]
        for kpi in SPLIT_KPIS:
            wide = kpis.pivot(index="replication", columns="scenario", values=kpi) / MILLION
            diff = paired_interval(wide[before], wide[after])
            cells.append(
                _interval(diff.mean, diff.mean - diff.half_width, diff.mean + diff.half_width)
            )
        lines.append(_row(cells))
    return "\n".join(lines)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _interval(mean: float, low: float, high: float) -> str:
    mean, low, high = (round(v, 1) + 0.0 for v in (mean, low, high))  # no "-0.0"
    return f"{mean:+,.1f} [{low:+,.1f}, {high:+,.1f}]"


def _cell(row: pd.Series, divisor: float, decimals: int) -> str:
    mean, half = row["mean"] / divisor, row["mean_half_width"] / divisor
    mean = round(mean, decimals) + 0.0  # no "-0.00" from rounding noise
    if abs(half) < 0.5 * 10**-decimals:
        return f"{mean:,.{decimals}f}"
    return f"{mean:,.{decimals}f} ± {half:,.{decimals}f}"


if __name__ == "__main__":
    main()
