"""Write a policy comparison report from results directories of ``warrantysim run``.

The first RESULTS directory is the base policy; the others are compared with it, paired by
replication. Always writes a self-contained HTML page (opens with no network); optionally a PDF
(headless Chromium), an Excel workbook (annual statements and chart images) and PNG/SVG charts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from warrantysim.commands import UsageError
from warrantysim.commands.display import add_language_arguments, labels_of

HELP = "write an HTML/PDF/Excel report comparing results directories"
_TABLES = ("kpis.parquet", "monthly.parquet", "annual.parquet")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "results", nargs="+", type=Path, metavar="RESULTS", help="results dirs (BASE first)"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("report.html"), help="HTML file (default: %(default)s)"
    )
    parser.add_argument(
        "--pdf", type=Path, metavar="FILE", help="also print an A4 PDF (default: none)"
    )
    parser.add_argument(
        "--xlsx", type=Path, metavar="FILE", help="also write an Excel workbook (default: none)"
    )
    parser.add_argument(
        "--png", type=Path, metavar="DIR", help="also write PNG and SVG charts (default: none)"
    )
    add_language_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from warrantysim.report import write_report
    from warrantysim.report.load import DamagedResults, read_comparison

    for folder in args.results:
        missing = [t for t in _TABLES if not (folder / t).is_file()]
        if missing:
            raise UsageError(f"{folder} is not a results directory (missing {', '.join(missing)})")
    labels = labels_of(args)
    try:
        comparison = read_comparison(args.results)
    except DamagedResults as error:
        raise UsageError(str(error)) from None
    files = write_report(
        comparison,
        args.out,
        labels=labels,
        pdf_path=args.pdf,
        xlsx_path=args.xlsx,
        png_dir=args.png,
        progress=_stderr,
    )
    for path in [files.html, files.pdf, files.xlsx, *files.images]:
        if path is not None:
            print(path)
    return 0


def _stderr(line: str) -> None:
    print(f"report: {line}", file=sys.stderr, flush=True)
