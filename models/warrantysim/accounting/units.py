"""The unit of every column of the result tables (monthly, annual, kpis): one table, no guessing.

The report shows money in yuan or 万元 and everything else as it is; the charts title their axes
with it. A column missing here is a defect the tests catch (every produced column has a unit).
"""

from __future__ import annotations

from enum import StrEnum

from warrantysim.accounting.kpis import TOTALS
from warrantysim.accounting.statements import BALANCE_COLUMNS, FLOW_COLUMNS, YEAR_COLUMNS


class Unit(StrEnum):
    MONEY = "CNY"
    COUNT = "count"
    DAYS = "days"
    MONTHS = "months"
    SHARE = "share"
    """A fraction: 0.25 = 25 %."""
    PER_YEAR = "per year"
    """Turns a year (inventory turnover)."""
    PER_UNIT = "per unit"
    """A count per unit sold (claims per unit): a rate, so not shown as a whole number."""
    INDEX = "index"
    """Keys: replication, month, fiscal year."""


_MONEY_KPIS = (
    "npv_profit",
    "npv_cash",
    "closing_working_capital",
    "npv_terminal_working_capital",
    "npv_cash_with_terminal_value",
    "peak_spares_book_value",
    "max_year_end_spares_book_value",
    "max_year_end_excess_over_cap",
    "writedowns_total",
    "first_year_profit",
    "first_year_performance_profit",
    "first_year_cap_writedown",
    "first_year_age_writedown",
    "min_cash",
    "peak_borrowing",
    "npv_profit_after_tax",
    "npv_cash_before_tax",
    "peak_deferred_tax_asset",
    "peak_deferred_tax_unrecognised",
    "opening_restatement",
    "opening_retained_earnings",
    "opening_spares_book_value",
)
_COUNTS = (
    "units_sold",
    "claims",
    "claims_filled_from_stock",
    "parts_received",
    "parts_refurbished",
    "parts_scrapped_end",
    "parts_bought",
    "on_hand_end",
    "backorders_end",
    "on_order_end",
    "in_refurbishment_end",
    "claims_no_fault_found",
)
_OTHERS = {
    "replication": Unit.INDEX,
    "month": Unit.INDEX,
    "fiscal_year": Unit.INDEX,
    "mean_wait_days": Unit.DAYS,
    "p95_wait_days": Unit.DAYS,
    "mean_technician_wait_days": Unit.DAYS,
    "p95_technician_wait_days": Unit.DAYS,
    "mean_turnaround_days": Unit.DAYS,
    "p95_turnaround_days": Unit.DAYS,
    "technician_utilisation": Unit.SHARE,
    "part": Unit.INDEX,
    "part_name": Unit.INDEX,
    "receivable_days": Unit.DAYS,
    "provision_months_of_claims": Unit.MONTHS,
    "fill_rate": Unit.SHARE,
    "late_repair_share": Unit.SHARE,
    "warranty_cost_share_of_revenue": Unit.SHARE,
    "effective_tax_rate": Unit.SHARE,
    "net_warranty_cost_share_of_revenue": Unit.SHARE,
    "months": Unit.MONTHS,
    "claims_per_unit": Unit.PER_UNIT,
    "inventory_turnover_sales": Unit.PER_YEAR,
    "inventory_turnover_cost": Unit.PER_YEAR,
}

UNITS: dict[str, Unit] = {
    **{c: Unit.MONEY for c in (*FLOW_COLUMNS, *BALANCE_COLUMNS, *YEAR_COLUMNS, *_MONEY_KPIS)},
    **{f"lifetime_{c}": Unit.MONEY for c in TOTALS},
    **{c: Unit.COUNT for c in _COUNTS},
    **_OTHERS,
}
"""Column name -> unit, for every column of the monthly, annual, kpis and parts tables."""


def unit_of(column: str) -> Unit | None:
    """The unit of a result column; None for a column the tables do not produce."""
    return UNITS.get(column)


def is_money(column: str) -> bool:
    """Whether a result column is an amount of money (CNY)."""
    return UNITS.get(column) is Unit.MONEY
