"""The proposal's answer in one sentence, from the paired differences against the base.

The decision KPI is the first headline KPI, the NPV of cash after tax (``headline.py``: value
is cash; accounting treatments move profit between years, not cash). The best policy is the one
with the highest mean paired difference; it is adopted when its 95 % interval lies above zero,
the base is kept when every policy's interval lies below zero; when the best policy equals the
base in every replication (accounting alone moves no cash) the sentence says so, and otherwise
it says the runs cannot tell (and that more replications would).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from warrantysim.headline import HEADLINE_KPIS
from warrantysim.report import tables
from warrantysim.report.figures import PolicyResults
from warrantysim.report.i18n import Labels

DECISION_KPI = HEADLINE_KPIS[0]


class Verdict(StrEnum):
    ADOPT = "adopt"
    KEEP = "keep"
    UNCLEAR = "unclear"
    SAME = "same"
    """Every policy's value equals the base's in every replication (to a fen)."""


@dataclass(frozen=True)
class Decision:
    """The best policy against the base on ``kpi``: its paired difference and how often it wins."""

    verdict: Verdict
    kpi: str
    base: str
    policy: str
    difference: float
    low: float
    high: float
    wins: int
    n: int


def decide(comparison: PolicyResults, kpi: str = DECISION_KPI) -> Decision | None:
    """The decision, or None with a single policy (nothing to decide between)."""
    c = comparison
    diffs = tables.paired_differences(c.kpis, c.base, [kpi])
    if diffs.empty:
        return None
    best = diffs.sort_values("difference", ascending=False).iloc[0]
    shares = tables.win_share(c.kpis, c.base, kpi)
    wins = shares[shares[tables.POLICY] == str(best["policy"])].iloc[0]
    return Decision(
        verdict=_verdict(
            float(best["lo"]), diffs["hi"].max(), _largest_gap(c, kpi, str(best["policy"]))
        ),
        kpi=kpi,
        base=c.base,
        policy=str(best["policy"]),
        difference=float(best["difference"]),
        low=float(best["lo"]),
        high=float(best["hi"]),
        wins=int(wins["wins"]),
        n=int(wins["n"]),
    )


SAME_WITHIN_YUAN = 0.01
"""A fen: differences below it are rounding in the books, not a policy's effect."""


def _largest_gap(c: PolicyResults, kpi: str, policy: str) -> float:
    """The largest |policy − base| over the paired replications."""
    wide = c.kpis.pivot(index=tables.REPLICATION, columns=tables.POLICY, values=kpi)
    return float((wide[policy] - wide[c.base]).abs().max())


def _verdict(best_low: float, highest_high: float, largest_gap: float) -> Verdict:
    if largest_gap < SAME_WITHIN_YUAN:
        return Verdict.SAME
    if math.isfinite(best_low) and best_low > 0:
        return Verdict.ADOPT
    if math.isfinite(highest_high) and highest_high < 0:
        return Verdict.KEEP
    return Verdict.UNCLEAR


def sentence(decision: Decision, labels: Labels) -> str:
    """The decision as one sentence in ``labels``' language and money unit."""
    d = decision
    # "lowers ... by X": a keep sentence gives the shortfall as a positive amount.
    sign = -1.0 if d.verdict is Verdict.KEEP else 1.0
    low, high = sorted((sign * d.low, sign * d.high))
    share = labels.percent(d.wins / d.n if d.n else math.nan, 0)
    return labels(d.verdict.value).format(
        policy=d.policy,
        base=d.base,
        kpi=labels(d.kpi),
        diff=labels.amount(sign * d.difference),
        lo=labels.amount(low),
        hi=labels.amount(high),
        unit=labels.money,
        wins=d.wins,
        n=d.n,
        share=share,
    )
