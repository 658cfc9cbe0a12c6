"""Random times (lead times, repair times) drawn from their own named streams.

Each :class:`Durations` serves one stream in the order draws are asked for, from blocks drawn
vectorised: the same stream always yields the same sequence, however the draws are grouped.

Parametrisations (mean m, coefficient of variation c):
  gamma      shape k = 1/c², scale θ = m·c²                   (E = kθ = m, CV = 1/√k = c)
  lognormal  σ² = ln(1 + c²), μ = ln m − σ²/2                 (E = e^(μ+σ²/2) = m)
  uniform    on [low, high]
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from warrantysim.scenario import (
    Duration,
    ExponentialDays,
    FixedDays,
    GammaDays,
    LognormalDays,
    UniformDays,
)

_BLOCK = 512


def sample_days(time: float | Duration, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
    """``n`` draws of ``time`` (days)."""
    if isinstance(time, int | float):
        return np.full(n, float(time))
    if isinstance(time, FixedDays):
        return np.full(n, time.mean)
    if isinstance(time, ExponentialDays):
        return rng.exponential(time.mean, n)
    if isinstance(time, GammaDays):
        return rng.gamma(1.0 / time.cv**2, time.mean * time.cv**2, n)
    if isinstance(time, LognormalDays):
        sigma2 = math.log1p(time.cv**2)
        return rng.lognormal(math.log(time.mean) - sigma2 / 2.0, math.sqrt(sigma2), n)
    assert isinstance(time, UniformDays)
    return rng.uniform(time.low, time.high, n)


class Durations:
    """Draws of one time, one at a time, from blocks of its stream."""

    def __init__(self, time: float | Duration, rng: np.random.Generator) -> None:
        self.time, self.rng = time, rng
        self.fixed: float | None = None
        if isinstance(time, int | float | FixedDays):
            self.fixed = float(time) if isinstance(time, int | float) else time.mean
        self._block: list[float] = []
        self._next = 0

    def draw(self) -> float:
        if self.fixed is not None:
            return self.fixed
        if self._next == len(self._block):
            self._block = sample_days(self.time, self.rng, _BLOCK).tolist()
            self._next = 0
        value = self._block[self._next]
        self._next += 1
        return value
