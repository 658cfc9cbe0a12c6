"""Stock against inventory theory, in a stationary fleet with exponential lives.

Sales of u units a month for 60 months with a 12-month warranty: from month 13 on, 12u units are
in warranty, each failing at rate 1/η, so claims are a Poisson process of rate λ = 12u/(η·D) a day.

* base_stock S, lead time L: Palm's theorem, O ~ Poisson(λL): fill rate P(O ≤ S−1),
  E[backorders] E[(O−S)⁺], E[on hand] E[(S−O)⁺] (Sherbrooke, *Optimal Inventory Modeling*, §2.3).
* min_max (R, s, S): the inventory position after each review is a Markov chain on s+1..S;
  net inventory at t + L + τ (τ ∈ [0, R)) is IP(t) − D(L + τ) (Hadley & Whitin 1963, ch. 5), and
  by PASTA the fill rate is P(net inventory ≥ 1) averaged over τ.

Measured over months 14..59 (stationary, away from the start and the horizon's close), month-end
counts for the stock levels. Tolerance: 4 standard errors from the spread between replications.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from factories import ENGINES, part, replicate, scenario, with_engine
from warrantysim.scenario import DAYS_PER_MONTH

UNITS, SCALE, LEAD = 300, 24.0, 10.0
RATE_PER_DAY = 12 * UNITS / (SCALE * DAYS_PER_MONTH)
STATIONARY = slice(13, 59)  # months 14..59, 0-based


def fleet(stocking: dict) -> object:
    return scenario(
        [part(life={"shape": 1.0, "scale_months": SCALE}, lead_time_days=LEAD, stocking=stocking)],
        product={"sales_months": 60, "units_per_month": UNITS},
        simulation={"horizon_months": 60},
    )


def measure(spec, replications: int, engine: str = "fast") -> dict[str, np.ndarray]:
    spec = with_engine(spec, engine)
    fill, backorders, on_hand = [], [], []
    start, end = STATIONARY.start * DAYS_PER_MONTH, STATIONARY.stop * DAYS_PER_MONTH
    for r in range(replications):
        log = replicate(spec, 11, r)
        c = log.claims
        window = (c.claim_day >= start) & (c.claim_day < end)
        fill.append(c.filled_from_stock[window].mean())
        backorders.append(log.backorders_end[0, STATIONARY].mean())
        on_hand.append(log.on_hand_end[0, STATIONARY].mean())
    return {
        "fill": np.array(fill),
        "backorders": np.array(backorders),
        "on_hand": np.array(on_hand),
    }


def assert_close(sample: np.ndarray, expected: float) -> None:
    se = sample.std(ddof=1) / math.sqrt(len(sample))
    assert abs(sample.mean() - expected) <= 4 * se, (sample.mean(), expected, se)


@pytest.mark.parametrize("engine", ENGINES)
def test_base_stock_matches_palm(engine: str) -> None:
    level = 56
    mean_on_order = RATE_PER_DAY * LEAD  # ≈ 49.3
    o = np.arange(0, 400)
    pmf = stats.poisson.pmf(o, mean_on_order)
    expected = {
        "fill": stats.poisson.cdf(level - 1, mean_on_order),
        "backorders": float(np.sum(np.maximum(o - level, 0) * pmf)),
        "on_hand": float(np.sum(np.maximum(level - o, 0) * pmf)),
    }
    got = measure(fleet({"policy": "base_stock", "level": level}), replications=8, engine=engine)
    for key, value in expected.items():
        assert_close(got[key], value)


def min_max_theory(low: int, high: int, review: float) -> dict[str, float]:
    """Stationary fill rate, backorders and on hand of periodic review (R, s, S)."""
    states = np.arange(low + 1, high + 1)
    d_review = stats.poisson(RATE_PER_DAY * review)
    transition = np.zeros((len(states), len(states)))
    for i, position in enumerate(states):
        for j, target in enumerate(states):
            stay = d_review.pmf(position - target) if target <= position else 0.0
            transition[i, j] = stay
        transition[i, -1] += d_review.sf(position - low - 1)  # fell to s or below: back to S
    eigvals, eigvecs = np.linalg.eig(transition.T)
    pi = np.real(eigvecs[:, np.argmin(np.abs(eigvals - 1))])
    pi = pi / pi.sum()
    taus = (np.arange(200) + 0.5) / 200 * review
    fill = backorders = on_hand = 0.0
    k = np.arange(0, 600)
    for tau in taus:
        demand = stats.poisson.pmf(k, RATE_PER_DAY * (LEAD + tau))
        net = states[:, None] - k[None, :]
        weight = pi[:, None] * demand[None, :]
        fill += float(np.sum(weight * (net >= 1)))
        backorders += float(np.sum(weight * np.maximum(-net, 0)))
        on_hand += float(np.sum(weight * np.maximum(net, 0)))
    return {
        "fill": fill / len(taus),
        "backorders": backorders / len(taus),
        "on_hand": on_hand / len(taus),
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_min_max_matches_markov_chain(engine: str) -> None:
    low, high, review = 60, 110, 7.0
    expected = min_max_theory(low, high, review)
    assert 0.6 < expected["fill"] < 0.99  # a regime where the test can tell policies apart
    stocking = {"policy": "min_max", "min": low, "max": high, "review_days": review}
    got = measure(fleet(stocking), 8, engine)
    for key, value in expected.items():
        assert_close(got[key], value)
