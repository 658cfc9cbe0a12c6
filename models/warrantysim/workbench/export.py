"""Export the current view: every chart as PNG and SVG, and the report of the shown policies.

Files go into ``exports/<time>/`` under the kernel's folder; under ``warrantysim app`` that is
the app's folder, which the server serves (behind the token) at ``warrantysim/exports/``, so
the page links to them. The report is :func:`warrantysim.report.write_report` on the
comparison the page shows (the selected policies, their levers, the replications and seed).
"""

from __future__ import annotations

import html
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from warrantysim.report import images, write_report
from warrantysim.report.build import chart_specs
from warrantysim.report.figures import PolicyResults
from warrantysim.report.i18n import Labels
from warrantysim.workbench import EXPORTS, EXPORTS_LINK
from warrantysim.workbench.cards import DISTRIBUTION_KPI, difference_chart

REPORT_NAME = "report.html"


def export_folder(root: Path) -> Path:
    """A new folder ``root/exports/<UTC time>`` (a suffix keeps two exports in a second apart)."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    folder, n = root / EXPORTS / stamp, 1
    while folder.exists():
        n += 1
        folder = root / EXPORTS / f"{stamp}-{n}"
    folder.mkdir(parents=True)
    return folder


def view_specs(comparison: PolicyResults, base: str, labels: Labels) -> dict[str, dict[str, Any]]:
    """The charts of the view as Vega-Lite: the spread of the difference, then the figures."""
    spread = difference_chart(comparison, base, labels).to_dict()
    return {f"{DISTRIBUTION_KPI}_difference": spread, **chart_specs(comparison, labels, base)}


def export_charts(specs: Mapping[str, dict[str, Any]], folder: Path, labels: Labels) -> list[Path]:
    """``NAME.png`` and ``NAME.svg`` of every chart in ``folder``."""
    return images.write_images(specs, folder, labels)


def make_report(comparison: PolicyResults, base: str, folder: Path, labels: Labels) -> Path:
    """The policy report of ``comparison`` against ``base`` as ``folder/report.html``."""
    return write_report(comparison.with_base(base), folder / REPORT_NAME, labels=labels).html


def links_html(paths: list[Path], root: Path) -> str:
    """A link per file, as the app serves it, with the file's path for JupyterLab users."""
    items = []
    for path in paths:
        relative = path.relative_to(root / EXPORTS).as_posix()
        href = html.escape(EXPORTS_LINK + relative, quote=True)
        download = "" if path.suffix == ".html" else " download"
        items.append(f"<a href='{href}' target='_blank'{download}>{html.escape(path.name)}</a>")
    where = html.escape(str(paths[0].parent)) if paths else ""
    return f"<span class='ws-exported'>{' · '.join(items)} <small>({where})</small></span>"
