"""Write a comparison out as HTML (always) and, on request, PDF, Excel and chart images.

Each file is written whole or not at all (:mod:`warrantysim.atomic`), and each stage says what
it is doing through ``progress`` (the command line prints it to stderr, one line a stage).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warrantysim.atomic import write_atomic, write_text_atomic
from warrantysim.report import html, images, pdf, xlsx
from warrantysim.report.figures import PolicyResults, figures
from warrantysim.report.i18n import DEFAULT_LABELS, Labels

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    pdf: Path | None = None
    xlsx: Path | None = None
    images: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """Where the report fell back (a Chinese report of a scenario without ``title_zh``)."""


def chart_specs(
    comparison: PolicyResults, labels: Labels, base: str | None = None
) -> dict[str, dict[str, Any]]:
    """The report's charts as Vega-Lite dicts (validated by Altair), differences from ``base``
    (default: the first policy)."""
    return {name: chart.to_dict() for name, chart in figures(comparison, labels, base).items()}


def write_report(
    comparison: PolicyResults,
    out: Path,
    *,
    labels: Labels = DEFAULT_LABELS,
    pdf_path: Path | None = None,
    xlsx_path: Path | None = None,
    png_dir: Path | None = None,
    progress: Progress = _quiet,
) -> ReportFiles:
    """The report of ``comparison`` in ``labels``' language and unit; calendar labels from the
    base scenario's ``simulation.start`` unless ``labels`` has its own."""
    labels = labels if labels.start else labels.with_start(comparison.start)
    shown, warnings = comparison.localised(labels)
    for warning in warnings:
        progress(f"warning: {warning}")
    progress(f"charts: {len(shown.policies)} policies")
    specs = chart_specs(shown, labels)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    progress(f"HTML: {out}")
    write_text_atomic(out, html.render(shown, specs, labels))
    written = _images(specs, Path(png_dir), labels, progress) if png_dir else []
    if xlsx_path is not None:
        progress(f"Excel: {xlsx_path}")
        pngs = {name: images.png(spec, labels) for name, spec in specs.items()}
        write_atomic(Path(xlsx_path), lambda t: xlsx.write_workbook(shown, t, pngs, labels))
    if pdf_path is not None:
        progress(f"PDF (Chromium): {pdf_path}")
        write_atomic(Path(pdf_path), lambda t: pdf.html_to_pdf(out, t))
    return ReportFiles(out, pdf_path, xlsx_path, written, warnings)


def _images(
    specs: dict[str, dict[str, Any]], folder: Path, labels: Labels, progress: Progress
) -> list[Path]:
    progress(f"PNG and SVG charts: {folder}/")
    return images.write_images(specs, folder, labels)
