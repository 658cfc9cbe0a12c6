"""How numbers look on the terminal, in the report and in Excel alike: a share's interval
within [0 %, 100 %], counts whole or (a mean over replications) with one decimal, and tables
padded by terminal width, not ``len()``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from warrantysim.commands.display import text_table, value, width
from warrantysim.commands.run import summary_table
from warrantysim.report import tables
from warrantysim.report.cells import fmt, shown_bounds
from warrantysim.report.figures import PolicyResults
from warrantysim.report.i18n import Labels, Lang, count_decimals
from warrantysim.report.sections import difference_table, kpi_table
from warrantysim.report.xlsx import cell_value, number_format
from warrantysim.stats import mean_interval

# Four replications' fill rates close to 1: x̄ = 0.98625, s = 0.0118, t(0.975, 3) = 3.182,
# so the t-interval's upper end x̄ + t·s/√4 = 1.0050 is past 100 %; a base near 0 likewise.
NEAR_ONE = [0.97, 0.99, 1.0, 0.985]
NEAR_ZERO = [0.0, 0.0, 0.02, 0.0]


def _kpis(fill_rate: list[float]) -> pd.DataFrame:
    n = len(fill_rate)
    columns = {"fill_rate": fill_rate, "claims": [5.0] * n, "npv_cash": [1e6] * n}
    return pd.DataFrame({"replication": range(n), **columns})


def test_a_share_interval_is_shown_within_0_and_100_percent_on_the_terminal() -> None:
    assert mean_interval(np.array(NEAR_ONE)).high > 1.0  # what used to print as 100.50%
    assert mean_interval(np.array(NEAR_ZERO)).low < 0.0
    for rates, bound in ((NEAR_ONE, "100.00%]"), (NEAR_ZERO, "[0.00%,")):
        line = next(x for x in summary_table(_kpis(rates)).splitlines() if "fill_rate" in x)
        assert bound in line, line
        assert "-" not in line.split("[")[1]
        assert "100.5" not in line


def test_a_share_interval_is_clipped_in_the_report_but_never_a_difference() -> None:
    frames = {"base": _kpis(NEAR_ONE), "worse": _kpis([0.5, 0.7, 0.9, 0.6])}
    kpis = tables.stack(frames)
    empty = tables.stack({k: pd.DataFrame({"replication": []}) for k in frames})
    c = PolicyResults(kpis=kpis, monthly=empty, annual=empty)
    labels = Labels()
    shown = kpi_table(c, labels, ("fill_rate",)).loc[labels("fill_rate"), "base"]
    assert shown.endswith(", 100.00%]"), shown
    # A difference of shares lies in [-1, 1]: its interval is shown as computed.
    diff = difference_table(c, labels, ("fill_rate",)).loc[labels("fill_rate"), "worse"]
    assert diff.startswith("-"), diff
    assert shown_bounds(-0.2, 1.3, "fill_rate") == (0.0, 1.0)
    assert shown_bounds(-0.2, 1.3, "npv_cash") == (-0.2, 1.3)  # money may be negative
    assert shown_bounds(-0.01, 0.06, "mean_wait_days") == (0.0, 0.06)  # a wait may not


def test_counts_are_whole_or_a_mean_with_one_decimal_everywhere() -> None:
    labels = Labels(Lang.ZH)
    assert (count_decimals(336.0), count_decimals(9655.25)) == (0, 1)
    # The report, the terminal and the Excel cell show the same digits.
    assert fmt(336.0, "claims", labels) == "336"
    assert fmt(9655.25, "units_sold", labels) == "9,655.2"  # 9655.25 rounds half to even
    assert value(336.0, "claims", labels) == "336"
    assert value(9655.25, "units_sold", labels) == "9,655.2"
    assert cell_value(9655.25, "units_sold", labels) == pytest.approx(9655.2)
    assert number_format("units_sold", labels, 9655.2) == "#,##0.0"
    assert number_format("claims", labels, 336.0) == "#,##0"
    assert number_format("months", labels, 12.0) == "#,##0"  # not 12.000
    # A rate per unit sold is not a count: it keeps its digits.
    assert fmt(0.2376, "claims_per_unit", labels) == "0.238"


def test_terminal_tables_pad_by_display_width() -> None:
    assert width("现货满足率") == 10
    assert width("\uff08次\uff09") == 6  # full-width brackets take two columns too
    text = text_table(["点", "现货满足率"], [["0", "97.60% ± 1.00%"], ["11", "9.00% ± 1.00%"]])
    lines = text.splitlines()
    assert len({width(line) for line in lines}) == 1, lines  # right-aligned: same end column
