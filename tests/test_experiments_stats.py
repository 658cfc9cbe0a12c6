"""Confidence intervals of the experiments layer, checked against hand arithmetic and scipy."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from warrantysim.stats import (
    Interval,
    mean_interval,
    paired_interval,
    replications_for_half_width,
    summary_table,
    welch_interval,
)


def test_mean_interval_by_hand() -> None:
    # x = 1, 2, 3, 4: mean 2.5, s = sqrt(5/3) = 1.29099, s/√4 = 0.6454972,
    # t_{0.975, 3} = 3.1824463, half-width = 2.054260
    interval = mean_interval([1.0, 2.0, 3.0, 4.0])
    assert interval.mean == 2.5
    assert interval.half_width == pytest.approx(2.054260, rel=1e-6)
    assert (interval.low, interval.high) == pytest.approx((0.445740, 4.554260), rel=1e-6)


def test_one_value_has_no_interval() -> None:
    # The API summary, the report tables and the experiments agree: n = 1 gives NaN, not inf.
    assert math.isnan(mean_interval([3.0]).half_width)
    assert (
        summary_table(pd.DataFrame({"x": [3.0]}))[["sem", "ci_low", "ci_high"]]
        .isna()
        .all(axis=None)
    )


def test_paired_interval_is_the_interval_of_differences() -> None:
    base = np.array([10.0, 12.0, 9.0, 14.0, 11.0])
    other = base + np.array([1.0, 1.5, 0.5, 1.2, 0.8])
    assert paired_interval(base, other) == mean_interval(other - base)


def test_paired_needs_equal_lengths() -> None:
    with pytest.raises(ValueError, match="equal lengths"):
        paired_interval([1.0, 2.0], [1.0])


def test_welch_interval_matches_scipy() -> None:
    rng = np.random.default_rng(1)
    x, y = rng.normal(0, 1, 12), rng.normal(0.5, 2, 9)
    interval = welch_interval(x, y)
    expected = stats.ttest_ind(y, x, equal_var=False).confidence_interval(0.95)
    assert (interval.low, interval.high) == pytest.approx((expected.low, expected.high), rel=1e-9)


def test_replications_for_half_width_scales_as_one_over_root_n() -> None:
    # h ∝ 1/√n: halving the half-width needs four times the replications
    assert replications_for_half_width(Interval(0.0, 2.0, 10), 1.0) == 40
    assert replications_for_half_width(Interval(0.0, 0.5, 10), 1.0) == 10
    with pytest.raises(ValueError, match="target half-width must be positive"):
        replications_for_half_width(Interval(0.0, 0.5, 10), 0.0)
