"""The optimiser's analytic gradient (:mod:`warrantysim.calibration.gradient`) against central
differences of the reference log-likelihood (:func:`distributions.log_likelihood`), for every
model under both groupings, with and without the warranty cap.

Tolerance: a central difference with step h on the free scale has truncation error ~h²·|ℓ'''|
and rounding error ~ε|ℓ|/h; with h = 1e-6 and |ℓ| ~ 1e4 that is ~1e-6 absolute, so the two agree
to 1e-5 absolute plus 1e-6 relative. The value itself must equal the reference to rounding.
"""

from __future__ import annotations

import numpy as np
import pytest

from warrantysim.calibration import distributions as dist
from warrantysim.calibration.distributions import ModelKind
from warrantysim.calibration.gradient import objective
from warrantysim.calibration.lifedata import Grouping, LifeData, life_data

THETAS = {
    ModelKind.EXPONENTIAL: [50.0],
    ModelKind.WEIBULL: [1.3, 50.0],
    ModelKind.DEFECTIVE: [0.2, 0.8, 10.0],
    ModelKind.MIXTURE: [0.1, 0.7, 4.0, 2.2, 55.0],
}
STEP = 1e-6


def _lives(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    early = rng.random(3000) < 0.05
    return np.where(early, 3.0 * rng.weibull(0.7, 3000), 60.0 * rng.weibull(2.0, 3000))


def _exact() -> LifeData:
    lives = _lives(1)
    failed = lives < 24.0
    return life_data(lives[failed], np.full(int((~failed).sum()), 24.0))


def _period(warranty: float | None) -> LifeData:
    """Monthly Nevada-style ages: returned k periods after a uniform shipment offset, watched
    30 periods; with the warranty cap no return after 24 months of age."""
    lives = _lives(2)
    k = np.floor(lives + np.random.default_rng(3).random(len(lives)))
    failed = (k <= 30) & (lives < (warranty or np.inf))
    return life_data(
        k[failed], [30], suspension_count=[int((~failed).sum())],
        grouping=Grouping.PERIOD, warranty_months=warranty,
    )  # fmt: skip


@pytest.mark.parametrize("kind", list(ModelKind))
@pytest.mark.parametrize("data_name", ["exact", "period-capped", "period"])
def test_gradient_matches_central_differences(kind, data_name):
    data = {
        "exact": _exact,
        "period-capped": lambda: _period(24.0),
        "period": lambda: _period(None),
    }[data_name]()
    u = dist.to_free(kind, np.array(THETAS[kind]))
    value, gradient = objective(kind, data)(u)

    def nll(v: np.ndarray) -> float:
        return -dist.log_likelihood(kind, dist.from_free(kind, v), data)

    np.testing.assert_allclose(value, nll(u), rtol=1e-12)
    numeric = [(nll(u + STEP * e) - nll(u - STEP * e)) / (2 * STEP) for e in np.eye(len(u))]
    np.testing.assert_allclose(gradient, numeric, rtol=1e-6, atol=1e-5)


def test_scale_divides_value_and_gradient():
    data = _exact()
    u = dist.to_free(ModelKind.MIXTURE, np.array(THETAS[ModelKind.MIXTURE]))
    value, gradient = objective(ModelKind.MIXTURE, data)(u)
    scaled_value, scaled_gradient = objective(ModelKind.MIXTURE, data, scale=data.failures)(u)
    np.testing.assert_allclose(scaled_value * data.failures, value, rtol=1e-12)
    np.testing.assert_allclose(scaled_gradient * data.failures, gradient, rtol=1e-12)
