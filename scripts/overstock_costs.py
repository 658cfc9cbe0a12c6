"""Where stocking 1.5 × deeper puts its spares' cost, under an age write-down and no cap.

    .venv/bin/python scripts/overstock_costs.py [--replications 30]

age-writedown-cap.yaml with its cap switched off, against the same with every base-stock level
× 1.5, paired by replication (common random numbers, seed 2026). Prints the paired mean ± its
standard error of each lifetime line (CNY) and the extra spares bought and left at the end by
part: the figures quoted in tests/test_accounting_appraisal.py.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from warrantysim.accounting import account
from warrantysim.accounting.pricing import unit_price
from warrantysim.scenario import Scenario, load_scenario
from warrantysim.sim.eventlog import EventLog, ScrapReason
from warrantysim.sim.model import run_replication
from warrantysim.stats import mean_interval

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "age-writedown-cap.yaml"
LINES = ["performance_profit", "profit", "spare_parts_cost", "age_writedown",
         "age_writedown_carried_out", "end_of_life_writeoff", "salvage_income",
         "late_penalties", "taxes_and_surcharges", "interest_expense"]  # fmt: skip


def scenarios() -> tuple[Scenario, Scenario]:
    off = ["accounting.book_value_cap.absolute=null"]
    base = load_scenario(SCENARIO, overrides=off)
    deep = [f"parts.{p.name}.stocking.level_multiplier=1.5" for p in base.parts
            if p.stocking.policy == "base_stock"]  # fmt: skip
    return base, load_scenario(SCENARIO, overrides=[*off, *deep])


def lifetime(scenario: Scenario, replication: int) -> tuple[dict[str, float], EventLog]:
    price = unit_price(scenario)
    log = run_replication(scenario, 2026, replication, price=price)
    monthly = account(log, scenario, price).monthly
    return {line: float(monthly[line].sum()) for line in LINES}, log


def leftover_units(log: EventLog) -> np.ndarray:
    at_end = log.scrap.reason == ScrapReason.END_OF_HORIZON
    return np.bincount(log.scrap.part[at_end], weights=log.scrap.qty[at_end], minlength=log.n_parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=30)
    args = parser.parse_args()
    base, deeper = scenarios()
    gaps: dict[str, list[float]] = {line: [] for line in LINES}
    extra_left = np.zeros(len(base.parts))
    for r in range(args.replications):
        (a, log_a), (b, log_b) = lifetime(base, r), lifetime(deeper, r)
        for line in LINES:
            gaps[line].append(b[line] - a[line])
        extra_left += leftover_units(log_b) - leftover_units(log_a)
    print(f"deeper − base, {args.replications} paired replications (CNY; mean ± standard error)")
    for line, values in gaps.items():
        se = np.std(values, ddof=1) / np.sqrt(len(values))
        print(f"  {line:28} {np.mean(values):>12,.0f} ± {se:,.0f}")
    interval = mean_interval(gaps["performance_profit"])
    print(f"  lifetime appraisal profit 95 % interval [{interval.low:,.0f}, {interval.high:,.0f}]")
    names = [p.name for p in base.parts]
    mean_left = extra_left / args.replications
    print("  extra spares left at the end, a replication:",
          {n: round(float(x), 1) for n, x in zip(names, mean_left, strict=True) if x})  # fmt: skip


if __name__ == "__main__":
    main()
