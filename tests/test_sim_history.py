"""A continuing business's past sales (``product.history_months``): units sold before month 1
at the plan's rate whose claims still arrive in the horizon."""

from __future__ import annotations

import numpy as np

from factories import part, replicate, scenario, with_engine
from test_sim_engines import assert_identical
from warrantysim.scenario import Scenario


def _with_history(months: int) -> Scenario:
    return scenario(
        [part(life={"shape": 1.0, "scale_months": 24.0})],
        product={"sales_months": 24, "units_per_month": 400, "warranty_months": 12,
                 "history_months": months, "demand_noise": "none"},
        simulation={"horizon_months": 24, "end_of_life": False},
    )  # fmt: skip


def test_history_adds_the_claims_of_the_units_still_in_warranty() -> None:
    # Exponential lives (η = 24 months) renew at rate 1/η: a unit in warranty claims 1/24 a
    # month. With 12 months of history (the whole warranty) month 1 already has the steady fleet
    # in warranty, 12 × 400 = 4,800 units: E[claims] = 4,800/24 = 200 a month, every month.
    # Without history month 1 has ~½ month of sales in warranty: ~200 / 24 = 8.3.
    # Tolerance: Poisson, sd √200 ≈ 14 per month; 4 sd on the 24-month mean is 4·14/√24 ≈ 12.
    log = replicate(_with_history(12), 7)
    per_month = np.bincount((log.claims.claim_day // (365.25 / 12)).astype(int), minlength=24)
    assert abs(per_month.mean() - 200.0) < 12.0
    assert per_month[0] > 140  # steady from the first month, not ramping up (4 sd below 200)
    assert (log.claims.sale_month <= 0).any()
    assert (log.claims.sale_month >= -11).all()


def test_history_leaves_the_claims_of_the_units_sold_in_the_horizon_unchanged() -> None:
    # common random numbers: the past draws from its own streams ("history/…")
    without, with_ = replicate(_with_history(0), 3), replicate(_with_history(12), 3)
    mine = with_.claims.sale_month >= 1
    np.testing.assert_array_equal(with_.claims.claim_day[mine], without.claims.claim_day)


def test_both_engines_give_the_identical_log_with_history() -> None:
    spec = _with_history(12)
    assert_identical(
        replicate(with_engine(spec, "fast"), 5), replicate(with_engine(spec, "simpy"), 5)
    )
