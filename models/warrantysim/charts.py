"""Altair chart builders: summary frames in, Vega-Lite charts out.

Every builder takes a tidy frame from :mod:`warrantysim.report.tables` (a ``policy`` column, a
``mean`` and, where there is uncertainty, ``lo``/``hi``) and a :class:`Labels` that fixes the
language and the money unit. The comparison's figures are :class:`~warrantysim.charts_figure.Figure`
objects (a spec cached by shape plus named rows); the same figures feed the workbench (a
``ChartPanel`` that updates them in place), the HTML report (Vega-Lite JSON) and the
PNG/SVG/Excel exports (vl-convert). The sweep and sensitivity charts are plain Altair charts.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from warrantysim.accounting.units import Unit, is_money, unit_of
from warrantysim.charts_figure import Figure
from warrantysim.report.i18n import DEFAULT_LABELS, Labels
from warrantysim.report.tables import CAP_COLUMN as CAP

WIDTH = 320
HEIGHT = 200
_BAND_OPACITY = 0.2
_STRONG_BAND = 0.35
CAP_LAYER = "cap"
"""The book-value chart's cap layer; Vega draws its marks in ``<g class="... cap_marks">``."""


def _money(frame: pd.DataFrame, labels: Labels, columns: Sequence[str]) -> pd.DataFrame:
    """The frame with money columns divided into the display unit (万元 or yuan)."""
    scaled = {c: frame[c] / labels.money_unit.divisor for c in columns if c in frame}
    return frame.assign(**scaled)


def _in_unit(
    frame: pd.DataFrame, labels: Labels, metric: str, columns: Sequence[str]
) -> pd.DataFrame:
    """The frame in the display unit when ``metric`` is money; as it is otherwise."""
    return _money(frame, labels, columns) if is_money(metric) else frame


def _axis(labels: Labels, metric: str) -> str:
    """An axis title with the metric's unit: the money unit, or days, months, ... as they are."""
    if is_money(metric):
        return labels.money_axis(metric)
    unit = unit_of(metric)
    shown = unit is not None and unit not in (Unit.COUNT, Unit.INDEX)
    return f"{labels(metric)} ({unit})" if shown else labels(metric)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categoricals as strings: Vega-Lite needs plain values, and this keeps the specs JSON-able."""
    cats = [str(c) for c in frame if frame[c].dtype == "category"]
    return frame.assign(**{c: frame[c].astype(str) for c in cats})


def _month_data(frame: pd.DataFrame, labels: Labels) -> tuple[pd.DataFrame, tuple[int, int]]:
    """A monthly frame as drawn (with a ``date`` column given a start) and its first and last
    month: the x axis ends at the horizon."""
    first, last = int(frame["month"].min()), int(frame["month"].max())
    if labels.start is None:
        return frame, (first, last)
    start = pd.Period(labels.start, freq="M")
    dates = [(start + (int(m) - 1)).to_timestamp() for m in frame["month"]]
    return frame.assign(date=dates), (first, last)


def _month_x(labels: Labels, months: tuple[int, int]) -> alt.X:
    """The x axis of a monthly chart: months 1..H, or their calendar months from
    ``simulation.start`` (month 1 is January)."""
    first, last = months
    if labels.start is None:
        scale = alt.Scale(domain=[first, last], nice=False)
        return alt.X("month:Q", title=labels("month"), scale=scale)
    start = pd.Period(labels.start, freq="M")
    ends = [(start + (m - 1)).to_timestamp().isoformat() for m in (first, last)]
    axis = alt.Axis(format="%Y-%m", labelAngle=0)
    scale = alt.Scale(domain=ends, nice=False)
    return alt.X("date:T", title=labels("month"), axis=axis, scale=scale)


def _year_data(frame: pd.DataFrame, labels: Labels) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """An annual frame with its years named ("Year k", or the calendar year with a start)."""
    years = sorted(int(y) for y in frame["fiscal_year"].unique())
    names = tuple(labels.year(y) for y in years)
    shown = frame.assign(fiscal_year=frame["fiscal_year"].map(dict(zip(years, names, strict=True))))
    return shown, names


def _year_x(labels: Labels, names: tuple[str, ...]) -> alt.X:
    axis = alt.Axis(labelAngle=0)
    return alt.X("fiscal_year:O", title=labels("fiscal_year"), sort=list(names), axis=axis)


def _policy_color(
    labels: Labels, order: Sequence[str], domain: Sequence[str] | None = None
) -> alt.Color:
    # Opaque legend symbols: a band layer would otherwise lend them its faint opacity.
    legend = alt.Legend(symbolOpacity=1.0, values=list(order))
    # ``domain``: every policy of the comparison, so a policy keeps its colour in a chart
    # that leaves the base out.
    scale = alt.Scale(domain=list(domain)) if domain is not None else alt.Undefined
    return alt.Color(
        "policy:N", title=labels("policy"), sort=list(order), legend=legend, scale=scale
    )


def _order(frame: pd.DataFrame) -> list[str]:
    column = frame["policy"]
    if column.dtype == "category":
        return [str(c) for c in column.cat.categories if c in set(column)]
    return list(dict.fromkeys(column.astype(str)))


def _named(name: str) -> alt.Chart:
    return alt.Chart(alt.NamedData(name))


def annual_profit(summary: pd.DataFrame, labels: Labels = DEFAULT_LABELS) -> Figure:
    """Grouped bars of annual profit and performance profit per policy, with 95 % CI rules.

    ``summary``: :func:`tables.long_mean_ci` of the annual frame over ``profit`` and
    ``performance_profit`` by (policy, fiscal_year).
    """
    data = _plain(_money(summary, labels, ["mean", "lo", "hi"]))
    metrics = _metrics(data)
    shown = [_year_data(data[data["metric"] == m], labels) for m in metrics]
    datasets = {f"annual_profit_{i}": frame for i, (frame, _) in enumerate(shown)}
    years = tuple(names for _, names in shown)
    return Figure(_annual_profit, (labels, tuple(_order(summary)), metrics, years), datasets)


def _annual_profit(
    labels: Labels, order: tuple[str, ...], metrics: tuple[str, ...], years: tuple[tuple[str, ...]]
) -> alt.HConcatChart:
    panels = [
        _annual_panel(f"annual_profit_{i}", metric, labels, list(order), names)
        for i, (metric, names) in enumerate(zip(metrics, years, strict=True))
    ]
    return alt.hconcat(*panels).properties(title=labels("annual_profit"))


def _metrics(data: pd.DataFrame) -> tuple[str, ...]:
    return tuple(dict.fromkeys(data["metric"]))


def _annual_panel(
    data: str, metric: str, labels: Labels, order: list[str], years: tuple[str, ...]
) -> alt.LayerChart:
    base = _named(data).encode(
        x=_year_x(labels, years), xOffset=alt.XOffset("policy:N", sort=order)
    )
    bars = base.mark_bar().encode(
        y=alt.Y("mean:Q", title=labels.money_axis(metric)),
        color=_policy_color(labels, order),
        tooltip=["policy:N", "fiscal_year:O", alt.Tooltip("mean:Q", format=",.0f")],
    )
    rules = base.mark_rule(color="black").encode(y="lo:Q", y2="hi:Q")
    return (bars + rules).properties(width=WIDTH, height=HEIGHT, title=labels(metric))


def cumulative_profit(summary: pd.DataFrame, labels: Labels = DEFAULT_LABELS) -> Figure:
    """Mean cumulative profit per policy over months, with the 5–95 % replication band."""
    data, months = _month_data(_plain(_money(summary, labels, ["mean", "lo", "hi"])), labels)
    shape = (labels, tuple(_order(summary)), months)
    return Figure(_cumulative_profit, shape, {"cumulative_profit": data})


def _cumulative_profit(
    labels: Labels, order: tuple[str, ...], months: tuple[int, int]
) -> alt.LayerChart:
    x, color = _month_x(labels, months), _policy_color(labels, order)
    base = _named("cumulative_profit").encode(x=x, color=color)
    area = base.mark_area(opacity=_BAND_OPACITY).encode(y="lo:Q", y2="hi:Q")
    line = base.mark_line().encode(y=alt.Y("mean:Q", title=labels.money_axis("profit")))
    title = labels("cumulative_profit")
    return (area + line).properties(width=2 * WIDTH, height=HEIGHT, title=title)


def cumulative_difference(summary: pd.DataFrame, labels: Labels = DEFAULT_LABELS) -> Figure:
    """Cumulative profit minus the base's per policy, paired by replication, with its 5–95 %
    band and a zero line: the band the level chart cannot show (it is a few pixels there)."""
    every = tuple(str(c) for c in summary["policy"].cat.categories)
    data, months = _month_data(_plain(_money(summary, labels, ["mean", "lo", "hi"])), labels)
    shape = (labels, tuple(_order(summary)), every, months)
    return Figure(_cumulative_difference, shape, {"cumulative_difference": data})


def _cumulative_difference(
    labels: Labels, order: tuple[str, ...], every: tuple[str, ...], months: tuple[int, int]
) -> alt.LayerChart:
    x, color = _month_x(labels, months), _policy_color(labels, order, every)
    base = _named("cumulative_difference").encode(x=x, color=color)
    area = base.mark_area(opacity=_STRONG_BAND).encode(y="lo:Q", y2="hi:Q")
    line = base.mark_line().encode(y=alt.Y("mean:Q", title=labels.money_axis("difference")))
    zero = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color="gray").encode(y="zero:Q")
    title = labels("cumulative_difference")
    return (area + line + zero).properties(width=2 * WIDTH, height=HEIGHT, title=title)


def book_value(summary: pd.DataFrame, labels: Labels = DEFAULT_LABELS) -> Figure:
    """Mean month-end spares book value per policy, with its cap (dashed) where there is one."""
    data, months = _month_data(_plain(_money(summary, labels, ["mean", "lo", "hi", CAP])), labels)
    capped = bool(CAP in data and data[CAP].notna().any())
    shape = (labels, tuple(_order(summary)), months, capped)
    return Figure(_book_value, shape, {"book_value": data})


def _book_value(
    labels: Labels, order: tuple[str, ...], months: tuple[int, int], capped: bool
) -> alt.TopLevelMixin:
    x, color = _month_x(labels, months), _policy_color(labels, order)
    base = _named("book_value").encode(x=x, color=color)
    area = base.mark_area(opacity=_BAND_OPACITY).encode(y="lo:Q", y2="hi:Q")
    line = base.mark_line().encode(y=alt.Y("mean:Q", title=labels.money_axis("book_value_axis")))
    layers = [area, line]
    if capped:
        # Steps: a fiscal year's cap holds for its months (tables.book_value_over_time); the
        # layer is named so its marks are findable in the SVG (class "cap_marks").
        tooltip = [alt.Tooltip(f"{CAP}:Q", title=labels("cap"))]
        cap = base.mark_line(strokeDash=[6, 3], strokeWidth=2.5, interpolate="step-after")
        y = alt.Y(f"{CAP}:Q", title=labels.money_axis("book_value_axis"))  # one shared axis
        layers.append(cap.encode(y=y, tooltip=tooltip).properties(name=CAP_LAYER))
    title = labels("book_value")
    return alt.layer(*layers).properties(width=2 * WIDTH, height=HEIGHT, title=title)


def writedowns(summary: pd.DataFrame, labels: Labels = DEFAULT_LABELS) -> Figure:
    """Stacked mean write-downs per fiscal year and kind, a panel per policy."""
    data = _plain(_money(summary, labels, ["amount"]))
    data, years = _year_data(data.assign(kind=data["kind"].map(labels)), labels)
    return Figure(_writedowns, (labels, tuple(_order(summary)), years), {"writedowns": data})


def _writedowns(labels: Labels, order: tuple[str, ...], years: tuple[str, ...]) -> alt.Chart:
    return (
        _named("writedowns")
        .mark_bar()
        .encode(
            # Slanted: six year labels (2027年...) are wider than a panel's bands side by side.
            x=_year_x(labels, years).axis(labelAngle=-45, labelAlign="right"),
            y=alt.Y("sum(amount):Q", title=labels.money_axis("writedowns")),
            color=alt.Color("kind:N", title=labels("writedown_kind")),
            column=alt.Column("policy:N", sort=list(order), title=labels("policy")),
            tooltip=["policy:N", "fiscal_year:O", "kind:N", alt.Tooltip("amount:Q", format=",.0f")],
        )
        .properties(width=WIDTH * 0.6, height=HEIGHT, title=labels("writedowns"))
    )


def service(summary: pd.DataFrame, labels: Labels = DEFAULT_LABELS) -> Figure:
    """Fill rate and mean wait per policy, with 95 % CI rules.

    ``summary``: :func:`tables.long_mean_ci` of kpis over ``fill_rate`` and ``mean_wait_days``
    by policy.
    """
    data = _plain(summary)
    metrics = _metrics(data)
    datasets = {f"service_{i}": data[data["metric"] == m] for i, m in enumerate(metrics)}
    return Figure(_service, (labels, tuple(_order(summary)), metrics), datasets)


def _service(labels: Labels, order: tuple[str, ...], metrics: tuple[str, ...]) -> alt.HConcatChart:
    panels = [_service_panel(f"service_{i}", m, labels, list(order)) for i, m in enumerate(metrics)]
    return alt.hconcat(*panels).properties(title=labels("service"))


def _service_panel(data: str, metric: str, labels: Labels, order: list[str]) -> alt.LayerChart:
    base = _named(data).encode(x=alt.X("policy:N", sort=order, title=labels("policy")))
    bars = base.mark_bar().encode(
        y=alt.Y("mean:Q", title=labels(metric)),
        color=_policy_color(labels, order),
        tooltip=["policy:N", alt.Tooltip("mean:Q", format=",.3f")],
    )
    rules = base.mark_rule(color="black").encode(y="lo:Q", y2="hi:Q")
    return (bars + rules).properties(width=WIDTH / 2 + 40, height=HEIGHT, title=labels(metric))


def tornado(
    frame: pd.DataFrame, labels: Labels = DEFAULT_LABELS, metric: str = "lifetime_profit"
) -> alt.LayerChart:
    """Bars from the base outcome to the outcome at each parameter's low and high value.

    ``frame``: columns ``parameter``, ``low``, ``high`` (the outcome at each end) and ``base``;
    ``metric`` names the outcome (its unit titles the axis).
    """
    swing = (frame["high"] - frame["low"]).abs()
    data = _in_unit(frame.assign(swing=swing), labels, metric, ["low", "high", "base"])
    long = data.melt(["parameter", "base", "swing"], ["low", "high"], "end", "outcome")
    long = long.assign(end=long["end"].map(labels))
    sort = data.sort_values("swing", ascending=False)["parameter"].tolist()
    y = alt.Y("parameter:N", sort=sort, title=labels("parameter"))
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X(
                "outcome:Q",
                title=_axis(labels, metric),
                scale=alt.Scale(zero=False),
            ),
            x2="base:Q",
            color=alt.Color("end:N", title=labels("value")),
        )
    )
    rule = alt.Chart(data.head(1)).mark_rule(color="black").encode(x="base:Q")
    return (bars + rule).properties(width=2 * WIDTH, height=HEIGHT, title=labels("tornado"))


def sobol(frame: pd.DataFrame, labels: Labels = DEFAULT_LABELS) -> alt.LayerChart:
    """First-order and total Sobol indices per parameter with their confidence intervals.

    ``frame``: long, columns ``parameter``, ``index`` (``S1``/``ST``), ``value``, ``conf``
    (SALib's half-width).
    """
    data = frame.assign(lo=frame["value"] - frame["conf"], hi=frame["value"] + frame["conf"])
    base = alt.Chart(data).encode(
        y=alt.Y("parameter:N", title=labels("parameter")),
        yOffset="index:N",
    )
    bars = base.mark_bar().encode(
        x=alt.X("value:Q", title=labels("index")), color=alt.Color("index:N", title=labels("index"))
    )
    rules = base.mark_rule(color="black").encode(x="lo:Q", x2="hi:Q")
    return (bars + rules).properties(width=2 * WIDTH, height=HEIGHT, title=labels("sobol"))


def sweep(
    frame: pd.DataFrame, labels: Labels = DEFAULT_LABELS, metric: str = "lifetime_profit"
) -> alt.FacetChart:
    """Mean outcome (with CI band) against each swept parameter's value, one panel a parameter.

    ``frame``: columns ``parameter``, ``value``, ``policy``, ``mean``, ``lo``, ``hi``; ``metric``
    names the outcome (its unit titles the axis).
    """
    data = _plain(_in_unit(frame, labels, metric, ["mean", "lo", "hi"]))
    base = alt.Chart().encode(
        x=alt.X("value:Q", title=labels("value")),
        color=alt.Color("policy:N", title=labels("policy")),
    )
    area = base.mark_area(opacity=_BAND_OPACITY).encode(y="lo:Q", y2="hi:Q")
    line = base.mark_line(point=True).encode(
        y=alt.Y("mean:Q", title=_axis(labels, metric), scale=alt.Scale(zero=False))
    )
    layered = alt.layer(area, line, data=data).properties(width=WIDTH * 0.8, height=HEIGHT)
    facet = layered.facet(facet=alt.Facet("parameter:N", title=None), columns=3)
    return facet.resolve_scale(x="independent").properties(title=labels("sweep"))


def winner_map(frame: pd.DataFrame, x: str, y: str, labels: Labels = DEFAULT_LABELS) -> alt.Chart:
    """Which policy has the higher mean outcome at each (x, y) point of a two-parameter grid.

    ``frame``: columns ``x``, ``y`` (named by the arguments) and ``winner``.
    """
    # Parameter names are dotted paths, which Vega-Lite would read as nested fields.
    data = _plain(frame).rename(columns={x: "x", y: "y"})
    return (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=alt.X("x:O", title=x, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("y:O", title=y, sort="descending"),
            color=alt.Color("winner:N", title=labels("winner")),
            tooltip=[alt.Tooltip("x:O", title=x), alt.Tooltip("y:O", title=y), "winner:N"],
        )
        .properties(width=WIDTH, height=HEIGHT, title=labels("winner"))
    )


def render_offline_in_notebooks() -> None:
    """Show charts in notebooks as static SVG drawn by vl-convert.

    Altair's default notebook renderer loads Vega from a CDN; SVG needs no network, is kept in
    the saved notebook (papermill runs stay readable) and shows in any viewer.
    """
    alt.renderers.enable("svg")
