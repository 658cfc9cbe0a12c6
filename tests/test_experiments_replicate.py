"""``experiments.replicate`` on local processes gives exactly ``api.simulate``'s numbers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from warrantysim import experiments as ex
from warrantysim.api import simulate
from warrantysim.scenario import load_scenario, scenario_hash

ROOT = Path(__file__).resolve().parents[1]
SMALL = [
    "product.units_per_month=300",
    "product.sales_months=12",
    "product.warranty_months=12",
    "simulation.horizon_months=24",
]


def test_replicate_on_processes_equals_simulate() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml", SMALL)
    direct = simulate(scenario, replications=4, seed=8)
    spread = ex.replicate(scenario, 4, seed=8, executor="processes", workers=2, chunk_runs=1,
                          progress="quiet")  # fmt: skip
    for table in ("kpis", "monthly", "annual"):
        expected = getattr(direct, table)
        got = getattr(spread, table)[list(expected.columns)]
        pd.testing.assert_frame_equal(got, expected, check_exact=True, check_dtype=False)
    assert set(spread.kpis["scenario_hash"]) == {scenario_hash(scenario)}
