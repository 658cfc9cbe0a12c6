"""The self-contained HTML report: text, tables and charts, the Vega bundle inlined once.

Everything a reader sees that came from a user (scenario names, descriptions) is HTML-escaped, and
the chart specs are embedded as JSON with ``<`` escaped, so a ``<script>`` in a description stays
text. The page sets ``data-charts-rendered`` on ``<body>`` when vega-embed has drawn every chart,
which is what the browser test and the PDF export wait for.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

import vl_convert as vlc

from warrantysim.report import sections
from warrantysim.report.cells import e as _e
from warrantysim.report.figures import PolicyResults
from warrantysim.report.i18n import Labels, Lang

CJK_FONT = "Noto Sans CJK SC"
_CSS = f"""
@page {{ size: A4; margin: 15mm 12mm; }}
body {{ font-family: "Noto Sans", "DejaVu Sans", "{CJK_FONT}", sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; margin: 0.6em 0; font-size: 0.8em; }}
h2 {{ font-size: 1.2em; margin: 0.9em 0 0.3em; }}
th, td {{ border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
tbody th {{ white-space: nowrap; }}
.chart {{ margin: 1.5em 0; page-break-inside: avoid; }}
.desc {{ color: #555; }}
.decision {{ font-size: 1.1em; font-weight: bold; max-width: 50em; }}
.first-page {{ page-break-after: always; }}
.first-page table {{ font-size: 0.72em; }}
.first-page td {{ min-width: 7em; }}
.appendix {{ page-break-before: always; }}
h3, h4 {{ page-break-after: avoid; }}
@media print {{ .chart svg {{ max-width: 100%; height: auto; }} body {{ margin: 0; }} }}
"""


@functools.cache
def vega_bundle() -> str:
    """vega, vega-lite and vega-embed as one script that defines them on ``window`` (offline)."""
    return str(vlc.javascript_bundle(None))  # type: ignore[arg-type]  # None = the default snippet


def render(comparison: PolicyResults, specs: Mapping[str, dict[str, Any]], labels: Labels) -> str:
    """The report page for ``comparison`` with the charts ``specs`` (Vega-Lite dicts, by name).

    ``comparison``'s policies carry the names to show (:meth:`PolicyResults.localised`).
    """
    c = comparison
    body = "\n".join(
        [
            sections.first_page(c, labels),
            sections.policies_section(c, labels),
            sections.comparison_section(c, labels),
            *(f'<div class="chart" id="chart-{_e(n)}"></div>' for n in specs),
            sections.cas_section(c, labels),
            sections.variance_section(c, labels),
            sections.statements_section(c, labels),
            sections.appendix(c, labels),
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
