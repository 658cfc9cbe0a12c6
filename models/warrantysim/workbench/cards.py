"""The answer first: one card per policy against the chosen base, then the spread of the difference.

Each card gives, for the few KPIs a decision rests on, the paired difference policy − base with
its 95 % t-interval (:func:`warrantysim.stats.paired_interval`: replications share their random
numbers, so the difference's interval is far tighter than the two policies' own intervals, which
overlap and would suggest "no difference"), and the share of paired replications in which the
policy beats the base. A difference whose interval excludes zero marks the better policy; one
whose interval straddles zero says so. Every number carries its exact value in ``data-value``
(with ``data-card`` and ``data-kpi``) so browser tests can compare the page with the API.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Literal

import altair as alt
import numpy as np
import pandas as pd

from warrantysim.accounting.units import Unit, is_money, unit_of
from warrantysim.charts_figure import Figure
from warrantysim.report import tables
from warrantysim.report.figures import PolicyResults
from warrantysim.report.i18n import Labels
from warrantysim.stats import Interval, paired_interval

CARD_KPIS = ("lifetime_profit_after_tax", "npv_cash", "lifetime_performance_profit", "fill_rate")
"""Lifetime profit after tax, the NPV of cash, appraisal profit, service.

Higher is better for each, so "beats" means a larger value in the same replication."""
DISTRIBUTION_KPI = "lifetime_profit_after_tax"
TIE_YUAN = 0.5
"""Two amounts closer than half a yuan are a tie, not a win: policies that book the same
money differ by float rounding only (their sums run in another order)."""
TIE_SHARE = 0.5e-4
"""Two shares closer than half of 0.01 % are a tie."""
Verdict = Literal["better", "worse", "unclear"]
VERDICT_TEXT: dict[Verdict, str] = {
    "better": "▲ better",
    "worse": "▼ worse",
    "unclear": "≈ no clear difference",
}


@dataclass(frozen=True)
class CardLine:
    """One KPI of one card: the paired difference, its interval and the share of wins."""

    kpi: str
    base_mean: float
    difference: Interval
    wins: float
    """Share of paired replications in which the policy's value exceeds the base's."""

    @property
    def verdict(self) -> Verdict:
        d = self.difference
        if not math.isfinite(d.half_width) or d.low <= 0.0 <= d.high:
            return "unclear"
        return "better" if d.mean > 0 else "worse"


def card_kpis(comparison: PolicyResults) -> list[str]:
    return [k for k in CARD_KPIS if k in comparison.kpis]


def by_replication(comparison: PolicyResults, kpis: list[str]) -> pd.DataFrame:
    """``kpis`` by replication, a column per (kpi, policy): one pivot for every card."""
    return comparison.kpis.pivot(index=tables.REPLICATION, columns=tables.POLICY, values=kpis)


def paired(wide: pd.DataFrame, kpi: str, base: str, policy: str) -> pd.DataFrame:
    """The base's and the policy's ``kpi`` by replication, on the replications both have
    (``wide``: :func:`by_replication`)."""
    pair = wide.loc[:, [(kpi, base), (kpi, policy)]].dropna()
    return pair.set_axis([base, policy], axis=1)


def card_lines(
    comparison: PolicyResults, base: str, policy: str, wide: pd.DataFrame | None = None
) -> list[CardLine]:
    lines = []
    kpis = card_kpis(comparison)
    wide = by_replication(comparison, kpis) if wide is None else wide
    for kpi in kpis:
        pair = paired(wide, kpi, base, policy)
        x, y = pair[base].to_numpy(), pair[policy].to_numpy()
        tie = TIE_YUAN if is_money(kpi) else TIE_SHARE
        wins = float(np.mean(y - x > tie)) if len(x) else math.nan
        lines.append(CardLine(kpi, float(np.mean(x)), paired_interval(x, y), wins))
    return lines


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _amount(kpi: str, value: float, labels: Labels, signed: bool = False) -> str:
    """``value`` as shown: money in the unit, shares in % (a difference in percentage points),
    the sign taken from the shown figure (no "+0.00" for float noise)."""
    if not math.isfinite(value):
        return "n/a"
    if is_money(kpi):
        shown, text = labels.money_unit.shown(value), labels.amount(value)
    elif unit_of(kpi) is Unit.SHARE:
        shown = round(100 * value, 2) + 0.0
        text = f"{shown:.2f}" + (" pp" if signed else "%")
    else:
        shown = round(value, 3) + 0.0
        text = f"{shown:.3f}"
    return f"+{text}" if signed and shown > 0 else text


def _line_html(policy: str, line: CardLine, labels: Labels) -> str:
    d = line.difference
    attrs = f"data-card='{_e(policy)}' data-kpi='{_e(line.kpi)}' data-value='{d.mean!r}'"
    interval = (
        f"[{_amount(line.kpi, d.low, labels, True)}, {_amount(line.kpi, d.high, labels, True)}]"
    )
    wins = "n/a" if not math.isfinite(line.wins) else f"{line.wins:.0%}"
    return (
        f"<tr class='ws-{line.verdict}'><th>{_e(labels(line.kpi))}</th>"
        f"<td {attrs}><b>{_amount(line.kpi, d.mean, labels, True)}</b>"
        f" <small>{interval}</small></td>"
        f"<td data-wins='{line.wins!r}'>{wins}</td><td>{VERDICT_TEXT[line.verdict]}</td></tr>"
    )


def _card_html(
    comparison: PolicyResults, base: str, policy: str, labels: Labels, wide: pd.DataFrame
) -> str:
    lines = card_lines(comparison, base, policy, wide)
    head = lines[0].verdict if lines else "unclear"
    rows = "".join(_line_html(policy, line, labels) for line in lines)
    title = f"{_e(policy)} <small>vs {_e(base)}</small>"
    heading = "<tr><th></th><th>difference, 95% CI</th><th>beats base</th><th></th></tr>"
    return (
        f"<div class='ws-card ws-card-{head}' data-policy='{_e(policy)}'>"
        f"<div class='ws-card-title'>{title}</div><table>{heading}{rows}</table></div>"
    )


def cards_html(comparison: PolicyResults, base: str, labels: Labels) -> str:
    """A card per policy other than ``base``: the answer to "which is better, and by how much"."""
    others = [p for p in comparison.policies if p != base]
    if not others:
        return "<div class='ws-cards'><i>Select a second policy to compare with the base.</i></div>"
    wide = by_replication(comparison, card_kpis(comparison))
    cards = "".join(_card_html(comparison, base, p, labels, wide) for p in others)
    note = (
        f"<div class='ws-card-note'>Paired by replication ({comparison.replications} "
        f"{_e(labels('replications'))}, same random numbers); money in {_e(labels.money)}.</div>"
    )
    return f"<div class='ws-cards'>{cards}</div>{note}"


CARD_STYLE = """
.ws-cards { display: flex; flex-wrap: wrap; gap: 0.6em; }
.ws-card { border: 1px solid #bbb; border-radius: 6px; padding: 0.4em 0.7em; min-width: 30em; }
.ws-card-better { border-left: 6px solid #2e7d32; }
.ws-card-worse { border-left: 6px solid #c62828; }
.ws-card-unclear { border-left: 6px solid #9e9e9e; }
.ws-card-title { font-weight: bold; font-size: 1.1em; }
.ws-card tr.ws-better td:last-child { color: #2e7d32; font-weight: bold; }
.ws-card tr.ws-worse td:last-child { color: #c62828; font-weight: bold; }
.ws-card td, .ws-card th { padding: 0 0.5em; text-align: left; }
.ws-card-note { color: #555; font-size: 0.85em; }
"""


def difference_frame(comparison: PolicyResults, base: str, kpi: str) -> pd.DataFrame:
    """Per policy and replication: the paired difference policy − base of ``kpi``."""
    rows: list[dict[str, object]] = []
    wide = by_replication(comparison, [kpi]) if kpi in comparison.kpis else None
    for policy in comparison.policies:
        if policy == base or wide is None:
            continue
        pair = paired(wide, kpi, base, policy)
        diff = pair[policy] - pair[base]
        rows += [
            {"policy": policy, "replication": r, "difference": float(v)}
            for r, v in zip(diff.index.astype(int), diff.to_numpy(), strict=True)
        ]
    frame = pd.DataFrame(rows, columns=["policy", "replication", "difference"])
    return frame.astype({"policy": str, "replication": int, "difference": float})


def difference_chart(comparison: PolicyResults, base: str, labels: Labels) -> Figure:
    """Each replication's paired difference as a tick on a line per policy, with a zero rule."""
    kpi = DISTRIBUTION_KPI
    frame = difference_frame(comparison, base, kpi)
    scale = labels.money_unit.divisor if is_money(kpi) else 1.0
    frame = frame.assign(difference=frame["difference"] / scale)
    shape = (labels, kpi, base, int(frame["policy"].nunique()))
    return Figure(_difference_chart, shape, {"difference": frame})


def _difference_chart(labels: Labels, kpi: str, base: str, policies: int) -> alt.LayerChart:
    title = f"{labels(kpi)}: policy − {base} per replication ({labels.money})"
    x = alt.X("difference:Q", title=title)
    ticks = (
        alt.Chart(alt.NamedData("difference"))
        .mark_tick(thickness=2, size=18)
        .encode(
            x=x,
            y=alt.Y("policy:N", title=None),
            color=alt.Color("policy:N", legend=None),
            tooltip=["policy:N", "replication:Q", alt.Tooltip("difference:Q", format=",.1f")],
        )
    )
    zero = alt.Chart(pd.DataFrame({"difference": [0.0]})).mark_rule(strokeDash=[4, 3]).encode(x=x)
    return (zero + ticks).properties(width=520, height=max(40, 36 * policies))
