"""Imports flow one way: scenario → sim (and calibration) → accounting → experiments →
presentation (charts, report) → workbench and the command line.

Each module's imports, at the top or inside a function (a lazy import is still a dependency),
are read from its source with ``ast``; a module may import only its own layer or those below.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "models" / "warrantysim"

LAYERS: dict[str, int] = {
    # shared utilities: pure functions any layer may use
    "atomic": 0,
    "stats": 0,
    "headline": 0,
    "safe_yaml": 0,
    "finite": 0,
    "scenario": 1,
    "sim": 2,
    "calibration": 2,
    "accounting": 3,
    "api": 4,
    "workload": 4,
    "experiments": 5,
    "charts": 6,
    "charts_calibration": 6,
    "charts_figure": 6,
    "report": 6,
    "workbench": 7,
    "commands": 7,
    "cli": 7,
}
SIDEWAYS_FORBIDDEN = {("sim", "calibration"), ("calibration", "accounting")}
"""Pairs (importer, imported) ruled out beyond the layer order: calibration reads only scenario
and sim, and sim knows nothing of calibration."""
FOUNDATIONS = {"warrantysim.accounting.chart"}
"""Modules any layer may import because they import nothing of the package: the chart of
accounts, whose P&L lines the scenario schema names (``performance_profit_excludes``)."""


def component(module: str) -> str | None:
    """``warrantysim.sim.model`` -> ``sim``; the package root itself -> None."""
    parts = module.split(".")
    if parts[0] != "warrantysim" or len(parts) < 2:
        return None
    return parts[1]


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = [p for p in relative.parts if p != "__init__"]
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def violations(path: Path) -> list[str]:
    own = component(module_name(path))
    if own is None:
        return []
    out = []
    for target in sorted(imported_modules(path)):
        other = component(target)
        if other is None or other == own or other not in LAYERS:
            continue
        if any(target == f or target.startswith(f"{f}.") for f in FOUNDATIONS):
            continue
        if LAYERS[other] > LAYERS[own] or (own, other) in SIDEWAYS_FORBIDDEN:
            out.append(f"{module_name(path)} imports {target}")
    return out


def test_every_component_has_a_layer() -> None:
    components = {component(module_name(p)) for p in PACKAGE.rglob("*.py")}
    assert components - {None} <= set(LAYERS)


def test_imports_flow_one_way() -> None:
    found = [v for path in sorted(PACKAGE.rglob("*.py")) for v in violations(path)]
    assert found == []


def test_foundations_import_nothing_of_the_package() -> None:
    for module in FOUNDATIONS:
        path = PACKAGE.parent / (module.replace(".", "/") + ".py")
        assert not [m for m in imported_modules(path) if m.startswith("warrantysim")]


def test_the_check_catches_an_import_the_wrong_way(tmp_path: Path) -> None:
    # The rule itself must be able to fail: sim importing accounting is what issue 8 removed.
    fake = PACKAGE / "sim" / "_probe_for_the_import_test.py"
    try:
        fake.write_text("def f():\n    from warrantysim.accounting import pricing\n")
        assert violations(fake) == [
            "warrantysim.sim._probe_for_the_import_test imports warrantysim.accounting",
            "warrantysim.sim._probe_for_the_import_test imports warrantysim.accounting.pricing",
        ]
    finally:
        fake.unlink(missing_ok=True)


@pytest.mark.parametrize("module", ["warrantysim.report.tables", "warrantysim.report.i18n"])
def test_the_report_tables_load_without_the_exporters(module: str) -> None:
    import subprocess
    import sys

    code = f"import sys, {module}; assert 'vl_convert' not in sys.modules; print('ok')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr
