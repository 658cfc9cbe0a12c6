"""How one number, one interval and one table look in the report (HTML-escaped throughout)."""

from __future__ import annotations

import html
import math

import pandas as pd

from warrantysim.accounting.units import Unit, unit_of
from warrantysim.report.i18n import Labels


def e(text: object) -> str:
    return html.escape(str(text), quote=True)


def fmt(value: float, metric: str, labels: Labels) -> str:
    """A value of ``metric``: money in the chosen unit, shares as percentages, counts by
    :func:`~warrantysim.report.i18n.count_decimals`, else 3 decimals."""
    if not math.isfinite(value):
        return labels("not_available")  # e.g. an interval from a single replication
    shown = labels.in_unit(value, metric)
    return shown if shown is not None else f"{value:,.3f}"


_NEVER_NEGATIVE = (Unit.SHARE, Unit.COUNT, Unit.PER_UNIT, Unit.DAYS, Unit.MONTHS, Unit.PER_YEAR)


def shown_bounds(low: float, high: float, metric: str) -> tuple[float, float]:
    """The interval of a level (not of a difference) as shown: a share's clipped to [0, 1],
    a count's, a wait's or a rate's lower end at 0.

    The Student-t interval is symmetric, so near 100 % (or 0) it crosses a bound the level
    cannot: 98.60 % ± 1.41 % is shown [97.19 %, 100.00 %], a mean wait of 0.025 ± 0.040 days
    [0, 0.065]. The stored numbers stay as computed.
    """
    unit = unit_of(metric)
    if unit in _NEVER_NEGATIVE:
        low, high = max(low, 0.0), max(high, 0.0)
    if unit is Unit.SHARE:
        low, high = min(low, 1.0), min(high, 1.0)
    return low, high


def interval(mean: float, low: float, high: float, metric: str, labels: Labels) -> str:
    return f"{fmt(mean, metric, labels)} [{fmt(low, metric, labels)}, {fmt(high, metric, labels)}]"


def table(frame: pd.DataFrame, *, index: bool = True) -> str:
    """``frame`` as an HTML table. The index's name moves to the header's corner cell (where
    the columns have no name of their own): ``to_html`` would give it a header row of its own,
    empty but for that name (an empty 政策 row on the first page)."""
    flat = index and frame.index.nlevels == 1 and frame.columns.nlevels == 1
    if flat and frame.index.name is not None:
        corner = frame.columns.name if frame.columns.name is not None else frame.index.name
        frame = frame.rename_axis(index=None, columns=str(corner))
    # to_html escapes cell text and headers (escape=True is its default).
    return frame.to_html(escape=True, border=0, index=index)


def heading(level: int, text: str) -> str:
    return f"<h{level}>{e(text)}</h{level}>"
