"""Finance-ready exports of a policy comparison: HTML, PDF, Excel and chart images."""

from warrantysim.report.build import ReportFiles, write_report
from warrantysim.report.figures import Comparison, figures
from warrantysim.report.i18n import Labels, Lang, MoneyUnit

__all__ = ["Comparison", "Labels", "Lang", "MoneyUnit", "ReportFiles", "figures", "write_report"]
