"""Confidence intervals for means and for paired and unpaired differences: the one copy.

The API's summary, the reports' tables and the experiments all take their intervals from here.
Fewer than two values give no interval: its half-width is NaN ("n/a" on screen), never zero or
infinite.

All intervals are two-sided Student-t intervals at ``level`` (default 95 %): for a sample of n
values with mean x̄ and standard deviation s, x̄ ± t_{1-α/2, n-1} · s/√n (Law, *Simulation
Modeling and Analysis*, 5th ed., §4.5). A paired difference applies it to d_r = y_r − x_r, the
differences of replications that share their random numbers (§11.2 "common random numbers");
the unpaired interval is Welch's, with the Welch–Satterthwaite degrees of freedom (§10.2.2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import special  # not scipy.stats: a worker process need not import it

LEVEL = 0.95


@dataclass(frozen=True)
class Interval:
    """An estimate with its confidence interval: mean ± half_width."""

    mean: float
    half_width: float
    n: int

    @property
    def low(self) -> float:
        return self.mean - self.half_width

    @property
    def high(self) -> float:
        return self.mean + self.half_width

    def relative_half_width(self, reference: float) -> float:
        """half-width / |reference|; infinite when the reference is zero."""
        return self.half_width / abs(reference) if reference != 0 else math.inf


def t_quantile(df: float, level: float = LEVEL) -> float:
    return float(special.stdtrit(df, 0.5 + level / 2.0))


def half_width(sd: ArrayLike, n: ArrayLike, level: float = LEVEL) -> NDArray[np.float64]:
    """t(1 − α/2, n − 1) · s/√n, elementwise; NaN where n < 2 (one value says nothing about
    the spread)."""
    count = np.asarray(n, dtype=np.float64)
    dof = np.maximum(count - 1.0, 1.0)
    half = special.stdtrit(dof, 0.5 + level / 2.0) * np.asarray(sd, dtype=np.float64)
    return np.where(count > 1, half / np.sqrt(np.maximum(count, 1.0)), np.nan)


def mean_interval(values: ArrayLike, level: float = LEVEL) -> Interval:
    """x̄ ± t · s/√n; no interval (NaN half-width) below two values."""
    x = np.asarray(values, dtype=np.float64)
    n = len(x)
    if n == 0:
        return Interval(math.nan, math.nan, 0)
    sd = float(np.std(x, ddof=1)) if n > 1 else math.nan
    return Interval(float(np.mean(x)), float(half_width(sd, n, level)), n)


def summary_table(values: pd.DataFrame, level: float = LEVEL) -> pd.DataFrame:
    """A row per column of ``values`` (one row per replication): mean, standard error and the
    t interval (``ci_low``, ``ci_high``), NaN where there is a single replication."""
    n = len(values)
    mean = values.mean()
    sd = values.std(ddof=1) if n > 1 else mean * np.nan
    half = pd.Series(half_width(sd.to_numpy(), n, level), index=mean.index)
    sem = sd / math.sqrt(n) if n > 1 else sd
    return pd.DataFrame({"mean": mean, "sem": sem, "ci_low": mean - half, "ci_high": mean + half})


def paired_interval(base: ArrayLike, other: ArrayLike, level: float = LEVEL) -> Interval:
    """Interval for E[other − base] from replications paired by their random numbers."""
    x = np.asarray(base, dtype=np.float64)
    y = np.asarray(other, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(f"paired samples need equal lengths, got {len(x)} and {len(y)}")
    return mean_interval(y - x, level)


def welch_interval(base: ArrayLike, other: ArrayLike, level: float = LEVEL) -> Interval:
    """Interval for E[other] − E[base] treating the two samples as independent."""
    x = np.asarray(base, dtype=np.float64)
    y = np.asarray(other, dtype=np.float64)
    n_x, n_y = len(x), len(y)
    difference = float(np.mean(y) - np.mean(x)) if n_x and n_y else math.nan
    if n_x < 2 or n_y < 2:
        return Interval(difference, math.nan, min(n_x, n_y))
    var_x = float(np.var(x, ddof=1)) / n_x
    var_y = float(np.var(y, ddof=1)) / n_y
    total = var_x + var_y
    if total == 0.0:
        return Interval(difference, 0.0, min(n_x, n_y))
    df = total**2 / (var_x**2 / (n_x - 1) + var_y**2 / (n_y - 1))
    return Interval(difference, t_quantile(df, level) * math.sqrt(total), min(n_x, n_y))


def replications_for_half_width(current: Interval, target_half_width: float) -> int:
    """n needed so that the half-width falls to the target, from h ∝ 1/√n (Law §9.4.1)."""
    if current.n < 2 or not math.isfinite(current.half_width):
        return max(2 * current.n, 2)
    if current.half_width <= target_half_width:
        return current.n
    if target_half_width <= 0.0:
        raise ValueError(f"the target half-width must be positive, got {target_half_width}")
    return math.ceil(current.n * (current.half_width / target_half_width) ** 2)
