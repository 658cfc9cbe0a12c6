"""Summaries of replicated results that charts, the workbench and the report show.

Inputs are the frames of :func:`warrantysim.api.simulate` (``kpis``, ``monthly``, ``annual``),
one set per policy, stacked with a ``policy`` column by :func:`stack`. Intervals are Student-t
intervals of a mean over replications: mean ± t(0.975, n−1)·s/√n. Differences between policies are
paired by replication, because replication r of every policy shares its random numbers (common
random numbers, docs/design.md), which is what makes the paired interval the right, tight one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from warrantysim.accounting.chart import PNL_COLUMNS, WRITEDOWN_COLUMNS
from warrantysim.headline import HEADLINE_KPIS
from warrantysim.stats import half_width

POLICY = "policy"
REPLICATION = "replication"
CONFIDENCE = 0.95
WRITEDOWN_KINDS = WRITEDOWN_COLUMNS
CAP_COLUMN = "book_value_cap_limit"
STATEMENT_LINES = (
    *PNL_COLUMNS,
    "profit",
    "performance_profit",
    "spares_book_value_end",
    CAP_COLUMN,
    "warranty_provision_end",
    "units_sold",
    "claims",
)
"""The lines of the annual statement a reader sees (the Excel workbook has every column)."""


def stack(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One frame with a ``policy`` column (ordered as given) from a frame per policy."""
    parts = [frame.assign(**{POLICY: name}) for name, frame in frames.items()]
    out = pd.concat(parts, ignore_index=True)
    out[POLICY] = pd.Categorical(out[POLICY], categories=list(frames), ordered=True)
    return out


def mean_ci(frame: pd.DataFrame, by: Sequence[str], value: str) -> pd.DataFrame:
    """Mean of ``value`` over replications per group, with its 95 % t-interval (lo, hi)."""
    grouped = frame.groupby(list(by), observed=True)[value]
    out = grouped.agg(["mean", "std", "count"]).reset_index()
    half = half_width(out["std"], out["count"])
    return out.assign(lo=out["mean"] - half, hi=out["mean"] + half).drop(columns="std")


def long_mean_ci(frame: pd.DataFrame, by: Sequence[str], values: Sequence[str]) -> pd.DataFrame:
    """:func:`mean_ci` of several columns, stacked with a ``metric`` column."""
    parts = [mean_ci(frame, by, v).assign(metric=v) for v in values if v in frame]
    return pd.concat(parts, ignore_index=True)


def band(frame: pd.DataFrame, by: Sequence[str], value: str, q: float = 0.05) -> pd.DataFrame:
    """Mean and the q / 1−q quantiles of ``value`` across replications (the spread of outcomes)."""
    # A replication per column, then numpy's quantile along rows: pandas' grouped quantile
    # loops over groups in Python, which was most of a dashboard update's time.
    wide = frame.set_index([*by, REPLICATION])[value].unstack(REPLICATION)
    values = wide.to_numpy(dtype=float)
    # nanquantile works row by row in Python; with every replication present (the rule) the
    # vectorised quantile gives the same numbers.
    quantile = np.nanquantile if np.isnan(values).any() else np.quantile
    out = pd.DataFrame(
        {
            "mean": np.nanmean(values, axis=1),
            "lo": quantile(values, q, axis=1),
            "hi": quantile(values, 1.0 - q, axis=1),
        },
        index=wide.index,
    )
    return out.reset_index()


def cumulative_profit(monthly: pd.DataFrame) -> pd.DataFrame:
    """Per policy and month: mean cumulative profit and its 5–95 % band over replications."""
    ordered = monthly.sort_values([POLICY, REPLICATION, "month"])
    cum = ordered.groupby([POLICY, REPLICATION], observed=True)["profit"].cumsum()
    return band(ordered.assign(cumulative_profit=cum), [POLICY, "month"], "cumulative_profit")


def writedowns_by_kind(annual: pd.DataFrame) -> pd.DataFrame:
    """Mean write-down per policy, fiscal year and kind (long), as a positive expense amount."""
    kinds = [k for k in WRITEDOWN_KINDS if k in annual]
    means = annual.groupby([POLICY, "fiscal_year"], observed=True)[kinds].mean().reset_index()
    out = means.melt([POLICY, "fiscal_year"], kinds, var_name="kind", value_name="amount")
    # Ledger sign conventions differ between expense lines; a chart of losses shows magnitudes.
    out = out.assign(amount=out["amount"].abs())
    # A panel per policy that writes something down, a colour per kind that occurs.
    some = out.groupby(POLICY, observed=True)["amount"].transform("sum") > 0
    kinds_seen = out.groupby("kind")["amount"].transform("sum") > 0
    return out[some & kinds_seen].reset_index(drop=True)


def paired_differences(
    kpis: pd.DataFrame, base: str, metrics: Sequence[str] = HEADLINE_KPIS
) -> pd.DataFrame:
    """Each policy's KPI minus the base policy's, paired by replication, with a 95 % t-interval."""
    rows = []
    wide = {
        m: kpis.pivot(index=REPLICATION, columns=POLICY, values=m) for m in metrics if m in kpis
    }
    for metric, table in wide.items():
        for policy in table.columns:
            if policy == base:
                continue
            rows.append(_diff_row(metric, str(policy), table[base], table[policy]))
    return pd.DataFrame(rows, columns=["kpi", POLICY, "base", "mean", "difference", "lo", "hi"])


def _diff_row(metric: str, policy: str, base: pd.Series, other: pd.Series) -> dict[str, object]:
    diff = (other - base).dropna()
    half = float(half_width(diff.std(), len(diff)))
    mean_diff = float(diff.mean())
    return {
        "kpi": metric,
        POLICY: policy,
        "base": float(base.mean()),
        "mean": float(other.mean()),
        "difference": mean_diff,
        "lo": mean_diff - half,
        "hi": mean_diff + half,
    }


def book_value_over_time(monthly: pd.DataFrame) -> pd.DataFrame:
    """Mean month-end spares book value per policy and month, with the cap where known.

    The ledger records the cap at the year end that tests it (NaN in the other months); here
    each month of a fiscal year carries the cap its year end applies, so it draws as steps.
    The last year is not tested when the business ends at the horizon (the end-of-life
    write-off takes the whole stock there, :mod:`warrantysim.accounting.cap_plan`), and a year
    cut short by the horizon has no year end: both carry the last cap tested forward, so the
    line runs to the horizon at the level that last applied (a reading aid; the books are not
    changed).
    """
    out = band(monthly, [POLICY, "month"], "spares_book_value_end")
    if CAP_COLUMN in monthly:
        cap = monthly.groupby([POLICY, "month"], observed=True)[CAP_COLUMN].mean()
        years = monthly.groupby([POLICY, "month"], observed=True)["fiscal_year"].first()
        frame = pd.DataFrame({CAP_COLUMN: cap, "fiscal_year": years}).reset_index()
        by_year = frame.groupby([POLICY, "fiscal_year"], observed=True)[CAP_COLUMN]
        frame[CAP_COLUMN] = by_year.transform("mean")
        frame = frame.sort_values([POLICY, "month"])
        frame[CAP_COLUMN] = frame.groupby(POLICY, observed=True)[CAP_COLUMN].ffill()
        out = out.merge(frame.drop(columns="fiscal_year"), on=[POLICY, "month"], how="left")
    return out


def cumulative_difference(monthly: pd.DataFrame, base: str) -> pd.DataFrame:
    """Per policy other than ``base`` and month: the cumulative profit minus the base's, paired
    by replication, its mean and 5–95 % band (where the policies part, which the level hides)."""
    ordered = monthly.sort_values([POLICY, REPLICATION, "month"])
    cum = ordered.assign(
        cumulative=ordered.groupby([POLICY, REPLICATION], observed=True)["profit"].cumsum()
    )
    wide = cum.pivot_table(
        index=[REPLICATION, "month"], columns=POLICY, values="cumulative", observed=True
    )
    others = [p for p in wide.columns if p != base]
    long = wide[others].sub(wide[base], axis=0).reset_index()
    diff = long.melt([REPLICATION, "month"], var_name=POLICY, value_name="difference")
    out = band(diff, [POLICY, "month"], "difference")
    # The base stays a category (with no rows) so charts give each policy its usual colour.
    every = [str(p) for p in wide.columns]
    out[POLICY] = pd.Categorical(out[POLICY].astype(str), every, ordered=True)
    return out


def paired_by_year(annual: pd.DataFrame, base: str, lines: Sequence[str]) -> pd.DataFrame:
    """Each policy's annual line minus the base's, paired by replication, per fiscal year, with
    its 95 % t-interval: columns ``policy``, ``line``, ``fiscal_year``, ``difference``, ``lo``,
    ``hi``."""
    rows = []
    for line in (x for x in lines if x in annual):
        wide = annual.pivot_table(
            index=[REPLICATION, "fiscal_year"], columns=POLICY, values=line, observed=True
        )
        for policy in (p for p in wide.columns if p != base):
            diff = (wide[policy] - wide[base]).rename("d").reset_index()
            stats = mean_ci(diff.assign(policy=policy), [POLICY, "fiscal_year"], "d")
            rows.append(stats.assign(line=line).rename(columns={"mean": "difference"}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


WIN_RELATIVE = 1e-9
"""Differences below this share of the base's value are rounding, not a policy's effect."""


def win_share(kpis: pd.DataFrame, base: str, metric: str) -> pd.DataFrame:
    """Per policy other than ``base``: in how many paired replications its ``metric`` is higher
    than the base's (``wins``), of ``n``, and the share. Higher means by more than float noise
    (:data:`WIN_RELATIVE` of the base's value): sums taken in another order are no win."""
    wide = kpis.pivot(index=REPLICATION, columns=POLICY, values=metric)
    noise = WIN_RELATIVE * wide[base].abs()
    rows = [
        {
            POLICY: str(p),
            "wins": int((wide[p] - wide[base] > noise).sum()),
            "n": int(wide[p].notna().sum()),
        }
        for p in wide.columns
        if p != base
    ]
    out = pd.DataFrame(rows, columns=[POLICY, "wins", "n"])
    return out.assign(share=out["wins"] / out["n"].where(out["n"] > 0))


def annual_statement(
    annual: pd.DataFrame, policy: str, lines: Sequence[str] | None = None
) -> pd.DataFrame:
    """A policy's mean annual statement: rows are ledger lines (or ``lines``), columns years."""
    skip = {POLICY, REPLICATION, "fiscal_year"}
    wanted = [str(c) for c in annual if c not in skip] if lines is None else list(lines)
    lines = [c for c in wanted if c in annual]
    numeric = [c for c in lines if pd.api.types.is_numeric_dtype(annual[c])]
    rows = annual[annual[POLICY] == policy]
    return rows.groupby("fiscal_year")[numeric].mean().T


STATEMENT_KEYS = ("period", "number", "fiscal_year", REPLICATION, POLICY)
"""Columns of a CAS statement table that are keys, not lines (``accounting/cas.py``)."""


def cas_statement(statement: pd.DataFrame, policy: str) -> pd.DataFrame:
    """A policy's mean CAS statement by fiscal year: rows are its lines (in the table's order),
    columns fiscal years."""
    lines = [c for c in statement if c not in STATEMENT_KEYS]
    rows = statement[(statement[POLICY] == policy) & (statement["period"] == "year")]
    return rows.groupby("fiscal_year")[lines].mean().T
