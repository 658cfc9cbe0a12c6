"""Output widgets: the charts (a :class:`~warrantysim.workbench.chartpanel.ChartPanel` each,
drawn as SVG) and the KPI tables.

The panels bring Vega from vl-convert's bundle, so the dashboard works with no network, in
JupyterLab and under Voila alike. Every KPI cell carries its exact value
in ``data-value`` (with ``data-kpi`` and ``data-policy``) so a browser test can compare the page
with a direct API call.
"""

from __future__ import annotations

import html
from collections.abc import Hashable, Mapping
from typing import Any

from warrantysim.headline import FIRST_SCREEN, HEADLINE_KPIS
from warrantysim.report import tables
from warrantysim.report.cells import fmt, shown_bounds
from warrantysim.report.figures import PolicyResults, figures
from warrantysim.report.i18n import Labels
from warrantysim.workbench.cards import difference_chart
from warrantysim.workbench.chartpanel import ChartPanel

SHOWN_KPIS = HEADLINE_KPIS[:FIRST_SCREEN]


class ChartsView:
    """The comparison's figures in one :class:`ChartPanel` (updated in place)."""

    def __init__(self) -> None:
        self.widget = self.panel = ChartPanel()

    def show(self, comparison: PolicyResults, base: str, labels: Labels) -> None:
        # A figure a comparison does not have (no write-downs, a single policy) is removed,
        # never left showing the previous comparison's.
        self.panel.show(figures(comparison, labels, base))


class DifferenceView:
    """The spread of the paired difference in lifetime profit, replication by replication."""

    def __init__(self) -> None:
        self.widget = self.panel = ChartPanel()

    def show(self, comparison: PolicyResults, base: str, labels: Labels) -> None:
        self.panel.show({"difference": difference_chart(comparison, base, labels)})


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _value(metric: str, value: float, labels: Labels) -> str:
    return fmt(value, metric, labels)  # money in the unit, shares in %, as the report


def kpi_html(comparison: PolicyResults, labels: Labels) -> str:
    """Headline KPIs per policy: mean and 95 % CI (money in the labels' unit)."""
    means = tables.long_mean_ci(comparison.kpis, [tables.POLICY], list(SHOWN_KPIS))
    cell = {(str(r["policy"]), str(r["metric"])): r for r in means.to_dict("records")}
    head = "".join(f"<th>{_e(labels(k))}</th>" for k in SHOWN_KPIS)
    rows = []
    for policy in comparison.policies:
        cells = "".join(_kpi_cell(policy, k, cell.get((policy, k)), labels) for k in SHOWN_KPIS)
        rows.append(f"<tr><th>{_e(policy)}</th>{cells}</tr>")
    unit = f"<caption>{_e(labels.money)}, {comparison.replications} {_e(labels('replications'))}"
    return f"<table class='ws-kpis'>{unit}</caption><tr><th></th>{head}</tr>{''.join(rows)}</table>"


def _kpi_cell(policy: str, kpi: str, row: Mapping[Hashable, Any] | None, labels: Labels) -> str:
    if row is None:
        return "<td>–</td>"
    mean = float(row["mean"])
    lo, hi = shown_bounds(float(row["lo"]), float(row["hi"]), kpi)  # a share within [0, 1]
    attrs = f"data-kpi='{_e(kpi)}' data-policy='{_e(policy)}' data-value='{mean!r}'"
    ci = f"[{_value(kpi, lo, labels)}, {_value(kpi, hi, labels)}]"
    return f"<td {attrs}>{_value(kpi, mean, labels)} <small>{ci}</small></td>"


def differences_html(comparison: PolicyResults, labels: Labels, base: str | None = None) -> str:
    """Each KPI's difference from the base policy (a column per policy), paired by replication,
    with its 95 % CI."""
    base = base or comparison.base
    diff = tables.paired_differences(comparison.kpis, base)
    others = [p for p in comparison.policies if p != base]
    head = "".join(f"<th>{_e(p)}</th>" for p in others)
    rows = []
    for kpi, group in diff.groupby("kpi", sort=False):
        by_policy = {str(r["policy"]): r for r in group.to_dict("records")}
        cells = "".join(_diff_cell(str(kpi), by_policy.get(p), labels) for p in others)
        rows.append(f"<tr><th>{_e(labels(str(kpi)))}</th>{cells}</tr>")
    caption = f"{labels('difference')} ({base}), 95% CI"
    return (
        f"<table class='ws-diff'><caption>{_e(caption)}</caption>"
        f"<tr><th>{_e(labels('kpi'))}</th>{head}</tr>{''.join(rows)}</table>"
    )


def _diff_cell(kpi: str, row: Mapping[Hashable, Any] | None, labels: Labels) -> str:
    if row is None:
        return "<td>–</td>"
    mean, lo, hi = (_value(kpi, float(row[k]), labels) for k in ("difference", "lo", "hi"))
    return f"<td>{mean} <small>[{lo}, {hi}]</small></td>"
