"""The self-contained HTML report: text, tables and charts, the Vega bundle inlined once.

Everything a reader sees that came from a user (scenario names, descriptions) is HTML-escaped, and
the chart specs are embedded as JSON with ``<`` escaped, so a ``<script>`` in a description stays
text. The page sets ``data-charts-rendered`` on ``<body>`` when vega-embed has drawn every chart,
which is what the browser test and the PDF export wait for.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import vl_convert as vlc

from warrantysim.accounting.units import is_money
from warrantysim.report import tables
from warrantysim.report.figures import PolicyResults
from warrantysim.report.i18n import Labels, Lang

CJK_FONT = "Noto Sans CJK SC"
_CSS = f"""
@page {{ size: A4; margin: 15mm 12mm; }}
body {{ font-family: "Noto Sans", "DejaVu Sans", "{CJK_FONT}", sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: 0.85em; }}
th, td {{ border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
.chart {{ margin: 1.5em 0; page-break-inside: avoid; }}
.desc {{ color: #555; }}
"""


@functools.cache
def vega_bundle() -> str:
    """vega, vega-lite and vega-embed as one script that defines them on ``window`` (offline)."""
    return str(vlc.javascript_bundle(None))  # type: ignore[arg-type]  # None = the default snippet


def render(comparison: PolicyResults, specs: Mapping[str, dict[str, Any]], labels: Labels) -> str:
    """The report page for ``comparison`` with the charts ``specs`` (Vega-Lite dicts, by name)."""
    body = "\n".join(
        [
            f"<h1>{_e(labels('report_title'))}</h1>",
            _policies_section(comparison, labels),
            _comparison_section(comparison, labels),
            *(f'<div class="chart" id="chart-{_e(n)}"></div>' for n in specs),
            _statements_section(comparison, labels),
            f"<p class='desc'>{_e(labels('generated'))}</p>",
        ]
    )
    lang = "zh-CN" if labels.lang is Lang.ZH else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{_e(labels('report_title'))}</title><style>{_CSS}</style>"
        f"<script>{_safe_script(vega_bundle())}</script></head>\n<body>\n{body}\n"
        f"<script>{_embed_script(specs)}</script>\n</body></html>\n"
    )


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _safe_script(js: str) -> str:
    # A literal "</script" inside the bundle would end the element early.
    return js.replace("</script", "<\\/script")


def _embed_script(specs: Mapping[str, dict[str, Any]]) -> str:
    payload = json.dumps(dict(specs), ensure_ascii=False).replace("<", "\\u003c")
    return (
        f"const specs = {payload};\n"
        "const opts = {renderer: 'svg', actions: false};\n"
        "Promise.all(Object.entries(specs).map(([n, s]) => vegaEmbed('#chart-' + n, s, opts)))\n"
        "  .then(() => { document.body.dataset.chartsRendered = Object.keys(specs).length; })\n"
        "  .catch((e) => { document.body.dataset.chartsError = String(e); });\n"
    )


def _policies_section(c: PolicyResults, labels: Labels) -> str:
    items = "".join(
        f"<li><b>{_e(p)}</b> <span class='desc'>{_e(c.descriptions.get(p, ''))}</span></li>"
        for p in c.policies
    )
    n = f"{c.replications} {labels('replications')}"
    return f"<h2>{_e(labels('scenarios'))}</h2><ul>{items}</ul><p>{_e(n)}</p>"


def _comparison_section(c: PolicyResults, labels: Labels) -> str:
    return (
        f"<h2>{_e(labels('comparison'))}</h2>"
        + _table(kpi_table(c, labels))
        + _table(difference_table(c, labels))
    )


def _fmt(value: float, metric: str, labels: Labels) -> str:
    if not np.isfinite(value):
        return "n/a"  # an interval from a single replication
    if is_money(metric):
        return labels.amount(value)
    return f"{value:,.3f}"


def kpi_table(c: PolicyResults, labels: Labels) -> pd.DataFrame:
    """Mean and 95 % CI of each KPI per policy, formatted for reading."""
    means = c.kpi_means()
    groups = {str(m): g for m, g in means.groupby("metric", sort=False)}
    rows = {
        (labels(m) + (f" ({labels.money})" if is_money(m) else "")): {
            str(r["policy"]): f"{_fmt(r['mean'], m, labels)} "
            f"[{_fmt(r['lo'], m, labels)}, {_fmt(r['hi'], m, labels)}]"
            for _, r in group.iterrows()
        }
        for m, group in groups.items()
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis(labels("kpi"))


def difference_table(c: PolicyResults, labels: Labels) -> pd.DataFrame:
    """Each KPI's difference from the base policy (a column per policy), paired by replication,
    with its 95 % CI."""
    diff = c.differences()
    cells = {
        (labels(str(r["kpi"])), str(r["policy"])): _interval(r, str(r["kpi"]), labels)
        for r in diff.to_dict("records")
    }
    index = pd.MultiIndex.from_tuples(list(cells), names=[labels("kpi"), labels("policy")])
    table = pd.Series(list(cells.values()), index=index).unstack(labels("policy"))
    table = table.reindex(index.get_level_values(0).unique())
    table.columns.name = f"{labels('difference')} ({c.base}), 95% CI"
    return table


def _interval(row: Mapping[Hashable, Any], kpi: str, labels: Labels) -> str:
    mean, lo, hi = (_fmt(float(row[k]), kpi, labels) for k in ("difference", "lo", "hi"))
    return f"{mean} [{lo}, {hi}]"


def _statements_section(c: PolicyResults, labels: Labels) -> str:
    parts = [f"<h2>{_e(labels('statements'))} ({_e(labels.money)})</h2>"]
    for policy in c.policies:
        block = tables.annual_statement(c.annual, policy, tables.STATEMENT_LINES)
        shown = block.apply(lambda row: row.map(lambda v, n=row.name: _fmt(v, n, labels)), axis=1)
        shown.index = [labels(str(i)) for i in shown.index]
        shown.columns = [f"{labels('fiscal_year')} {y}" for y in shown.columns]
        parts.append(f"<h3>{_e(policy)}</h3>" + _table(shown.rename_axis(labels("line"))))
    return "\n".join(parts)


def _table(frame: pd.DataFrame) -> str:
    # to_html escapes cell text and headers (escape=True is its default).
    return frame.to_html(escape=True, border=0)
