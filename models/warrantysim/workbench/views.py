"""Output widgets: the charts (``alt.JupyterChart``, drawn as SVG) and the KPI tables.

Charts are loaded from the vl-convert bundle (``JupyterChart.enable_offline``), so the dashboard
works with no network, in JupyterLab and under Voila alike. Every KPI cell carries its exact value
in ``data-value`` (with ``data-kpi`` and ``data-policy``) so a browser test can compare the page
with a direct API call.
"""

from __future__ import annotations

import html
import json
from collections.abc import Hashable, Mapping
from typing import Any

import altair as alt
import ipywidgets as w
import pandas as pd

from warrantysim.accounting.units import is_money
from warrantysim.headline import FIRST_SCREEN, HEADLINE_KPIS
from warrantysim.report import tables
from warrantysim.report.figures import FIGURE_NAMES, PolicyResults, figures
from warrantysim.report.i18n import Labels
from warrantysim.workbench.cards import difference_chart

EMBED_OPTIONS = {"renderer": "svg", "actions": False}
SHOWN_KPIS = HEADLINE_KPIS[:FIRST_SCREEN]


def _placeholder() -> alt.Chart:
    return alt.Chart(pd.DataFrame({"x": []})).mark_point()


IN_PLACE = False
"""Off: seen once in two browser runs on a loaded machine, a chart missed its in-place update
(JupyterChart's JavaScript listens for it only once its view is embedded) and kept showing
the old numbers. Until that is settled every new answer embeds the chart again."""


class LiveChart:
    """A ``JupyterChart`` redrawn with the least work: when a new chart differs from the one
    shown in its data only (same marks, encodings, scales, titles), the new rows can be sent
    into the view's named datasets in place (Vega's changesets, through JupyterChart's own
    ``_py_to_js_updates``) instead of embedding the chart again (``in_place``)."""

    def __init__(self, in_place: bool = IN_PLACE) -> None:
        self.use_in_place = in_place
        alt.JupyterChart.enable_offline()
        self.widget = alt.JupyterChart(_placeholder(), embed_options=EMBED_OPTIONS)
        self._shape: str | None = None
        self._names: list[str] = []
        """The datasets' names in the embedded view (they name the data by its hash)."""
        self.in_place = 0
        """How many redraws only swapped data (tests and benchmarks read it)."""

    def show(self, chart: alt.TopLevelMixin) -> None:
        if not self.use_in_place:
            self.widget.chart = chart  # type: ignore[assignment]  # every figure is top level
            return
        spec = chart.to_dict()
        shape, names = data_shape(spec)
        if shape != self._shape:
            self.widget.chart = chart  # type: ignore[assignment]  # every figure is top level
            self._shape, self._names = shape, names
            return
        self.widget._py_to_js_updates = [
            {"namespace": "data", "name": old, "scope": [], "value": spec["datasets"][new]}
            for old, new in zip(self._names, names, strict=True)
        ]
        self.in_place += 1


def data_shape(spec: Mapping[str, Any]) -> tuple[str, list[str]]:
    """A Vega-Lite spec without its data (its datasets' names replaced by their order), and
    the names: two specs of the same shape draw the same chart of other rows."""
    names = list(spec.get("datasets", {}))
    text = json.dumps({k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True)
    for i, name in enumerate(names):
        text = text.replace(json.dumps(name), f'"@dataset{i}"')
    return text, names


class ChartsView:
    """One :class:`LiveChart` per figure; :meth:`show` updates them in place."""

    def __init__(self) -> None:
        self.live = {name: LiveChart() for name in FIGURE_NAMES}
        self.charts = {name: live.widget for name, live in self.live.items()}
        self.widget = w.VBox(list(self.charts.values()))

    def show(self, comparison: PolicyResults, labels: Labels) -> None:
        drawn = figures(comparison, labels)
        for name, live in self.live.items():
            # A figure a comparison does not have (no write-downs, a single policy) is emptied,
            # never left showing the previous comparison's.
            live.show(drawn.get(name, _placeholder()))


class DifferenceView:
    """The spread of the paired difference in lifetime profit, replication by replication."""

    def __init__(self) -> None:
        self.live = LiveChart()
        self.chart = self.widget = self.live.widget

    def show(self, comparison: PolicyResults, base: str, labels: Labels) -> None:
        self.live.show(difference_chart(comparison, base, labels))


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _value(metric: str, value: float, labels: Labels) -> str:
    return labels.amount(value) if is_money(metric) else f"{value:,.3f}"


def kpi_html(comparison: PolicyResults, labels: Labels) -> str:
    """Headline KPIs per policy: mean and 95 % CI (money in the labels' unit)."""
    means = tables.long_mean_ci(comparison.kpis, [tables.POLICY], list(SHOWN_KPIS))
    head = "".join(f"<th>{_e(labels(k))}</th>" for k in SHOWN_KPIS)
    rows = []
    for policy in comparison.policies:
        cells = []
        for kpi in SHOWN_KPIS:
            row = means[(means["policy"] == policy) & (means["metric"] == kpi)]
            cells.append(_kpi_cell(policy, kpi, row, labels))
        rows.append(f"<tr><th>{_e(policy)}</th>{''.join(cells)}</tr>")
    unit = f"<caption>{_e(labels.money)}, {comparison.replications} {_e(labels('replications'))}"
    return f"<table class='ws-kpis'>{unit}</caption><tr><th></th>{head}</tr>{''.join(rows)}</table>"


def _kpi_cell(policy: str, kpi: str, row: pd.DataFrame, labels: Labels) -> str:
    if row.empty:
        return "<td>–</td>"
    r = row.iloc[0]
    attrs = f"data-kpi='{_e(kpi)}' data-policy='{_e(policy)}' data-value='{float(r['mean'])!r}'"
    shown = _value(kpi, float(r["mean"]), labels)
    ci = f"[{_value(kpi, float(r['lo']), labels)}, {_value(kpi, float(r['hi']), labels)}]"
    return f"<td {attrs}>{shown} <small>{ci}</small></td>"


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
