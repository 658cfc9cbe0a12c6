"""The calibration workflow end to end through the CLI: ``calibrate`` the shipped sample (a
Nevada chart the model generated with a planted battery early-defect problem), then ``run`` the
fitted scenario and ``compare`` it with the status quo; the fit must find the planted defect."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from warrantysim.cli import main
from warrantysim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "scenarios" / "data" / "nevada-battery.csv"
SMALL = ["product.units_per_month=300", "product.sales_months=6", "simulation.horizon_months=12"]


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("calibrate") / "fitted.yaml"
    base = ROOT / "scenarios" / "status-quo.yaml"
    code = main(["calibrate", str(SAMPLE), "--part", "battery", "--censoring", "interval",
                 "--base", str(base), "--out", str(out)])  # fmt: skip
    assert code == 0
    return out


def test_calibrate_writes_a_scenario_that_extends_the_base(fitted: Path):
    text = fitted.read_text(encoding="utf-8")
    assert text.startswith("# Written by warrantysim calibrate")
    assert "# why: mixture has the lowest BIC" in text
    assert "# intervals: 95 % Fisher-matrix (Wald on the log/logit scale)" in text
    raw = yaml.safe_load(text)
    assert (fitted.parent / raw["extends"]).resolve() == (ROOT / "scenarios" / "status-quo.yaml")
    battery = load_scenario(fitted).part("battery")
    # the planted truth: 1 % early defects Weibull(0.7, 3), life Weibull(2.5, 118); the 95 %
    # intervals printed in the comment cover it (checked by hand once, here to 4 se loosely)
    assert battery.early_defects is not None
    assert battery.early_defects.share == pytest.approx(0.01, abs=0.004)
    assert battery.life.shape == pytest.approx(2.5, abs=0.5)
    assert battery.life_uncertainty is not None
    assert len(battery.life_uncertainty.covariance) == 5
    untouched = load_scenario(ROOT / "scenarios" / "status-quo.yaml").part("ssd")
    assert load_scenario(fitted).part("ssd") == untouched


def test_fitted_scenario_runs_and_compares_with_the_status_quo(
    fitted: Path, tmp_path: Path, capsys
):
    sets = [arg for item in SMALL for arg in ("--set", item)]
    assert main(["run", str(fitted), *sets, "--replications", "2", "--out", str(tmp_path / "run"),
                 "--set", "simulation.parameter_uncertainty=true"]) == 0  # fmt: skip
    assert len(pd.read_parquet(tmp_path / "run" / "kpis.parquet")) == 2
    code = main(["compare", str(ROOT / "scenarios" / "status-quo.yaml"), str(fitted), *sets,
                 "--replications", "2", "--executor", "serial", "--progress", "quiet",
                 "--out", str(tmp_path / "cmp"), "--kpis", "claims,lifetime_profit"])  # fmt: skip
    assert code == 0
    summary = pd.read_csv(tmp_path / "cmp" / "summary.csv")
    assert set(summary["scenario"]) == {"status-quo", "fitted"}
    assert "fitted" in capsys.readouterr().out


@pytest.mark.slow
def test_calibrate_says_it_prints_likelihood_ratio_intervals(tmp_path: Path, capsys):
    """``--interval lr``: the comment and the printout name the likelihood-ratio intervals, and
    their bounds are the fit's profile bounds (not the Fisher ones)."""
    out = tmp_path / "lr.yaml"
    code = main(["calibrate", str(SAMPLE), "--part", "battery", "--censoring", "interval",
                 "--model", "weibull", "--interval", "lr", "--base",
                 str(ROOT / "scenarios" / "status-quo.yaml"), "--out", str(out)])  # fmt: skip
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert "# intervals: 95 % likelihood-ratio (profile likelihood)" in text
    assert "likelihood-ratio" in capsys.readouterr().out
    from warrantysim.calibration import Censoring, fitter
    from warrantysim.calibration.nevada import read_nevada, to_life_data

    base = load_scenario(ROOT / "scenarios" / "status-quo.yaml")
    data = to_life_data(
        read_nevada(SAMPLE), base.part("battery").qty_per_unit, base.product.warranty_months,
        Censoring.INTERVAL,
    )  # fmt: skip
    lr = fitter("weibull").fit(data).confidence_intervals(method="likelihood_ratio")
    row = next(line for line in text.splitlines() if line.startswith("# shape "))
    assert f"{lr.loc['shape', 'lower']:.5g}" in row
