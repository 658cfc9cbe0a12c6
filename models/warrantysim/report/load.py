"""Read results directories written by ``warrantysim run`` back into a :class:`PolicyResults`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from warrantysim.report.figures import STATEMENT_TABLES, PolicyResults
from warrantysim.report.policies import PolicyInfo


@dataclass(frozen=True)
class ResultsDir:
    """One policy's results: the three tables, the CAS statements (empty frames in a folder
    written before them) and the resolved scenario's names and settings."""

    name: str
    description: str
    kpis: pd.DataFrame
    monthly: pd.DataFrame
    annual: pd.DataFrame
    info: PolicyInfo
    income_statement: pd.DataFrame
    balance_sheet: pd.DataFrame
    cash_flow: pd.DataFrame


class DamagedResults(ValueError):
    """A results folder whose files differ from the rows and SHA-256 its manifest records."""


def read_results(path: Path) -> ResultsDir:
    """The tables of ``path``; the policy is named by its ``scenario.yaml``, else the folder.

    Refuses (:class:`DamagedResults`) a folder whose files are not the ones its manifest
    records; folders written before the manifest recorded files are read as they are.
    """
    path = Path(path)
    _refuse_damaged(path)
    info = PolicyInfo.from_scenario(_scenario_meta(path / "scenario.yaml"), path.name)
    statements = {name: _optional_table(path / f"{name}.parquet") for name in STATEMENT_TABLES}
    return ResultsDir(
        name=info.name,
        description=info.description,
        kpis=pd.read_parquet(path / "kpis.parquet"),
        monthly=pd.read_parquet(path / "monthly.parquet"),
        annual=pd.read_parquet(path / "annual.parquet"),
        info=info,
        **statements,
    )


def _optional_table(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path) if path.is_file() else pd.DataFrame()


def _refuse_damaged(path: Path) -> None:
    from warrantysim.experiments.integrity import folder_problems

    if not (path / "manifest.json").exists():
        return  # tables written by hand or by an older version: nothing to check them against
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DamagedResults(f"{path / 'manifest.json'}: cannot be read ({error})") from None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    problems = folder_problems(path, files) if isinstance(files, dict) else []
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DamagedResults(f"{path}: {problems[0]}{more}; run it again (warrantysim run)")


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
        {n: r.info for n, r in zip(names, found, strict=True)},
    )


def _unique(names: list[str]) -> list[str]:
    """Names made unique (``a``, ``a-2``) so two runs of one scenario can still be compared."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return out
