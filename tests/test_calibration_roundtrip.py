"""Round trip: lives simulated from known parameters (the real failure model, renewals included),
exported as Nevada charts, read back and fitted give 95 % intervals that cover the truth.

The issue asks for ≥ 90 % coverage in 50 seeded repetitions. If the intervals were exact, the
number covering in one block of 50 would be Binomial(50, 0.95), below 45 with probability ≈ 0.04
per parameter, so with five parameters one block of 50 fails a correct method about one time in
five, and a block that passes could have been picked for passing. The test therefore runs five
blocks of 50 with the seeds fixed in advance (0..249, no choice made) and applies the bar to all
250: exact 95 % intervals fall below 90 % there with probability ≈ 1e-4 (90 % is 3.6 binomial
standard errors, √(0.95·0.05/250) = 1.4 %, under 95 %). Each block's count is printed
(``pytest -s``) and kept in the assertion message. Fleets are small (1000 units a month) so the
500 fits stay fast; the charts use the ``interval`` censoring, the model the simulator's uniform
sale days make exact.

The Nevada convention counts a replacement's failure as one more failed position (it cannot
tell them apart); with renewals the simulator makes, that biases the fit by about F(W)·F(W/2) of
the returns, so the single Weibull is drawn with F(W) ≈ 4 % (typical of warranty data), where
the bias is a tenth of a standard error.
"""

from __future__ import annotations

import numpy as np
import pytest

from factories import part, scenario
from warrantysim.calibration import Censoring, fitter, read_nevada
from warrantysim.calibration.export import simulated_nevada
from warrantysim.calibration.nevada import to_life_data, write_nevada
from warrantysim.cli import main

BLOCK, BLOCKS = 50, 5
REPETITIONS = BLOCK * BLOCKS
"""Seeds 0..249: five blocks of the issue's 50."""
PRICE = 5600.0
WARRANTY = 24


def _scenario(**fields: object) -> object:
    return scenario(
        [part(**fields)],
        product={"sales_months": 18, "units_per_month": 1000, "warranty_months": WARRANTY},
        simulation={"horizon_months": 30, "replications": 1, "seed": 1},
    )


def _coverage(world: object, kind: str, truth: dict[str, float]) -> dict[str, list[int]]:
    """Per parameter, how many of each block's 50 fits have a 95 % interval covering it."""
    covered = {name: [0] * BLOCKS for name in truth}
    for seed in range(REPETITIONS):
        chart = simulated_nevada(world, PRICE, seed)["ssd"]
        data = to_life_data(chart, 1, WARRANTY, Censoring.INTERVAL)
        bounds = fitter(kind).fit(data).confidence_intervals()
        for name, value in truth.items():
            inside = bounds.loc[name, "lower"] <= value <= bounds.loc[name, "upper"]
            covered[name][seed // BLOCK] += int(inside)
    print(f"{kind}: covered per block of {BLOCK} (seeds 0..{REPETITIONS - 1}): {covered}")
    return covered


def _assert_covers(covered: dict[str, list[int]]) -> None:
    for name, blocks in covered.items():
        assert sum(blocks) >= 0.9 * REPETITIONS, (name, covered)


@pytest.mark.slow
def test_single_weibull_intervals_cover_the_truth():
    truth = {"shape": 1.5, "scale_months": 200.0}
    _assert_covers(_coverage(_scenario(life=truth), "weibull", truth))


@pytest.mark.slow
def test_early_defect_subpopulation_intervals_cover_the_truth():
    """A 5 % defective share with Weibull(0.8, 4) first lives; the main life (η = 10⁶ months) does
    not fail in the window, so the defective-subpopulation model is the true one."""
    early = {"share": 0.05, "shape": 0.8, "scale_months": 4.0}
    world = _scenario(life={"shape": 1.0, "scale_months": 1e6}, early_defects=early)
    _assert_covers(_coverage(world, "defective", early))


def test_exported_chart_reads_back_cell_for_cell(tmp_path):
    world = _scenario(life={"shape": 1.5, "scale_months": 80.0})
    chart = simulated_nevada(world, PRICE, seed=3)["ssd"]
    back = read_nevada(write_nevada(chart, tmp_path / "ssd.csv"))
    np.testing.assert_array_equal(back.returns, chart.returns)
    np.testing.assert_array_equal(back.shipped, chart.shipped)
    np.testing.assert_array_equal(back.ship_period, chart.ship_period)


@pytest.mark.parametrize("replications", [1])
def test_run_exports_every_claim_of_replication_zero(tmp_path, replications):
    """Σ over the exported charts = the run's claims of replication 0 (a claim is a return)."""
    import pandas as pd

    world = tmp_path / "world.yaml"
    world.write_text(_scenario(life={"shape": 1.5, "scale_months": 80.0}).model_dump_json())
    out, charts = tmp_path / "out", tmp_path / "nevada"
    code = main(["run", str(world), "--replications", str(replications), "--out", str(out),
                 "--nevada", str(charts)])  # fmt: skip
    assert code == 0
    kpis = pd.read_parquet(out / "kpis.parquet")
    exported = read_nevada(charts / "nevada-ssd.csv")
    assert exported.returns.sum() == kpis.loc[0, "claims"]
    assert exported.returns.sum() > 0
