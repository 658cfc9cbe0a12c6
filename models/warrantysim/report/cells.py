"""How one number, one interval and one table look in the report (HTML-escaped throughout)."""

from __future__ import annotations

import html
import math

import pandas as pd

from warrantysim.accounting.units import Unit, is_money, unit_of
from warrantysim.report.i18n import Labels


def e(text: object) -> str:
    return html.escape(str(text), quote=True)


def fmt(value: float, metric: str, labels: Labels) -> str:
    """A value of ``metric``: money in the chosen unit, shares as percentages, else 3 decimals."""
    if not math.isfinite(value):
        return labels("not_available")  # e.g. an interval from a single replication
    if is_money(metric):
        return labels.amount(value)
    if unit_of(metric) is Unit.SHARE:
        return labels.percent(value, 2)
    return f"{value:,.3f}"


def interval(mean: float, low: float, high: float, metric: str, labels: Labels) -> str:
    return f"{fmt(mean, metric, labels)} [{fmt(low, metric, labels)}, {fmt(high, metric, labels)}]"


def table(frame: pd.DataFrame, *, index: bool = True) -> str:
    # to_html escapes cell text and headers (escape=True is its default).
    return frame.to_html(escape=True, border=0, index=index)


def heading(level: int, text: str) -> str:
    return f"<h{level}>{e(text)}</h{level}>"
