"""Sobol and Morris machinery against known answers, and a Sobol study run from the CLI."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from warrantysim.cli import main
from warrantysim.experiments.sensitivity import (
    morris_indices,
    sobol_indices,
    sobol_matrix,
    sobol_warnings,
)
from warrantysim.experiments.spec import Parameter

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
ISHIGAMI = {f"x{i}": Parameter(range=(-math.pi, math.pi)) for i in (1, 2, 3)}


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """f = sin x1 + a sin² x2 + b x3⁴ sin x1 (Ishigami & Homma 1990)."""
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_ishigami_sobol_indices_within_salibs_tolerances() -> None:
    # Analytic indices (Saltelli et al. 2008, *Global Sensitivity Analysis: The Primer*):
    # S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244; S2(1,3) = 0.244. SALib's own regression
    # test (tests/test_regression.py) checks them at N = 10,000 with atol 0.05, rtol 0.1.
    matrix = sobol_matrix(ISHIGAMI, 8192, seed=1, second_order=True)
    assert matrix.shape == (8192 * (2 * 3 + 2), 3)
    indices = sobol_indices(ISHIGAMI, ishigami(matrix), seed=1, second_order=True)
    assert_allclose(indices["S1"], [0.31, 0.44, 0.00], atol=5e-2, rtol=1e-1)
    assert_allclose(indices["ST"], [0.55, 0.44, 0.24], atol=5e-2, rtol=1e-1)
    s2 = indices.set_index("parameter")
    assert_allclose([s2.loc["x1", "S2:x2"], s2.loc["x1", "S2:x3"], s2.loc["x2", "S2:x3"]],
                    [0.00, 0.25, 0.00], atol=5e-2, rtol=1e-1)  # fmt: skip
    assert (indices["S1_conf"] < 0.05).all()
    assert sobol_warnings(indices, 8192) == []


def test_too_small_a_sample_gets_a_plain_warning_with_a_better_n() -> None:
    matrix = sobol_matrix(ISHIGAMI, 16, seed=1)
    indices = sobol_indices(ISHIGAMI, ishigami(matrix), seed=1, kpi="f")
    (warning,) = sobol_warnings(indices, 16)
    assert warning.startswith("f: sample too small for trustworthy Sobol indices")
    better = int(warning.rsplit("try n: ", 1)[1].split()[0])
    assert better >= 64
    assert better & (better - 1) == 0


def test_negative_indices_are_flagged() -> None:
    columns = {"S1": [0.5, -0.2], "S1_conf": [0.01] * 2, "ST": [0.6, 0.05], "ST_conf": [0.01] * 2}
    indices = pd.DataFrame({"kpi": "k", "parameter": ["a", "b"], **columns})
    (warning,) = sobol_warnings(indices, 256)
    assert "below zero (-0.20)" in warning
    assert "try n: 1024" in warning


def test_morris_recovers_the_slopes_of_a_linear_model() -> None:
    # y = 3 a − 2 b + 0 c on [0, 1]³: every elementary effect of a is 3, of b −2, of c 0
    # (Morris 1991), so μ* = |slope| and σ = 0 exactly.
    from SALib.sample import morris as morris_sample

    parameters = {name: Parameter(range=(0.0, 1.0)) for name in "abc"}
    problem = {"num_vars": 3, "names": list("abc"), "bounds": [[0.0, 1.0]] * 3}
    matrix = morris_sample.sample(problem, 20, num_levels=4, seed=2)
    y = 3 * matrix[:, 0] - 2 * matrix[:, 1]
    indices = morris_indices(parameters, matrix, y, levels=4, seed=2)
    assert_allclose(indices["mu_star"], [3.0, 2.0, 0.0], atol=1e-9)
    assert_allclose(indices["mu"], [3.0, -2.0, 0.0], atol=1e-9)
    assert_allclose(indices["sigma"], [0.0, 0.0, 0.0], atol=1e-9)


def test_sobol_study_end_to_end_from_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "sobol.yaml"
    spec.write_text(f"""
kind: sensitivity
scenario: {BASELINE}
set: {{product.units_per_month: 300, product.sales_months: 12, product.warranty_months: 12,
       simulation.horizon_months: 24}}
method: sobol
n: 8
replications: 1
seed: 4
parameters:
  pricing.price: {{range: [5000, 6200]}}
  parts.ssd.stocking.level: {{range: [1, 10], integer: true}}
kpis: [lifetime_profit, fill_rate]
""", encoding="utf-8")  # fmt: skip
    out = tmp_path / "sobol"
    code = main(["sensitivity", str(spec), "--executor", "serial", "--progress", "quiet",
                 "--out", str(out)])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "sobol: 32 design points, 32 runs" in captured.out  # N (D + 2) = 8 × 4
    indices = pd.read_parquet(out / "indices.parquet")
    assert list(indices["parameter"]) == ["pricing.price", "parts.ssd.stocking.level"] * 2
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(indices.columns)
    # The price sets revenue; it must dominate lifetime profit's variance.
    profit = indices[indices["kpi"] == "lifetime_profit"].set_index("parameter")
    assert profit.loc["pricing.price", "ST"] > profit.loc["parts.ssd.stocking.level", "ST"]
    assert "warning: " in captured.err
    assert "try n: " in captured.err
