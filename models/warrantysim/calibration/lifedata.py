"""Life data: failure ages and suspensions (right censoring), with counts, in months.

Two conventions for where an age comes from (``Grouping``):

- ``exact``: each failure happened at its age and each suspension is a unit still working at its
  age. The likelihood is Σ n log f(t) + Σ n log S(t) (Meeker & Escobar, *Statistical Methods for
  Reliability Data*, 1998, §2.4).
- ``period``: ages are known only to the period (a Nevada chart's ``interval`` option). A failure
  "at age k periods" was returned k periods after its shipment period, and shipments and returns
  fall uniformly inside their periods, so the probability of that cell is
  P_k = [G((k+1)Δ) − 2G(kΔ) + G((k−1)Δ)] / Δ with G(x) = ∫₀ˣ F(t) dt (a triangular interval
  censoring on ((k−1)Δ, (k+1)Δ)); a suspension "at n periods" was not returned through period n,
  with probability 1 − [G((n+1)Δ) − G(nΔ)] / Δ.

Returns stop at the warranty's end: ``warranty_months`` caps F (no failure is observed after it).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


class Grouping(StrEnum):
    EXACT = "exact"
    PERIOD = "period"


@dataclass(frozen=True)
class LifeData:
    """Failures and suspensions of one part's positions (ages in months; counts of positions)."""

    failure_months: FloatArray
    failure_count: FloatArray
    suspension_months: FloatArray
    suspension_count: FloatArray
    grouping: Grouping = Grouping.EXACT
    period_months: float = 1.0
    """Δ: the length of one period (``period`` grouping only)."""
    warranty_months: float | None = None

    def __post_init__(self) -> None:
        if len(self.failure_months) != len(self.failure_count):
            raise ValueError("failure_months and failure_count differ in length")
        if len(self.suspension_months) != len(self.suspension_count):
            raise ValueError("suspension_months and suspension_count differ in length")

    @property
    def failures(self) -> float:
        return float(np.sum(self.failure_count))

    @property
    def positions(self) -> float:
        """n in BIC = k ln n: every position observed, failed or suspended."""
        return self.failures + float(np.sum(self.suspension_count))

    @property
    def censored_share(self) -> float:
        return 1.0 - self.failures / self.positions if self.positions else float("nan")


def life_data(
    failure_months: object,
    suspension_months: object = (),
    *,
    failure_count: object = None,
    suspension_count: object = None,
    grouping: Grouping = Grouping.EXACT,
    period_months: float = 1.0,
    warranty_months: float | None = None,
) -> LifeData:
    """LifeData from array-likes; counts default to one per age. Zero-count rows are dropped."""
    f_age = np.asarray(failure_months, dtype=np.float64).ravel()
    s_age = np.asarray(suspension_months, dtype=np.float64).ravel()
    f_age, f_n = _pooled(f_age, _counts(failure_count, len(f_age)))
    s_age, s_n = _pooled(s_age, _counts(suspension_count, len(s_age)))
    return LifeData(
        f_age, f_n, s_age, s_n, Grouping(grouping), float(period_months), warranty_months
    )


def _pooled(ages: FloatArray, counts: FloatArray) -> tuple[FloatArray, FloatArray]:
    """One row per distinct age (the likelihood only needs counts per age), zero counts dropped."""
    unique, index = np.unique(ages[counts > 0], return_inverse=True)
    pooled = np.bincount(index, weights=counts[counts > 0], minlength=len(unique))
    return unique, pooled.astype(np.float64)


def _counts(counts: object, n: int) -> FloatArray:
    if counts is None:
        return np.ones(n)
    out = np.asarray(counts, dtype=np.float64).ravel()
    if len(out) != n:
        raise ValueError(f"expected {n} counts, got {len(out)}")
    return out
