"""The sections of the proposal, in reading order: the first page (the decision, the key numbers
with intervals, the assumptions that drive them), the policies, the statements per policy, the
variance against the base by year, and the assumptions appendix.

Every function takes a comparison whose policies already carry their shown names
(:meth:`PolicyResults.localised`) and returns HTML with every user-given text escaped.
"""

from __future__ import annotations

import pandas as pd

from warrantysim.headline import HEADLINE_KPIS
from warrantysim.report import assumptions, tables
from warrantysim.report.cells import e, fmt, heading, interval, shown_bounds, table
from warrantysim.report.decision import DECISION_KPI, decide, sentence
from warrantysim.report.figures import STATEMENT_TABLES, PolicyResults
from warrantysim.report.i18n import Labels

FIRST_PAGE_KPIS = 6
"""Headline KPIs on the first page (the comparison section below has them all)."""
FIRST_PAGE_CHANGES = 4
"""Changed settings listed on the first page per policy (the appendix lists them all)."""
VARIANCE_LINES = (
    "revenue",
    "cost_of_sales",
    "profit",
    "performance_profit",
    "profit_after_tax",
    "cash_flow",
    "spares_book_value_end",
)


def first_page(c: PolicyResults, labels: Labels) -> str:
    decision = decide(c)
    said = sentence(decision, labels) if decision else ""
    seed = _base_setting(c, "simulation", "seed")
    runs = labels("runs").format(n=c.replications, seed=seed if seed is not None else "?")
    kpis = HEADLINE_KPIS[:FIRST_PAGE_KPIS]
    parts = [
        heading(1, labels("report_title")),
        heading(2, labels("decision")),
        f"<p class='decision'>{e(said)}</p><p class='desc'>{e(runs)}</p>",
        heading(2, labels("key_numbers")),
        table(_by_policy(kpi_table(c, labels, kpis), labels)),
    ]
    if len(c.policies) > 1:
        differences = _by_policy(difference_table(c, labels, kpis), labels)
        parts += [heading(2, labels("key_differences")), table(differences)]
    parts.append(_drivers(c, labels))
    return "<section class='first-page'>" + "\n".join(parts) + "</section>"


def _by_policy(frame: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """A row per policy, a column per KPI: the first page's shape, which any number of policies
    fits (a column per policy would run off an A4 page beyond four)."""
    out = frame.T
    out.index.name, out.columns.name = labels("policy"), None
    return out


def _base_setting(c: PolicyResults, section: str, key: str) -> object:
    info = c.infos.get(c.base)
    values = info.scenario.get(section) if info else None
    return values.get(key) if isinstance(values, dict) else None


def _drivers(c: PolicyResults, labels: Labels) -> str:
    settings = assumptions.settings_table(c, labels, assumptions.DRIVERS)
    if settings.empty:
        return ""
    # The base's values; what each policy changes follows (the appendix has every column).
    out = heading(2, labels("drivers")) + table(settings[[c.base]])
    changes = assumptions.changes_table(c, labels)
    if not changes.empty:
        first = changes.groupby(labels("policy"), sort=False).head(FIRST_PAGE_CHANGES)
        out += heading(3, labels("changes")) + table(first.set_index(labels("policy")))
        if len(changes) > len(first):
            more = labels("more_in_appendix").format(n=len(changes) - len(first))
            out += f"<p class='desc'>{e(more)}</p>"
    return out


def kpi_table(
    c: PolicyResults, labels: Labels, kpis: tuple[str, ...] = HEADLINE_KPIS
) -> pd.DataFrame:
    """Mean and 95 % CI of each KPI per policy, formatted for reading."""
    means = c.kpi_means()
    means = means[means["metric"].isin(kpis)]
    rows = {
        _kpi_label(str(m), labels): {
            str(r["policy"]): interval(
                r["mean"], *shown_bounds(r["lo"], r["hi"], str(m)), str(m), labels
            )
            for _, r in group.iterrows()
        }
        for m, group in means.groupby("metric", sort=False)
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis(labels("kpi"))


def _kpi_label(metric: str, labels: Labels) -> str:
    from warrantysim.accounting.units import is_money

    return labels(metric) + (f" ({labels.money})" if is_money(metric) else "")


def difference_table(
    c: PolicyResults, labels: Labels, kpis: tuple[str, ...] = HEADLINE_KPIS
) -> pd.DataFrame:
    """Each KPI's difference from the base (a column per policy), paired by replication, with
    its 95 % CI; the last row: the share of replications in which the policy's decision KPI
    beats the base's."""
    diff = c.differences()
    diff = diff[diff["kpi"].isin(kpis)]
    rows: dict[str, dict[str, str]] = {}
    for r in diff.to_dict("records"):
        kpi = str(r["kpi"])
        cell = interval(r["difference"], r["lo"], r["hi"], kpi, labels)
        rows.setdefault(_kpi_label(kpi, labels), {})[str(r["policy"])] = cell
    wins = tables.win_share(c.kpis, c.base, DECISION_KPI)
    rows[f"{labels('wins')}: {labels(DECISION_KPI)}"] = {
        str(w["policy"]): f"{w['wins']}/{w['n']} ({labels.percent(w['share'], 0)})"
        for w in wins.to_dict("records")
    }
    frame = pd.DataFrame.from_dict(rows, orient="index").rename_axis(labels("kpi"))
    frame.columns.name = f"{labels('difference')} ({c.base}), {labels('ci')}"
    return frame


def policies_section(c: PolicyResults, labels: Labels) -> str:
    items = "".join(
        f"<li><b>{e(p)}</b> <span class='desc'>{e(c.descriptions.get(p, ''))}</span></li>"
        for p in c.policies
    )
    n = f"{c.replications} {labels('replications')}"
    return f"{heading(2, labels('scenarios'))}<ul>{items}</ul><p>{e(n)}</p>"


def comparison_section(c: PolicyResults, labels: Labels) -> str:
    out = heading(2, labels("comparison")) + table(kpi_table(c, labels))
    return out + (table(difference_table(c, labels)) if len(c.policies) > 1 else "")


def _by_year(frame: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """Rows labelled, columns named by fiscal year (calendar years with a start)."""
    shown = frame.copy()
    shown.index = [labels(str(i)) for i in shown.index]
    shown.columns = [labels.year(int(y)) for y in shown.columns]
    return shown.rename_axis(labels("line"))


def cas_section(c: PolicyResults, labels: Labels) -> str:
    """利润表, 资产负债表 and 现金流量表 of each policy, means by fiscal year."""
    statements = {name: c.statement(name) for name in STATEMENT_TABLES}
    known = {k: v for k, v in statements.items() if v is not None}
    if not known:
        return ""
    parts = [heading(2, f"{labels('cas_statements')} ({labels.money})")]
    for policy in c.policies:
        parts.append(heading(3, policy))
        for name, statement in known.items():
            means = tables.cas_statement(statement, policy)
            shown = _by_year(means.map(labels.amount), labels)
            parts.append(heading(4, labels(name)) + table(shown))
    return "\n".join(parts)


def statements_section(c: PolicyResults, labels: Labels) -> str:
    parts = [heading(2, f"{labels('statements')} ({labels.money})")]
    for policy in c.policies:
        block = tables.annual_statement(c.annual, policy, tables.STATEMENT_LINES)
        shown = block.apply(lambda row: row.map(lambda v, n=row.name: fmt(v, n, labels)), axis=1)
        parts.append(heading(3, policy) + table(_by_year(shown, labels)))
    return "\n".join(parts)


def variance_section(c: PolicyResults, labels: Labels) -> str:
    """Each policy's annual lines minus the base's, paired by replication, with 95 % CIs."""
    diffs = tables.paired_by_year(c.annual, c.base, VARIANCE_LINES)
    if diffs.empty:
        return ""
    parts = [heading(2, f"{labels('variance')} ({labels.money}, {c.base})")]
    for policy, rows in diffs.groupby(tables.POLICY, sort=False):
        cells = rows.assign(
            cell=[
                interval(r["difference"], r["lo"], r["hi"], str(r["line"]), labels)
                for r in rows.to_dict("records")
            ]
        )
        wide = cells.pivot(index="line", columns="fiscal_year", values="cell")
        wide = wide.reindex([x for x in VARIANCE_LINES if x in wide.index])
        parts.append(heading(3, str(policy)) + table(_by_year(wide, labels)))
    return "\n".join(parts)


def appendix(c: PolicyResults, labels: Labels) -> str:
    settings = assumptions.settings_table(c, labels)
    if settings.empty:
        return ""
    parts = [heading(2, labels("assumptions")), table(settings)]
    parts_table = assumptions.parts_table(c, labels)
    if not parts_table.empty:
        parts += [
            heading(3, f"{labels('parts_table')} ({c.base})"),
            table(parts_table, index=False),
        ]
    changes = assumptions.changes_table(c, labels)
    if not changes.empty:
        parts += [heading(3, labels("changes")), table(changes.set_index(labels("policy")))]
    return "<section class='appendix'>" + "\n".join(parts) + "</section>"
