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
from warrantysim.commands.display import width
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
    assert re.search(r"^  供应商索赔\s+[\d,.]+ ± [\d,.]+\s+差\s+-?[\d,.]+ \[", text, re.M), text
    assert "diff" not in text
    assert re.search(r"^  现状\s+\d+\.\d\d% ± \d+\.\d\d%$", text, re.M), text
    assert "status-quo" not in text


def _sweep_spec(folder: Path, replications: int) -> Path:
    """A two-point price sweep of a small fleet over a year."""
    spec = folder / "sweep.yaml"
    spec.write_text(
        f"kind: sweep\nscenario: {SCENARIOS / 'baseline.yaml'}\ndesign: grid\n"
        f"replications: {replications}\n"
        "set: {product.units_per_month: 300, simulation.horizon_months: 12}\n"
        "parameters:\n  pricing.price: {values: [5000, 6000]}\n"
        "kpis: [lifetime_profit, fill_rate]\n",
        encoding="utf-8",
    )
    return spec


def test_sweep_prints_intervals_and_takes_replications(tmp_path, capsys) -> None:
    spec = _sweep_spec(tmp_path, replications=5)
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


def _english_words(text: str) -> list[str]:
    # Words a Chinese reader should not meet; "--max-replications" is an option, n/a no word.
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ("max", "replications")]


def test_run_and_sweep_speak_chinese_with_lang_zh(tmp_path, capsys) -> None:
    out = tmp_path / "run"
    argv = ["run", str(SCENARIOS / "status-quo.yaml"), *TINY, "--replications", "2"]
    assert main([*argv, "--seed", "2026", "--out", str(out), "--lang", "zh"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == f"status-quo: 2次重复,种子2026 -> {out}/"  # the scenario's key stays
    spec = _sweep_spec(tmp_path, replications=2)
    argv = ["sweep", str(spec), "--executor", "serial", "--progress", "quiet", "--lang", "zh"]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2个设计点 × 每点2次重复;共4次运行"
    table = lines[1:4]  # header and two points: right-aligned, so every line ends together
    assert table[0].startswith("设计点  pricing.price")  # parameters are the spec's paths
    assert "全周期利润" in table[0]
    assert "现货满足率" in table[0]
    assert len({width(line) for line in table}) == 1, table
    assert not _english_words(" ".join(lines[4:])), lines


def test_policy_table_help_gives_its_whole_first_paragraph() -> None:
    import subprocess
    import sys

    script = ROOT / "scripts" / "policy_table.py"
    done = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True, text=True, check=True
    )
    text = " ".join(done.stdout.split())
    assert (
        "a summary on the terminal, the full tables in a file and the policy report beside it."
        in text
    )
