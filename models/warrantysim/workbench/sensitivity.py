"""Tables behind the sensitivity notebook's charts, from sweep and Sobol results.

A sweep's ``kpis`` has a row per (design point, replication) with the parameters' values as
columns. Main effects pool every run at one value of a parameter (averaging over the other
parameters' levels, which a full grid balances); the tornado shows the main effect's lowest and
highest level against the overall mean. Sobol indices come from ``SensitivityResult.indices``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from warrantysim.report import tables


def main_effects(kpis: pd.DataFrame, parameters: Sequence[str], kpi: str) -> pd.DataFrame:
    """Mean ``kpi`` (95 % t-interval) at each value of each parameter: parameter, value, ...."""
    parts = []
    for parameter in parameters:
        frame = kpis.assign(value=pd.to_numeric(kpis[parameter], errors="coerce"))
        summary = tables.mean_ci(frame, ["value"], kpi)
        parts.append(summary.assign(parameter=parameter))
    return pd.concat(parts, ignore_index=True)


def tornado(kpis: pd.DataFrame, parameters: Sequence[str], kpi: str) -> pd.DataFrame:
    """Per parameter: mean ``kpi`` at its lowest and highest value, and the overall mean."""
    effects = main_effects(kpis, parameters, kpi)
    rows = []
    for parameter, group in effects.groupby("parameter", sort=False):
        ordered = group.sort_values("value")
        low, high = ordered["mean"].iloc[0], ordered["mean"].iloc[-1]
        rows.append({"parameter": parameter, "low": low, "high": high})
    return pd.DataFrame(rows).assign(base=float(kpis[kpi].mean()))


def sobol_long(indices: pd.DataFrame, kpi: str) -> pd.DataFrame:
    """First-order and total indices of one KPI, long: parameter, index, value, conf."""
    rows = indices[indices["kpi"] == kpi]
    parts = [
        pd.DataFrame(
            {
                "parameter": rows["parameter"],
                "index": name,
                "value": rows[name],
                "conf": rows[f"{name}_conf"],
            }
        )
        for name in ("S1", "ST")
    ]
    return pd.concat(parts, ignore_index=True)


def winner_grid(
    kpis_by_policy: Mapping[str, pd.DataFrame], x: str, y: str, kpi: str
) -> pd.DataFrame:
    """At each (x, y) of a two-parameter sweep run for every policy: the best mean ``kpi``."""
    means = pd.concat(
        [k.groupby([x, y])[kpi].mean().rename(policy) for policy, k in kpis_by_policy.items()],
        axis=1,
    )
    return means.idxmax(axis=1).rename("winner").reset_index()


def with_policy(effects: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Main-effect tables of several policies stacked with a ``policy`` column."""
    return pd.concat([e.assign(policy=p) for p, e in effects.items()], ignore_index=True)
