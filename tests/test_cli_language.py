"""The command line speaks the report's language: ``--unit yuan|wan`` and ``--lang en|zh`` on
``run``, ``compare`` and ``sweep``; shares as percentages; intervals on sweep means;
``--replications`` on ``sweep`` and ``sensitivity``; ``report --help`` shows its defaults.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from warrantysim.cli import main
from warrantysim.report.i18n import Labels, Lang, MoneyUnit
from warrantysim.stats import mean_interval

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
TINY = ["--set", "product.units_per_month=300", "--set", "simulation.horizon_months=12"]


def test_run_prints_money_in_wan_and_shares_as_percentages(tmp_path, capsys) -> None:
    out = tmp_path / "run"
    argv = ["run", str(SCENARIOS / "status-quo.yaml"), *TINY, "--replications", "3"]
    assert main([*argv, "--out", str(out), "--lang", "zh", "--unit", "wan"]) == 0
    text = capsys.readouterr().out
    kpis = pd.read_parquet(out / "kpis.parquet")
    zh = Labels(Lang.ZH, MoneyUnit.WAN)
    npv = re.search(r"^现金流净现值\s+(\S+)\s+\[(\S+), (\S+)\]$", text, re.M)
    assert npv is not None, text
    interval = mean_interval(kpis["npv_cash"])  # x̄ ± t(0.975, 2)·s/√3
    assert npv.groups() == tuple(zh.amount(v) for v in (interval.mean, interval.low, interval.high))
    fill = re.search(r"^现货满足率\s+(\S+)", text, re.M)
    assert fill is not None
    assert fill.group(1) == f"{100 * kpis['fill_rate'].mean():.2f}%"
    assert "金额单位:万元" in text
    assert "npv_cash" not in text  # zh: labels, not keys


def test_compare_prints_names_from_title_zh_and_paired_differences_in_wan(capsys) -> None:
    argv = [
        "compare",
        str(SCENARIOS / "status-quo.yaml"),
        str(SCENARIOS / "supplier-chargeback.yaml"),
    ]
    argv += [*TINY, "--replications", "3", "--executor", "serial", "--progress", "quiet"]
    assert main([*argv, "--kpis", "npv_cash,fill_rate", "--lang", "zh", "--unit", "wan"]) == 0
    text = capsys.readouterr().out
    assert "基准:现状" in text
    assert re.search(r"^  供应商索赔\s+[\d,.]+ ± [\d,.]+\s+diff\s+-?[\d,.]+ \[", text, re.M), text
    assert re.search(r"^  现状\s+\d+\.\d\d% ± \d+\.\d\d%$", text, re.M), text
    assert "status-quo" not in text


def test_sweep_prints_intervals_and_takes_replications(tmp_path, capsys) -> None:
    spec = tmp_path / "sweep.yaml"
    spec.write_text(
        f"kind: sweep\nscenario: {SCENARIOS / 'baseline.yaml'}\ndesign: grid\nreplications: 5\n"
        "set: {product.units_per_month: 300, simulation.horizon_months: 12}\n"
        "parameters:\n  pricing.price: {values: [5000, 6000]}\n"
        "kpis: [lifetime_profit, fill_rate]\n",
        encoding="utf-8",
    )
    argv = ["sweep", str(spec), "--replications", "2", "--executor", "serial", "--unit", "wan"]
    assert main([*argv, "--progress", "quiet", "--out", str(tmp_path / "out")]) == 0
    text = capsys.readouterr().out
    assert "2 design points x 2 replications; 4 runs" in text  # --replications beat the spec's 5
    from warrantysim.experiments import load_results

    kpis = load_results(tmp_path / "out")  # the kpis table of every run
    first = kpis[kpis["point"] == 0]["lifetime_profit"]
    interval = mean_interval(first)
    wan = Labels(money_unit=MoneyUnit.WAN)
    assert f"{wan.amount(interval.mean)} ± {wan.amount(interval.half_width)}" in text
    assert re.search(r"\d+\.\d\d% ± \d+\.\d\d%", text)


def test_sensitivity_takes_replications(tmp_path, capsys) -> None:
    spec = tmp_path / "morris.yaml"
    spec.write_text(
        f"kind: sensitivity\nscenario: {SCENARIOS / 'baseline.yaml'}\nmethod: morris\n"
        "n: 2\nreplications: 1\nseed: 3\n"
        "set: {product.units_per_month: 200, simulation.horizon_months: 6}\n"
        "parameters:\n  pricing.price: {range: [5000, 6200]}\nkpis: [lifetime_profit]\n",
        encoding="utf-8",
    )
    argv = ["sensitivity", str(spec), "--replications", "2", "--executor", "serial"]
    assert main([*argv, "--progress", "quiet"]) == 0
    # Morris: n trajectories of D + 1 points = 4 points, each run 2 times (not the spec's 1).
    assert "morris: 4 design points, 8 runs" in capsys.readouterr().out


def test_report_help_shows_its_defaults(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for default in ("(default: report.html)", "default: en)", "default: yuan)"):
        assert default in text
