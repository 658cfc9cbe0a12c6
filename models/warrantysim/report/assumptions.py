"""The assumptions behind a comparison, read from the policies' resolved scenarios.

Every table here is generated from the scenarios (``scenario.yaml`` of each results folder, or
the scenario objects the notebook ran), never typed in: the fleet, prices, lives, lead times,
accounting and tax settings, and for each policy the settings where it differs from the base
(dotted paths, the same ones ``--set`` takes).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from warrantysim.report import terms
from warrantysim.report.figures import PolicyResults
from warrantysim.report.i18n import Labels, Lang

DRIVERS = (
    "product.units_per_month",
    "product.sales_months",
    "product.warranty_months",
    "pricing.price",
    "simulation.horizon_months",
    "accounting.discount_rate",
    "tax.rate",
)
"""The settings the first page names (the appendix has all of :data:`terms.ASSUMPTIONS`)."""
NOT_COMPARED = ("name", "description", "title_zh", "description_zh")


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``; list items with a ``name`` are keyed by it."""
    if isinstance(data, Mapping):
        items = [(str(k), v) for k, v in data.items()]
    elif isinstance(data, list) and all(isinstance(x, Mapping) and "name" in x for x in data):
        items = [(str(x["name"]), {k: v for k, v in x.items() if k != "name"}) for x in data]
    else:
        return {prefix: data}
    out: dict[str, Any] = {}
    for key, value in items:
        out |= flatten(value, f"{prefix}.{key}" if prefix else key)
    return out


def value_text(value: Any, labels: Labels) -> str:
    """A setting as a reader sees it: numbers separated, options and yes/no in the language."""
    if value is None:
        return labels("none")
    if isinstance(value, bool):
        return labels("yes") if value else labels("no")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {value_text(v, labels)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(value_text(v, labels) for v in value)
    text = str(value)
    return terms.VALUES_ZH.get(text, text) if labels.lang is Lang.ZH else text


def _setting_label(path: str, labels: Labels) -> str:
    english, chinese = terms.ASSUMPTIONS[path]
    return chinese if labels.lang is Lang.ZH else english


def _scenarios(c: PolicyResults) -> dict[str, dict[str, Any]]:
    return {p: _resolved(flatten(dict(c.infos[p].scenario))) for p in c.policies if p in c.infos}


def _resolved(flat: dict[str, Any]) -> dict[str, Any]:
    """The horizon as simulated: ``null`` means sales months + ⌈warranty months⌉."""
    horizon = "simulation.horizon_months"
    sales, warranty = flat.get("product.sales_months"), flat.get("product.warranty_months")
    if flat.get(horizon) is None and sales is not None and warranty is not None:
        return flat | {horizon: int(sales) + math.ceil(float(warranty))}
    return flat


def settings_table(
    c: PolicyResults, labels: Labels, paths: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """A row per setting (``paths``, default all of :data:`terms.ASSUMPTIONS`), a column per
    policy; empty when no scenario is known."""
    scenarios = _scenarios(c)
    chosen = paths if paths is not None else tuple(terms.ASSUMPTIONS)
    rows = {
        _setting_label(path, labels): {
            p: value_text(flat.get(path), labels) for p, flat in scenarios.items()
        }
        for path in chosen
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis(labels("setting"))


def parts_table(c: PolicyResults, labels: Labels) -> pd.DataFrame:
    """The base's parts: lives, costs, lead times, stocking (a policy's changes to a part are
    in :func:`changes_table`)."""
    info = c.infos.get(c.base)
    parts = info.scenario.get("parts", []) if info else []
    lang = 1 if labels.lang is Lang.ZH else 0
    rows = []
    for part in parts:
        flat = flatten(part)
        row = {labels("part"): str(part.get("name", ""))}
        for path, names in terms.PART_COLUMNS.items():
            found = {k: v for k, v in flat.items() if k == path or k.startswith(f"{path}.")}
            value = found.get(path, {k[len(path) + 1 :]: v for k, v in found.items()} or None)
            row[names[lang]] = value_text(value, labels)
        rows.append(row)
    return pd.DataFrame(rows)


def changes_table(c: PolicyResults, labels: Labels) -> pd.DataFrame:
    """Each policy's settings that differ from the base's: policy, setting path, both values."""
    scenarios = _scenarios(c)
    base = scenarios.get(c.base, {})
    rows = []
    for policy, flat in scenarios.items():
        if policy == c.base:
            continue
        for path in sorted(set(flat) | set(base)):
            if path.split(".")[0] in NOT_COMPARED or flat.get(path) == base.get(path):
                continue
            rows.append(
                {
                    labels("policy"): policy,
                    labels("setting"): path,
                    labels("from_value"): value_text(base.get(path), labels),
                    labels("to_value"): value_text(flat.get(path), labels),
                }
            )
    return pd.DataFrame(rows)
