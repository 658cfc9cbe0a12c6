"""Results are finite numbers, or the run fails with one line: never a silent inf or NaN.

The scenario's bounds (scenarios/README.md, "Limits") keep every input inside what float64 sums
and int64 counts hold; this check is the second line of defence, on the outputs. NaN is a valid
answer only where a ratio has nothing to divide by or a figure does not apply (no stock: no
turnover; no cap: no limit; no provision under review: no estimate; no repair centre: no
technician utilisation).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the command line names this error before loading them
    import pandas as pd

NAN_MEANS_UNDEFINED = (
    "book_value_cap_limit",
    "inventory_turnover",
    "share_of_revenue",
    "receivable_days",
    "provision_months_of_claims",
    "provision_estimate",
    "technician_utilisation",
)
"""Column names (or parts of them) where NaN means "undefined", documented in the README."""


class NonFiniteResult(ValueError):
    """A run produced inf, or NaN where a number is due; the message names table and column."""


def check_finite(tables: Mapping[str, pd.DataFrame], where: str) -> None:
    """Raise :class:`NonFiniteResult` naming the first non-finite value of ``tables``."""
    import numpy as np

    for table, frame in tables.items():
        numbers = frame.select_dtypes("number")
        for column in numbers.columns:
            values = numbers[column].to_numpy(dtype=np.float64)
            bad = np.isinf(values) | (np.isnan(values) & ~_nan_allowed(str(column)))
            if bad.any():
                raise NonFiniteResult(
                    f"{where}: {table}.{column} is {values[bad][0]} (the inputs are beyond what "
                    "the model computes reliably; see scenarios/README.md, Limits)"
                )


def _nan_allowed(column: str) -> bool:
    return any(part in column for part in NAN_MEANS_UNDEFINED)
