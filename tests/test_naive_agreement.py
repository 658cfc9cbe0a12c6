"""The model against the naive reference of ``benchmarks/naive_reference.py``: on the fast path
(fixed times, unlimited repair capacity) and on the SimPy engine (a repair centre, random times).

The naive model is a plain SimPy model (one process per unit and part position, a Container's
FIFO queue for backorders) with its own random generators, so the two agree in distribution, not
draw by draw. For each part and statistic X (total claims, fill rate, mean month-end on hand and
backorders, mean wait for a technician) we run R replications of each model and require

    |mean_fast − mean_naive| ≤ 4 · sqrt(s²_fast / R + s²_naive / R)

(Welch's standard error of a difference of two independent means). With 2 scenarios × 4 parts
× 5 statistics the chance that an exact model fails somewhere is about 40 × 6.3e-5 ≈ 2.5e-3.

The naive model itself is held to renewal theory: given the units sold, its expected claims are
Σ_cohorts units × M(min(W, age at the horizon)) (``expected_monthly_claims``).
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from warrantysim.accounting.pricing import unit_price
from warrantysim.scenario import DAYS_PER_MONTH, Scenario
from warrantysim.sim.model import run_replication
from warrantysim.sim.renewal import expected_monthly_claims
from warrantysim.sim.stocking import StockPlan, plan_stock

REPLICATIONS = 24
SEED = 20261127
Z_LIMIT = 4.0


def _load_naive() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "naive_reference.py"
    spec = importlib.util.spec_from_file_location("naive_reference", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


naive = _load_naive()


def small_scenario() -> Scenario:
    """3,600 units over 12 months, 12-month warranty, four parts that exercise every mechanism.

    board: exponential, base stock, refurbishment, a last buy in month 18.
    fan: Weibull(2), two per unit, min_max with weekly review.
    ssd: Weibull(0.7) with early defects half caught by screening, reliability growth.
    battery: Weibull(1.5), ``level: auto``, whose S follows the fleet month by month.
    Levels run short (fill rates well below 1), so FCFS and the ordering rules matter.
    """
    return Scenario.model_validate(
        {
            "name": "agreement",
            "product": {
                "sales_months": 12,
                "units_per_month": 300,
                "unit_cost": 4000,
                "warranty_months": 12,
            },
            "pricing": {"price": 5000, "reference_price": 5000},
            "service": {"repair_days": 3},
            "quality": {"screening_coverage": 0.5, "reliability_growth_per_year": 0.2},
            "parts": [
                {
                    "name": "board",
                    "unit_cost": 900,
                    "life": {"shape": 1.0, "scale_months": 48},
                    "lead_time_days": 21,
                    "stocking": {"policy": "base_stock", "level": 32},
                    "refurbish": {"yield": 0.25, "days": 10},
                    "last_buy": {"month": 18, "service_level": 0.9},
                },
                {
                    "name": "fan",
                    "qty_per_unit": 2,
                    "unit_cost": 60,
                    "life": {"shape": 2.0, "scale_months": 30},
                    "lead_time_days": 14,
                    "stocking": {"policy": "min_max", "min": 15, "max": 45, "review_days": 7},
                },
                {
                    "name": "ssd",
                    "unit_cost": 250,
                    "life": {"shape": 0.7, "scale_months": 150},
                    "early_defects": {"share": 0.02, "shape": 0.6, "scale_months": 2},
                    "lead_time_days": 28,
                    "stocking": {"policy": "base_stock", "level": 25},
                },
                {
                    "name": "battery",
                    "unit_cost": 300,
                    "life": {"shape": 1.5, "scale_months": 40},
                    "lead_time_days": 30,
                    "stocking": {"policy": "base_stock", "level": "auto", "target_fill_rate": 0.7},
                },
            ],
        }
    )


def service_scenario() -> Scenario:
    """The same fleet served by 3 technicians (gamma repair times; at the peak, about 8 claims a
    day, utilisation 8 × 0.25 / 3 ≈ 0.67) with random lead times of every kind: the SimPy
    engine's case (orders may cross)."""
    raw = small_scenario().model_dump(mode="json", by_alias=True)
    raw["name"] = "agreement-service"
    raw["service"]["repair_centre"] = {
        "technicians": 3,
        "repair_days": {"dist": "gamma", "mean": 0.25, "cv": 0.8},
    }
    leads = [
        {"dist": "gamma", "mean": 21, "cv": 0.5},
        {"dist": "uniform", "low": 7, "high": 21},
        {"dist": "lognormal", "mean": 28, "cv": 0.4},
        {"dist": "exponential", "mean": 30},
    ]
    for part, lead in zip(raw["parts"], leads, strict=True):
        part["lead_time_days"] = lead
    return Scenario.model_validate(raw)


STATISTICS = ("claims", "fill_rate", "on_hand", "backorders", "technician_wait")


@dataclass(frozen=True)
class Runs:
    scenario: Scenario
    fast: NDArray[np.float64]
    """Shape (replications, parts, statistics), statistics in the order of STATISTICS."""
    naive: NDArray[np.float64]
    naive_units_sold: list[NDArray[np.int64]]
    naive_claims: list[NDArray[np.int64]]


def _fast_stats(scenario: Scenario, replication: int, price: float, plan: StockPlan) -> NDArray:
    log = run_replication(scenario, SEED, replication, price=price, plan=plan)
    rows = []
    for p in range(log.n_parts):
        mine = log.claims.part == p
        rows.append(
            [
                mine.sum(),
                log.claims.filled_from_stock[mine].mean(),
                log.on_hand_end[p, :-1].mean(),  # the last month-end follows end-of-life scrapping
                log.backorders_end[p, :-1].mean(),
                _before_the_end(log.claims, mine, log.horizon_day),
            ]
        )
    return np.array(rows, dtype=float)


def _naive_stats(counts: Any) -> NDArray:
    rows = [
        [
            counts.claims[p].sum(),
            counts.fill_rate(p),
            counts.on_hand_end[p, :-1].mean(),
            counts.backorders_end[p, :-1].mean(),
            counts.technician_wait_days[p, :-1].sum()
            / max(counts.repairs_started[p, :-1].sum(), 1),
        ]
        for p in range(len(counts.part_names))
    ]
    return np.array(rows, dtype=float)


def _before_the_end(claims: Any, mine: NDArray, horizon_day: float) -> float:
    """Mean technician wait of claims before the last month whose repair started before the
    horizon's end (the naive model stops there; the engine finishes the rest after it)."""
    early = mine & (claims.claim_day < horizon_day - DAYS_PER_MONTH)
    early &= claims.repair_start_day < horizon_day
    return float(claims.technician_wait_days[early].mean()) if early.any() else 0.0


@pytest.fixture(scope="module", params=["fast path", "SimPy service"])
def runs(request: pytest.FixtureRequest) -> Runs:
    scenario = small_scenario() if request.param == "fast path" else service_scenario()
    price = unit_price(scenario)
    plan = plan_stock(scenario, price)
    fast = np.stack([_fast_stats(scenario, r, price, plan) for r in range(REPLICATIONS)])
    counts = [
        naive.run_naive(scenario, SEED, r, price=price, plan=plan) for r in range(REPLICATIONS)
    ]
    return Runs(
        scenario,
        fast,
        np.stack([_naive_stats(c) for c in counts]),
        [c.units_sold for c in counts],
        [c.claims for c in counts],
    )


def _z_scores(a: NDArray, b: NDArray) -> NDArray:
    """(mean_a − mean_b) / Welch's standard error, per (part, statistic)."""
    se = np.sqrt(a.var(axis=0, ddof=1) / len(a) + b.var(axis=0, ddof=1) / len(b))
    gap = a.mean(axis=0) - b.mean(axis=0)
    return np.divide(gap, se, out=np.where(gap == 0, 0.0, np.inf), where=se > 0)


def test_the_scenario_exercises_shortage_and_plenty(runs: Runs) -> None:
    """A comparison of fill rates all at 1 (or 0) would prove nothing about the stock logic."""
    fill = runs.naive[:, :, 1].mean(axis=0)
    assert np.all(fill > 0.1), fill
    assert np.all(fill < 0.95), fill
    assert runs.naive[:, :, 3].mean() > 0.5


@pytest.mark.parametrize("statistic", STATISTICS)
def test_fast_and_naive_agree_in_distribution(runs: Runs, statistic: str) -> None:
    k = STATISTICS.index(statistic)
    fast, slow = runs.fast[:, :, k], runs.naive[:, :, k]
    z = _z_scores(fast, slow)
    assert np.all(np.abs(z) < Z_LIMIT), (
        f"{statistic}: fast {fast.mean(axis=0)}, naive {slow.mean(axis=0)}, z {z}"
    )


def test_naive_claims_follow_the_renewal_function(runs: Runs) -> None:
    """E[claims | units sold] = Σ_m units_m · M(min(W, H − t_m)), per part (renewal.py)."""
    gaps = []
    for units, claims in zip(runs.naive_units_sold, runs.naive_claims, strict=True):
        expected = expected_monthly_claims(runs.scenario, units.astype(float)).sum(axis=1)
        gaps.append(claims.sum(axis=1) - expected)
    gap = np.array(gaps)
    z = gap.mean(axis=0) / (gap.std(axis=0, ddof=1) / np.sqrt(len(gap)))
    assert np.all(np.abs(z) < Z_LIMIT), (gap.mean(axis=0), z)
