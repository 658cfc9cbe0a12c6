"""Write a comparison out as HTML (always) and, on request, PDF, Excel and chart images."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warrantysim.report import html, images, pdf, xlsx
from warrantysim.report.figures import PolicyResults, figures
from warrantysim.report.i18n import DEFAULT_LABELS, Labels


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    pdf: Path | None = None
    xlsx: Path | None = None
    images: list[Path] = field(default_factory=list)


def chart_specs(comparison: PolicyResults, labels: Labels) -> dict[str, dict[str, Any]]:
    """The report's charts as Vega-Lite dicts (validated by Altair)."""
    return {name: chart.to_dict() for name, chart in figures(comparison, labels).items()}


def write_report(
    comparison: PolicyResults,
    out: Path,
    *,
    labels: Labels = DEFAULT_LABELS,
    pdf_path: Path | None = None,
    xlsx_path: Path | None = None,
    png_dir: Path | None = None,
) -> ReportFiles:
    specs = chart_specs(comparison, labels)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html.render(comparison, specs, labels), encoding="utf-8")
    written = images.write_images(specs, Path(png_dir), labels) if png_dir else []
    if xlsx_path is not None:
        pngs = {name: images.png(spec, labels) for name, spec in specs.items()}
        xlsx.write_workbook(comparison, Path(xlsx_path), pngs, labels)
    if pdf_path is not None:
        pdf.html_to_pdf(out, Path(pdf_path))
    return ReportFiles(out, pdf_path, xlsx_path, written)
