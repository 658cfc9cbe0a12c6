"""Paired comparison with common random numbers, on the real model and a small scenario.

The small scenario (300 laptops a month for a year, 12-month warranty, 24-month horizon) runs
in about 0.1 s per replication.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from warrantysim import experiments as ex
from warrantysim.cli import main
from warrantysim.experiments.compare import paired_summary
from warrantysim.scenario import Scenario, load_scenario
from warrantysim.stats import paired_interval, welch_interval

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
SMALL = [
    "product.units_per_month=300",
    "product.sales_months=12",
    "product.warranty_months=12",
    "simulation.horizon_months=24",
]
SERIAL = {"executor": "serial", "progress": "quiet"}


def small(*extra: str) -> Scenario:
    return load_scenario(BASELINE, [*SMALL, *extra])


def test_common_random_numbers_narrow_the_interval_at_least_threefold() -> None:
    # Two policies that differ only in the SSD's stocking level see the same sales and the same
    # failures on the same days (DESIGN.md, "Randomness"), so lifetime profit moves together:
    # Var(Y − X) = Var X + Var Y − 2 Cov(X, Y) is far below Var X + Var Y (Law §11.2).
    base, other = small(), small("parts.ssd.stocking={policy: base_stock, level: 3}")
    result = ex.compare(base, [other], replications=12, seed=11, **SERIAL)
    table = result.kpis.pivot(index="replication", columns="scenario", values="lifetime_profit")
    x, y = table[result.scenarios[0]], table[result.scenarios[1]]
    paired, unpaired = paired_interval(x, y), welch_interval(x, y)
    assert paired.half_width > 0  # the stocking level does change profit
    assert unpaired.half_width >= 3 * paired.half_width
    row = result.summary.query("kpi == 'lifetime_profit'").iloc[1]
    assert row["difference_half_width"] == pytest.approx(paired.half_width)
    assert row["unpaired_half_width"] == pytest.approx(unpaired.half_width)


def test_every_scenario_gets_the_same_seed_per_replication() -> None:
    result = ex.compare(small(), [small()], replications=3, seed=5, **SERIAL)
    runs = result.kpis
    assert set(runs["seed"]) == {5}
    assert sorted(runs["replication"]) == [0, 0, 1, 1, 2, 2]
    # identical scenarios under CRN: every paired difference is exactly zero
    diffs = result.summary.query("scenario == @result.scenarios[1]")
    assert (diffs["difference_half_width"] == 0).all()
    assert (diffs["difference"] == 0).all()


def test_precision_adds_replications_until_the_target_is_met() -> None:
    base, other = small(), small("parts.ssd.stocking={policy: base_stock, level: 3}")
    # A half-width of 0.008 % of profit: 3 replications give about 0.014 %, so more are needed.
    result = ex.compare(base, [other], replications=3, seed=11, precision={"lifetime_profit": 8e-5},
                        max_replications=30, **SERIAL)  # fmt: skip
    (status,) = result.precision
    assert 3 < result.replications < 30
    base_mean = result.summary.query("kpi == 'lifetime_profit'")["mean"].iloc[0]
    assert status.met
    assert status.half_width <= 8e-5 * abs(base_mean)
    # the summary is that of all replications run, and equals a plain run of that many
    again = ex.compare(base, [other], replications=result.replications, seed=11, **SERIAL)
    pd.testing.assert_frame_equal(result.summary, again.summary, check_exact=True)


def test_precision_on_an_unknown_kpi_is_an_error() -> None:
    with pytest.raises(ValueError, match="not a KPI"):
        ex.compare(small(), [small()], replications=2, precision={"profit_typo": 0.1}, **SERIAL)


def test_paired_summary_of_a_hand_made_table() -> None:
    kpis = pd.DataFrame({
        "scenario": ["a", "b"] * 3, "replication": [0, 0, 1, 1, 2, 2],
        "profit": [10.0, 11.0, 12.0, 13.5, 9.0, 9.5],
    })  # fmt: skip
    summary = paired_summary(kpis, ["a", "b"]).set_index("scenario")
    # differences 1.0, 1.5, 0.5: mean 1.0, s = 0.5, t_{0.975,2} = 4.302653 → h = 1.242068
    assert summary.loc["b", "difference"] == pytest.approx(1.0)
    assert summary.loc["b", "difference_half_width"] == pytest.approx(1.242068, rel=1e-6)


def test_cli_compare_prints_paired_differences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sets = [arg for item in SMALL for arg in ("--set", item)]
    other = tmp_path / "other.yaml"
    other.write_text(f"extends: {BASELINE}\nname: fewer-ssd\n"
                     "parts: {ssd: {stocking: {policy: base_stock, level: 3}}}\n")  # fmt: skip
    out = tmp_path / "cmp"
    code = main(["compare", str(BASELINE), str(other), *sets, "--replications", "4",
                 "--executor", "serial", "--progress", "quiet", "--out", str(out),
                 "--kpis", "lifetime_profit,fill_rate"])  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0
    assert "4 replications per scenario" in printed
    assert "fewer-ssd" in printed
    assert "diff" in printed
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["scenario"]) == {"baseline", "fewer-ssd"}
    assert len(ex.load_results(out)) == 8


def test_cli_sweep_prints_each_point(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "sweep.yaml"
    spec.write_text(f"""
scenario: {BASELINE}
set: {{product.units_per_month: 300, product.sales_months: 12, product.warranty_months: 12,
       simulation.horizon_months: 24}}
replications: 2
parameters:
  parts.ssd.stocking.level: {{values: [1, 20]}}
kpis: [fill_rate]
""")  # fmt: skip
    code = main(["sweep", str(spec), "--executor", "serial", "--progress", "quiet"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "2 design points x 2 replications; 4 runs" in printed
    rows = [line.split() for line in printed.splitlines()[2:4]]
    assert [row[:2] for row in rows] == [["0", "1"], ["1", "20"]]
    # Shares print as percentages ("93.31% ± 1.20%"): more SSDs in stock, higher fill rate.
    assert float(rows[0][2].rstrip("%")) < float(rows[1][2].rstrip("%"))
