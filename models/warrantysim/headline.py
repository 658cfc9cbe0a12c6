"""The headline KPIs: what every summary shows first, most important first.

Value is cash: the NPV of the cash flows comes first, since accounting treatments, write-downs
and caps move profit between years and no cash; the first year's profit next, which they do move.

One list for the run summary, ``compare``'s printout, the report's table of differences and the
workbench: each shows these (or, where space is short, the first :data:`FIRST_SCREEN` of them).
"""

from __future__ import annotations

HEADLINE_KPIS = (
    "npv_cash",
    "first_year_profit",
    "lifetime_profit",
    "lifetime_performance_profit",
    "fill_rate",
    "first_year_performance_profit",
    "writedowns_total",
    "peak_spares_book_value",
    "mean_wait_days",
    "warranty_cost_share_of_revenue",
)
FIRST_SCREEN = 5
"""How many of them fit a table's first screen (the workbench's KPI table)."""
