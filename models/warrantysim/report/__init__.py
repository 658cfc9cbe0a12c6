"""Finance-ready exports of a policy comparison: HTML, PDF, Excel and chart images.

The exporters need vl-convert and openpyxl (the ``report`` extra); the tables and labels
(:mod:`.tables`, :mod:`.i18n`) need only pandas. Names are imported on first use, so importing
``warrantysim.report.tables`` or ``warrantysim.report.i18n`` loads neither exporter. The chart
set is :func:`warrantysim.report.figures.figures` (a name the package cannot also carry: it is
its module's).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warrantysim.report.build import ReportFiles, write_report
    from warrantysim.report.figures import PolicyResults
    from warrantysim.report.i18n import Labels, Lang, MoneyUnit

__all__ = ["Labels", "Lang", "MoneyUnit", "PolicyResults", "ReportFiles", "write_report"]

_HOMES = {
    "ReportFiles": "build",
    "write_report": "build",
    "PolicyResults": "figures",
    "Labels": "i18n",
    "Lang": "i18n",
    "MoneyUnit": "i18n",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(f"warrantysim.report.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'warrantysim.report' has no attribute {name!r}")
