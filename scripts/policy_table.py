"""The brief's policies side by side: one Markdown table from one paired comparison.

    .venv/bin/python scripts/policy_table.py [--replications N] [--out DIR]

Every policy scenario runs against the status quo with common random numbers; each cell is the
policy's mean over replications in million CNY (± its 95 % half-width), and for the NPV of cash
and lifetime appraisal profit the paired difference from the status quo. A second table splits
absorb-cost-plus into its accounting effect (absorb-cost − status quo) and its price response
(absorb-cost-plus − absorb-cost), each paired by replication.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pandas as pd

from warrantysim import experiments, load_scenario
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--out", type=Path, default=Path("results/policies"))
    args = parser.parse_args()
    base = load_scenario(SCENARIOS / BASE)
    others = [load_scenario(SCENARIOS / name) for name in POLICIES] + [deeper_stock(base)]
    _clear_previous_table(args.out)
    result = experiments.compare(base, others, replications=args.replications, out=args.out)
    print(f"{result.replications} replications each, seed {base.simulation.seed}; "
          "amounts in million CNY, mean ± 95 % half-width\n")  # fmt: skip
    print(markdown(result.summary, result.scenarios))
    print("\nabsorb-cost-plus = its accounting effect + its price response (paired differences, "
          "million CNY, 95 % interval)\n")  # fmt: skip
    print(price_response(result.kpis, result.scenarios[0]))


def deeper_stock(base: Scenario) -> Scenario:
    """The status quo with every base-stock level 1.5 × deeper (the workbench's stocking lever):
    not a shipped scenario, but the brief's stocking question belongs in the table."""
    deeper = [
        f"parts.{p.name}.stocking.level_multiplier=1.5"
        for p in base.parts
        if p.stocking.policy == "base_stock"
    ]
    return load_scenario(SCENARIOS / BASE, overrides=["name=stocking-x1_5", *deeper])


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
