"""Every number of two checkouts compared, to the bit: the guard for speed work (issue 13).

    PYTHONPATH=<old checkout>/models python benchmarks/same_numbers.py write /tmp/old.pkl
    python benchmarks/same_numbers.py check /tmp/old.pkl

``write`` runs replications 0 and 1 (seed 2026) of every shipped scenario, and of status-quo
with the workbench's stocking lever at 0.6, at the default fleet, and pickles each event log
and every table ``api.tables_from_log`` returns (the journal included); ``check`` runs the same
under this checkout and compares them: arrays by their bytes and dtype, frames exactly
(``check_exact``), dictionaries key by key. It prints one line, or the first difference and
exits 1. About 20 s per side on a quiet 2-core machine.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from warrantysim.api import prepare, tables_from_log
from warrantysim.scenario import Scenario, load_scenario
from warrantysim.sim.model import run_replication
from warrantysim.workbench.levers import Levers, apply_levers

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
SEED, REPLICATIONS = 2026, (0, 1)


def cases() -> Iterator[tuple[str, Scenario]]:
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(path)
        yield path.stem, scenario
        if path.stem == "status-quo":
            moved = Levers.of(scenario).replace(stocking_multiplier=0.6)
            yield "status-quo, stocking x0.6", apply_levers(scenario, moved)


def outputs() -> dict[tuple[str, int], tuple[Any, Any]]:
    out = {}
    for name, scenario in cases():
        prepared = prepare(scenario)
        for r in REPLICATIONS:
            log = run_replication(scenario, SEED, r, price=prepared.price, plan=prepared.plan)
            out[(name, r)] = (log, tables_from_log(log, scenario, prepared.price, journal=True))
    return out


class Different(Exception):
    """The first difference found, named by where it is."""


def require(condition: bool, message: str) -> None:
    if not condition:
        raise Different(message)


def same(a: Any, b: Any, where: str) -> None:
    """Raise :class:`Different` naming ``where`` at the first difference."""
    if isinstance(a, np.ndarray):
        require(a.dtype == b.dtype, f"{where}: dtype {a.dtype} against {b.dtype}")
        require(a.shape == b.shape, f"{where}: shape {a.shape} against {b.shape}")
        require(a.tobytes() == b.tobytes(), f"{where}: values")
    elif isinstance(a, pd.DataFrame):
        try:
            pd.testing.assert_frame_equal(a, b, check_exact=True, obj=where)
        except AssertionError as error:
            raise Different(str(error)) from None
    elif isinstance(a, dict):
        require(a.keys() == b.keys(), f"{where}: keys")
        for key in a:
            same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, tuple | list):
        require(len(a) == len(b), f"{where}: length")
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{i}]")
    elif is_dataclass(a) and not isinstance(a, type):
        for f in fields(a):
            same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, float) and np.isnan(a):
        require(isinstance(b, float) and bool(np.isnan(b)), f"{where}: {a} against {b}")
    else:
        require(a == b, f"{where}: {a!r} against {b!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("write", "check"))
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    if args.action == "write":
        args.file.write_bytes(pickle.dumps(outputs(), pickle.HIGHEST_PROTOCOL))
        return 0
    before = pickle.loads(args.file.read_bytes())  # a file this script wrote
    now = outputs()
    try:
        same(sorted(before), sorted(now), "cases")
        for key, (log, tables) in before.items():
            same(log, now[key][0], f"{key} event log")
            same(tables, now[key][1], f"{key} tables")
    except Different as error:
        print(f"different: {error}")
        return 1
    print(f"identical: {len(before)} replications (event logs and every table, to the bit)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
