"""Hostile and unlucky input (issue 14): every case is one line and exit code 2, or a run whose
numbers are finite and in range; nothing eats the machine.

Items: 2 (numbers that wrapped around or overflowed to inf), 3 (work that cannot finish: it is
estimated and refused first), 4 (tracebacks where a line is due), 9 (misleading messages). The
Hypothesis test at the end throws random values at random paths of a scenario.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from factories import Writer
from test_bad_input import GOOD, Case, _check_one_line, _edit
from warrantysim.cli import main
from warrantysim.finite import check_finite

LAUGHS = "".join(
    f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else ', '.join(['1'] * 9)}]\n"
    for i in range(9)
)
MAX_RSS_BYTES = 1.5e9
"""Peak memory any refused case may take (Python with pandas and the model loaded is ~0.3 GB)."""

CASES = {
    # 2: integers beyond their array type, amounts that overflowed
    "level 2^63-1": Case(
        {"bad.yaml": _edit("level: 5", "level: 9223372036854775807")},
        ("parts.ssd.stocking.level:", "expected a whole number <= 10000000 or 'auto'"),
    ),
    "level 1e19": Case(
        {"bad.yaml": _edit("level: 5", "level: 1e19")},
        ("parts.ssd.stocking.level:", "expected a whole number", "or 'auto', got 1e+19"),
    ),
    "unit cost 1e308": Case(
        {"bad.yaml": _edit("unit_cost: 260", "unit_cost: 1e308")},
        ("parts.ssd.unit_cost:", "expected a number from 0 to 1000000000, got 1e+308"),
        command="run",
    ),
    "price 1e308": Case(
        {"bad.yaml": _edit("price: 5600,", "price: 1.0e+308,")},
        ("pricing.price:", "expected a number from 0.01 to 1000000000, got 1e+308"),
        command="run",
    ),
    "markup 1e308": Case(
        {"bad.yaml": _edit("reference_price: 5600}", "reference_price: 5600, markup: 1e308}")},
        ("pricing.markup:", "expected a number <= 100 and > -1, got 1e+308"),
        command="run",
    ),
    "seed 2^64": Case(
        {"bad.yaml": GOOD},
        ("simulation.seed:", "9223372036854775807"),
        args=("--set", "simulation.seed=18446744073709551616"),
    ),
    # 3: work that cannot finish
    "scale 1e-9": Case(
        {"bad.yaml": _edit("scale_months: 2000", "scale_months: 1e-9")},
        (
            "a run of 'tiny': about 2.84e+12 claims,",
            "GB of memory; the limit is 4 GB (--max-memory-gb)",
        ),
        command="run",
    ),
    "horizon 1e6": Case(
        {"bad.yaml": GOOD},
        ("simulation.horizon_months:", "expected a whole number from 1 to 1200"),
        args=("--set", "simulation.horizon_months=1000000"),
        command="run",
    ),
    "replications 1e7": Case(
        {"bad.yaml": GOOD},
        ("simulation.replications:", "expected a whole number from 1 to 1000000"),
        args=("--replications", "10000000"),
        command="run",
    ),
    "a million replications": Case(
        {"bad.yaml": _edit("units_per_month: 100", "units_per_month: 1000000")},
        (
            "1,000,000 runs of 1 scenario(s): about 8.98e+10 claims, 250 hours",
            "limit is 24 hours (--max-hours)",
        ),
        args=("--replications", "1000000"),
        command="run",
    ),
    "billion laughs": Case(
        {"bad.yaml": GOOD + LAUGHS},
        ("bad.yaml: line", "expands to more than 100,000 values (aliases)"),
    ),
    "/dev/zero": Case({}, ("/dev/zero: is a device or socket",), target="/dev/zero"),
    "a huge file": Case(
        {"bad.yaml": GOOD + "#" * 1_000_001}, ("bad.yaml: larger than 1,000,000 bytes",)
    ),
    # 4: tracebacks before
    "superscript index in --set": Case(
        {"bad.yaml": GOOD},
        ("bad.yaml --set: parts.²:", "no item named '²'"),
        args=("--set", "parts.².unit_cost=1"),
    ),
    "self-referencing alias in --set": Case(
        {"bad.yaml": GOOD},
        ("bad.yaml --set: x:", "an alias refers to the value it is part of"),
        args=("--set", "x=&a [*a]"),
    ),
    "5000 nested lists": Case(
        {"bad.yaml": GOOD + "x: " + "[" * 5000 + "]" * 5000 + "\n"},
        ("bad.yaml:", "nested deeper than 64 levels"),
    ),
    "extends chain 1100 deep": Case(
        {f"e{i}.yaml": f"extends: e{i + 1}.yaml\n" for i in range(1100)} | {"e1100.yaml": GOOD},
        ("e31.yaml: extends:", "more than 32 files in the chain"),
        target="e0.yaml",
    ),
    "extends of a file that is not a scenario": Case(
        {"secret.txt": "s3cret-password\n", "bad.yaml": "extends: secret.txt\nname: x\n"},
        ("secret.txt:", "expected a mapping of scenario fields, got text"),
    ),
    # 9: messages
    "level 1e30 names the whole number it needs": Case(
        {"bad.yaml": _edit("level: 5", "level: 1e30")},
        ("parts.ssd.stocking.level:", "expected a whole number", "or 'auto', got 1e+30"),
    ),
    "an unquoted supplier no": Case(
        {"bad.yaml": GOOD.replace("diskco", "no")},
        ("parts.ssd.supplier: expected text, got false", "booleans: quote it"),
    ),
    "--set switching the stocking policy is blamed": Case(
        {"bad.yaml": GOOD},
        ("bad.yaml --set: parts.ssd.stocking.min: required field missing (and 2 more",),
        args=("--set", "parts.ssd.stocking.policy=min_max"),
        command="run",
    ),
}
IN_A_SUBPROCESS = ("billion laughs", "scale 1e-9", "5000 nested lists", "/dev/zero", "level 1e19")


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_hostile_input_is_one_line_and_exit_code_2(
    case: Case, tmp_path: Path, write: Writer, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    for name, content in case.files.items():
        write(name, content)
    monkeypatch.chdir(tmp_path)
    try:
        status = main([case.command, case.target, *case.args])
    except SystemExit as stop:
        status = int(stop.code or 0)
    out = capsys.readouterr()
    _check_one_line(case, status, out.out, out.err)
    assert "s3cret" not in out.err


@pytest.mark.parametrize("name", IN_A_SUBPROCESS)
def test_hostile_input_in_a_process_stays_small(name: str, tmp_path: Path, write: Writer) -> None:
    case = CASES[name]
    for file_name, content in case.files.items():
        write(file_name, content)
    done = subprocess.run([sys.executable, "-m", "warrantysim.cli", case.command, case.target,
                           *case.args], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300, check=False)  # fmt: skip
    _check_one_line(case, done.returncode, done.stdout, done.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # Linux: kilobytes
    assert peak < MAX_RSS_BYTES, f"{peak / 1e9:.2f} GB"


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")  # opening it for reading would wait for a writer
    done = subprocess.run([sys.executable, "-m", "warrantysim.cli", "validate", "pipe.yaml"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2
    assert "pipe.yaml: is a FIFO, not a regular file" in done.stderr


def test_a_full_disk_is_one_line(tmp_path: Path) -> None:
    """A file-size limit makes writes fail as a full disk does: an OSError with no file name."""
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write, do not kill the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = subprocess.run(
        [sys.executable, "-m", "warrantysim.cli", "run", "good.yaml", "--replications", "2",
         "--out", "out"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
        preexec_fn=small_files,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("warrantysim run: error: ")
    assert "File too large" in done.stderr


def test_values_at_every_upper_bound_give_finite_numbers(tmp_path: Path) -> None:
    """The bounds are tight enough: the largest amounts and rates still give finite results."""
    from warrantysim.api import simulate
    from warrantysim.scenario import load_scenario

    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    extreme = {
        "pricing.policy": "cost_plus", "pricing.price": 1e9, "pricing.markup": 100,
        "pricing.reference_price": 0.01, "product.unit_cost": 1e9, "parts.ssd.unit_cost": 1e9,
        "parts.fan.unit_cost": 1e9, "service.late_penalty_per_day": 1e9,
        "service.labour_cost_per_repair": 1e9, "accounting.discount_rate": 100,
        "suppliers.diskco.price_uplift": 100, "product.growth_per_year": 100,
        "sales_terms.receivable_days": 3650, "quality.screening_cost_per_unit": 1e9,
    }  # fmt: skip
    scenario = load_scenario(tmp_path / "good.yaml", extreme)
    results = simulate(scenario, replications=2, seed=1)
    check_finite({t: getattr(results, t) for t in ("kpis", "monthly", "annual")}, "extreme")
    assert (results.kpis["lifetime_revenue"] > 0).all()


# --- a property test over random scenario files --------------------------------------------

PATHS = [
    "product.units_per_month", "product.sales_months", "product.unit_cost",
    "product.warranty_months", "product.growth_per_year", "pricing.price", "pricing.markup",
    "pricing.reference_price", "pricing.demand_elasticity", "parts.ssd.unit_cost",
    "parts.ssd.life.shape", "parts.ssd.life.scale_months", "parts.ssd.stocking.level",
    "parts.fan.stocking.min", "parts.fan.stocking.max", "parts.ssd.lead_time_days",
    "parts.ssd.qty_per_unit", "service.repair_days", "service.late_penalty_per_day",
    "accounting.discount_rate", "simulation.horizon_months", "simulation.seed",
    "suppliers.diskco.chargeback_share", "sales_terms.bad_debt_rate", "quality.screening_coverage",
]  # fmt: skip
PLAUSIBLE = st.one_of(st.integers(min_value=0, max_value=60), st.floats(min_value=0, max_value=50))
VALUES = st.one_of(
    PLAUSIBLE,  # first and twice: about half the files are valid and get simulated
    PLAUSIBLE,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, -1, 1e-300, 1e308, 2**63 - 1, 2**64, "auto", "no", "1e30", None]),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=3),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.dictionaries(st.sampled_from(PATHS), VALUES, min_size=1, max_size=4))
def test_random_scenarios_fail_cleanly_or_give_sound_numbers(
    changes: dict[str, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    (tmp_path / "s.yaml").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    sets = [a for path, value in changes.items() for a in ("--set", f"{path}={json.dumps(value)}")]
    status = main(["run", str(tmp_path / "s.yaml"), *sets, "--replications", "2", "--out",
                   str(out), "--max-hours", "0.002", "--max-memory-gb", "1"])  # fmt: skip
    captured = capsys.readouterr()
    event(f"exit {status}")  # --hypothesis-show-statistics: how many random files were valid
    assert "Traceback" not in captured.err
    assert "Warning" not in captured.err
    if status != 0:
        assert status == 2
        assert captured.err.count("\n") == 1, captured.err
        return
    kpis = pd.read_parquet(out / "kpis.parquet")
    tables = {"kpis": kpis, "monthly": pd.read_parquet(out / "monthly.parquet")}
    check_finite(tables, "property")
    assert kpis["fill_rate"].between(0, 1).all()
    assert (kpis["claims"] >= 0).all()
    assert (kpis["mean_wait_days"] >= 0).all()
    assert (kpis["units_sold"] >= 0).all()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    assert peak < 3e9, f"{peak / 1e9:.2f} GB"
