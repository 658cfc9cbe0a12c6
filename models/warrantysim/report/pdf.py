"""PDF of the HTML report, printed by headless Chromium (Debian's ``chromium``).

The report draws its charts with JavaScript, so Chromium is given a virtual-time budget to let
vega-embed finish before it prints; the network is not needed (the page is self-contained).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
_VIRTUAL_TIME_MS = 30_000
_TIMEOUT_S = 180


def find_chromium() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError(
        "PDF export needs Chromium: install Debian's 'chromium' package (apt-get install chromium)"
    )


OFFLINE_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)
"""Headless Chromium that makes no request of its own (no updates, sync or background calls)."""


def html_to_pdf(html_path: Path, pdf_path: Path) -> Path:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium."""
    with tempfile.TemporaryDirectory(prefix="warrantysim-chromium-") as profile:
        command = [
            find_chromium(),
            "--headless",
            *OFFLINE_FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--virtual-time-budget={_VIRTUAL_TIME_MS}",
            f"--print-to-pdf={pdf_path.resolve()}",
            html_path.resolve().as_uri(),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=_TIMEOUT_S)
    if not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise RuntimeError(f"Chromium did not write {pdf_path}")
    return pdf_path
