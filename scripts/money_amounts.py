"""The honest-money amounts on the shipped scenarios: appraisal profit, the provision's reviews,
the price, months of claims. One replication each (seed 2026), in million CNY.

    .venv/bin/python scripts/money_amounts.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from warrantysim.accounting import account, accrual_per_unit
from warrantysim.accounting.pricing import expected_warranty_cost_per_unit, unit_price
from warrantysim.scenario import Scenario, load_scenario
from warrantysim.sim.eventlog import EventLog
from warrantysim.sim.model import run_replication

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
M = 1e6


def _load(name: str, *overrides: str) -> Scenario:
    return load_scenario(SCENARIOS / name, overrides=list(overrides))


def _books(sc: Scenario, log: EventLog) -> pd.DataFrame:
    return account(log, sc, unit_price(sc)).annual


def appraisal(log: EventLog) -> None:
    print("appraisal profit − profit by fiscal year (million CNY)")
    for name in ("status-quo.yaml", "age-writedown-cap.yaml", "cap-share.yaml"):
        a = _books(_load(name), log)
        gap = (a["performance_profit"] - a["profit"]) / M
        cap = a["cap_writedown"] / M
        print(f"  {name:24} gap {gap.round(2).tolist()}  cap write-down {cap.round(2).tolist()}")
    sq = _books(_load("status-quo.yaml"), log)
    for name in ("age-writedown-cap.yaml", "cap-share.yaml"):
        a = _books(_load(name), log)
        for line in ("profit", "performance_profit"):
            by_year = ((a[line] - sq[line]) / M).round(2).tolist()
            print(f"  {name:24} − status quo, {line} by year {by_year}")


def provision(log: EventLog) -> None:
    base = _load("absorb-cost.yaml")
    expected = accrual_per_unit(base)
    print(f"provision (absorb-cost; expected cost {expected:.2f} CNY a unit)")
    for label, extra in {
        "auto": (),
        "50 %": (f"accounting.accrual_per_unit={0.5 * expected}",),
        "150 %": (f"accounting.accrual_per_unit={1.5 * expected}",),
        "auto + 36-month write-down": ("accounting.age_writedown_months=36",),
    }.items():
        sc = _load("absorb-cost.yaml", *extra)
        books = account(log, sc, unit_price(sc))
        m, a = books.monthly, books.annual
        print(
            f"  {label:28} min month-end {m['warranty_provision_end'].min() / M:.3f}; "
            f"release by year {(a['provision_release'] / M).round(2).tolist()}; "
            f"accrual + top-ups by year {(a['warranty_accrual'] / M).round(2).tolist()}; "
            f"months of claims {books.kpis['provision_months_of_claims']:.1f}"
        )


def price() -> None:
    sc = _load("absorb-cost-plus.yaml")
    cost = sc.product.unit_cost + expected_warranty_cost_per_unit(sc)
    e = sc.pricing.demand_elasticity
    print(
        f"absorb-cost-plus price {unit_price(sc):,.2f} = {cost:,.2f} × (1 + {sc.pricing.markup}); "
        f"Lerner for that cost {cost * e / (e - 1):,.2f} (e = {e})"
    )


def main() -> None:
    status_quo = _load("status-quo.yaml")
    log = run_replication(status_quo, 2026, 0, price=unit_price(status_quo))
    appraisal(log)
    provision(log)
    price()


if __name__ == "__main__":
    main()
