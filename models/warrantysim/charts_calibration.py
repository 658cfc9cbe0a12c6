"""Altair charts of a calibration: the Weibull probability plot with the fit and its band, and the
Nevada chart of observed against expected returns. Frames in (from
:mod:`warrantysim.calibration.diagnostics` and :mod:`warrantysim.calibration.forecast`), charts
out; kept next to :mod:`warrantysim.charts` so presentation code stays out of the model.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

WIDTH = 360
HEIGHT = 260
# Weibull paper: the axis carries y = ln(−ln(1 − F)) and its labels show F.
_F_LABEL = "format(1 - exp(-exp(datum.value)), '.2~%')"


def probability_plot(points: pd.DataFrame, band: pd.DataFrame, title: str = "") -> alt.LayerChart:
    """Kaplan–Meier points over the fitted CDF and its confidence band, on Weibull paper."""
    x = alt.X("age_months:Q", scale=alt.Scale(type="log"), title="age (months)")
    y_axis = alt.Axis(labelExpr=_F_LABEL, title="fraction failed F(t)")
    shaded = band.assign(**{c: _weibull_y(band[c]) for c in ("cdf", "lower", "upper")})
    dots = points.assign(y=_weibull_y(points["cdf"]))
    area = (
        alt.Chart(shaded)
        .mark_area(opacity=0.2)
        .encode(x=x, y=alt.Y("lower:Q", axis=y_axis), y2="upper:Q")
    )
    line = alt.Chart(shaded).mark_line().encode(x=x, y=alt.Y("cdf:Q", axis=y_axis))
    marks = (
        alt.Chart(dots)
        .mark_point(filled=True, size=18, color="black")
        .encode(
            x=x,
            y=alt.Y("y:Q", axis=y_axis),
            tooltip=["age_months:Q", alt.Tooltip("cdf:Q", format=".3%")],
        )
    )
    return (area + line + marks).properties(width=WIDTH, height=HEIGHT, title=title)


def _weibull_y(cdf: pd.Series) -> pd.Series:
    import numpy as np

    return pd.Series(np.log(-np.log1p(-cdf.clip(1e-12, 1 - 1e-12))), index=cdf.index)


def nevada_residuals(cells: pd.DataFrame, title: str = "") -> alt.LayerChart:
    """Lots by return period, coloured by observed − expected; cells outside their 95 % interval
    ringed."""
    data = cells.assign(excess=cells["observed"] - cells["expected"])
    base = alt.Chart(data).encode(
        x=alt.X("period:O", title="return period"), y=alt.Y("lot:O", title="shipment lot")
    )
    tiles = base.mark_rect().encode(
        color=alt.Color("excess:Q", scale=alt.Scale(scheme="redblue", reverse=True, domainMid=0),
                        title="observed − expected"),
        tooltip=["lot:O", "period:O", "observed:Q", alt.Tooltip("expected:Q", format=".1f"),
                 "lower:Q", "upper:Q"],
    )  # fmt: skip
    rings = base.transform_filter("datum.outside").mark_point(shape="square", color="black")
    return (tiles + rings).properties(width=WIDTH * 1.5, height=HEIGHT, title=title)


def forecast_view(monitored: pd.DataFrame, title: str = "") -> alt.HConcatChart:
    """The forecast (:func:`warrantysim.calibration.forecast.monitor`'s frame) and the monitoring
    view. Left: returns per period summed over lots, expected (line) and observed so far
    (points). Right: lot × period coloured by the expected returns, the 95 % prediction interval
    in the tooltip, and a red triangle on every lot-month whose returns exceeded the interval's
    upper bound (``flag``: the early warning)."""
    total = monitored.groupby("period", as_index=False)[["expected", "observed"]].sum(min_count=1)
    line = (
        alt.Chart(total)
        .mark_line(point=True)
        .encode(x=alt.X("period:O", title="return period"), y=alt.Y("expected:Q", title="returns"))
    )
    seen = alt.Chart(total.dropna()).mark_point(color="black").encode(x="period:O", y="observed:Q")
    cells = alt.Chart(monitored).encode(
        x=alt.X("period:O", title="return period"), y=alt.Y("lot:O", title="shipment lot")
    )
    tiles = cells.mark_rect().encode(
        color=alt.Color("expected:Q", title="expected returns"),
        tooltip=["lot:O", "period:O", alt.Tooltip("expected:Q", format=".1f"), "lower:Q",
                 "upper:Q", "observed:Q"],
    )  # fmt: skip
    flags = cells.transform_filter("datum.flag").mark_point(
        shape="triangle-up", color="red", filled=True, size=40
    )
    totals = (line + seen).properties(width=WIDTH, height=HEIGHT, title="all lots")
    lots = (tiles + flags).properties(
        width=WIDTH, height=HEIGHT, title="by lot (▲ above the 95 % bound)"
    )
    return alt.hconcat(totals, lots).properties(title=title)
