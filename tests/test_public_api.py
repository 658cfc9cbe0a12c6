"""The public API is what ``__all__`` says, no more (after httpx's test_exported_members)."""

from __future__ import annotations

from pathlib import Path

import pytest

import warrantysim


def test_exported_members() -> None:
    assert sorted(warrantysim.__all__) == [
        "ReplicationTables",
        "Results",
        "Scenario",
        "ScenarioError",
        "__version__",
        "load_scenario",
        "run_one",
        "simulate",
    ]
    for name in warrantysim.__all__:
        assert getattr(warrantysim, name) is not None


def test_simulate_tables_line_up(tmp_path) -> None:
    scenario = warrantysim.load_scenario(
        Path(__file__).resolve().parents[1] / "scenarios" / "baseline.yaml",
        ["simulation.horizon_months=8", "product.units_per_month=300", "product.sales_months=6"],
    )
    results = warrantysim.simulate(scenario, replications=2, seed=3)
    assert list(results.kpis["replication"]) == [0, 1]
    assert len(results.monthly) == 2 * 8
    monthly_columns = {"units_sold", "claims", "claims_filled_from_stock", "on_hand_end",
                       "backorders_end", "revenue", "profit", "spares_book_value_end"}  # fmt: skip
    assert monthly_columns <= set(results.monthly.columns)
    by_rep = results.monthly.groupby("replication")
    assert (by_rep["claims"].sum().to_numpy() == results.kpis["claims"].to_numpy()).all()
    assert (by_rep["units_sold"].sum().to_numpy() == results.kpis["units_sold"].to_numpy()).all()
    # Two replications: half-width = t(0.975, 1) · s / √2 = 12.706 · |x₁ − x₀| / 2.
    summary = results.summary()
    profits = results.kpis["lifetime_profit"].to_numpy()
    half = 12.7062047 * abs(profits[1] - profits[0]) / 2
    row = summary.loc["lifetime_profit"]
    assert row["mean"] == pytest.approx(profits.mean())
    assert row["ci_high"] - row["mean"] == pytest.approx(half, rel=1e-6)
    assert row["mean"] - row["ci_low"] == pytest.approx(half, rel=1e-6)


def test_every_command_has_working_help(capsys) -> None:
    # argparse %-formats help text; a stray "%" in any command's help used to crash --help.
    import pytest

    from warrantysim.cli import COMMANDS, main

    for name in ["", *[n for n, _ in COMMANDS]]:
        with pytest.raises(SystemExit) as exit_info:
            main([*([name] if name else []), "--help"])
        assert exit_info.value.code == 0
        assert "usage: warrantysim" in capsys.readouterr().out
