"""Read results directories written by ``warrantysim run`` back into a :class:`PolicyResults`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from warrantysim.report.figures import PolicyResults


@dataclass(frozen=True)
class ResultsDir:
    """One policy's results: the three tables and the resolved scenario's name and description."""

    name: str
    description: str
    kpis: pd.DataFrame
    monthly: pd.DataFrame
    annual: pd.DataFrame


def read_results(path: Path) -> ResultsDir:
    """The tables of ``path``; the policy is named by its ``scenario.yaml``, else the folder."""
    path = Path(path)
    meta = _scenario_meta(path / "scenario.yaml")
    return ResultsDir(
        name=str(meta.get("name") or path.name),
        description=str(meta.get("description") or ""),
        kpis=pd.read_parquet(path / "kpis.parquet"),
        monthly=pd.read_parquet(path / "monthly.parquet"),
        annual=pd.read_parquet(path / "annual.parquet"),
    )


def _scenario_meta(path: Path) -> dict[str, object]:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def read_comparison(paths: Sequence[Path]) -> PolicyResults:
    """The policies of ``paths`` in the given order (the first is the base)."""
    found = [read_results(p) for p in paths]
    names = _unique([r.name for r in found])
    return PolicyResults.of(
        dict(zip(names, found, strict=True)),
        {n: r.description for n, r in zip(names, found, strict=True)},
    )


def _unique(names: list[str]) -> list[str]:
    """Names made unique (``a``, ``a-2``) so two runs of one scenario can still be compared."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return out
