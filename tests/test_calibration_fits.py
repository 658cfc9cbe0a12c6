"""Censored maximum-likelihood fits against an independent implementation (reliability 0.9:
``Fit_Weibull_2P``, ``Fit_Weibull_DS``, ``Fit_Weibull_Mixture``) on heavily censored data, and the
period (Nevada ``interval``) likelihood against direct numerical integration.

Tolerances: the issue's 1e-3 relative for Weibull and defective-subpopulation parameters; for the
mixture, whose parameters are weakly identified, the maximised log-likelihood and F(W) to 1e-3.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import integrate, stats

from warrantysim.calibration import distributions as dist
from warrantysim.calibration.distributions import ModelKind
from warrantysim.calibration.fitting import fitter
from warrantysim.calibration.lifedata import Grouping, LifeData, life_data
from warrantysim.calibration.select import recommend

reliability_fitters = pytest.importorskip("reliability.Fitters")
WARRANTY = 24.0


def _censored(lives: np.ndarray) -> tuple[np.ndarray, np.ndarray, LifeData]:
    failed = lives < WARRANTY
    suspended = np.full(int((~failed).sum()), WARRANTY)
    return lives[failed], suspended, life_data(lives[failed], suspended)


def _oracle(name: str, failures: np.ndarray, suspended: np.ndarray) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(reliability_fitters, name)(
            failures=failures, right_censored=suspended,
            show_probability_plot=False, print_results=False,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("shape", "scale", "seed"), [(1.4, 60.0, 1), (0.7, 400.0, 2), (3.0, 40.0, 3)]
)
def test_weibull_matches_reliability(shape, scale, seed):
    lives = scale * np.random.default_rng(seed).weibull(shape, 2000)
    failures, suspended, data = _censored(lives)
    assert data.censored_share > 0.6  # heavy censoring, as warranty data are
    ours = fitter("weibull").fit(data)
    theirs = _oracle("Fit_Weibull_2P", failures, suspended)
    np.testing.assert_allclose(
        [ours.params["shape"], ours.params["scale_months"]], [theirs.beta, theirs.alpha], rtol=1e-3
    )
    np.testing.assert_allclose(ours.log_likelihood, theirs.loglik, rtol=1e-6)
    # reliability's standard errors come from its own (autograd) Hessian: same information matrix
    np.testing.assert_allclose(ours.standard_errors["shape"], theirs.beta_SE, rtol=1e-2)


@pytest.mark.parametrize(
    ("share", "shape", "scale", "seed"), [(0.08, 0.8, 5.0, 4), (0.03, 1.5, 10.0, 5)]
)
def test_defective_subpopulation_matches_reliability(share, shape, scale, seed):
    rng = np.random.default_rng(seed)
    lives = np.where(rng.random(4000) < share, scale * rng.weibull(shape, 4000), np.inf)
    failures, suspended, data = _censored(lives)
    assert data.censored_share > 0.9
    ours = fitter("defective").fit(data)
    theirs = _oracle("Fit_Weibull_DS", failures, suspended)
    np.testing.assert_allclose(
        [ours.params[k] for k in ("share", "shape", "scale_months")],
        [theirs.DS, theirs.beta, theirs.alpha],
        rtol=1e-3,
    )


@pytest.mark.parametrize("seed", [6, 7])
def test_mixture_matches_reliability_on_likelihood_and_cdf(seed):
    rng = np.random.default_rng(seed)
    early = rng.random(3000) < 0.05
    lives = np.where(early, 3.0 * rng.weibull(0.7, 3000), 60.0 * rng.weibull(2.0, 3000))
    failures, suspended, data = _censored(lives)
    assert data.censored_share > 0.7
    ours = fitter("mixture").fit(data)
    theirs = _oracle("Fit_Weibull_Mixture", failures, suspended)
    np.testing.assert_allclose(ours.log_likelihood, theirs.loglik, rtol=1e-3)
    their_cdf = theirs.distribution.CDF(xvals=np.array([WARRANTY]), show_plot=False)
    np.testing.assert_allclose(ours.cdf([WARRANTY]), np.atleast_1d(their_cdf), rtol=1e-3)


def test_exponential_is_the_closed_form():
    """Censored exponential MLE: η̂ = total time on test / failures (Lawless 2003, §2.2)."""
    lives = 50.0 * np.random.default_rng(8).exponential(size=1000)
    failures, suspended, data = _censored(lives)
    fit = fitter("exponential").fit(data)
    expected = (failures.sum() + suspended.sum()) / len(failures)
    np.testing.assert_allclose(fit.params["scale_months"], expected, rtol=1e-6)
    # Fisher: Var(ln η̂) = 1/r, so se(η̂) = η̂/√r
    np.testing.assert_allclose(
        fit.standard_errors["scale_months"], expected / np.sqrt(len(failures)), rtol=1e-3
    )


@pytest.mark.parametrize("kind", [ModelKind.WEIBULL, ModelKind.DEFECTIVE, ModelKind.MIXTURE])
def test_period_likelihood_is_the_uniform_convolution(kind):
    """P(return k periods after shipment) = ∫₀¹∫ 1[floor(u + a) = k, a < W] dF(a) du, computed by
    quadrature of F over the uniform offset u: ∫₀¹ F_W(k + 1 − u) − F_W(k − u) du."""
    theta = {
        ModelKind.WEIBULL: [1.3, 30.0],
        ModelKind.DEFECTIVE: [0.2, 0.8, 4.0],
        ModelKind.MIXTURE: [0.1, 0.6, 2.0, 2.5, 40.0],
    }[kind]
    w = 12.0

    def capped(t: float) -> float:
        return float(dist.cdf(kind, np.array(theta), np.array([min(max(t, 0.0), w)]))[0])

    for k in (0, 3, 12):
        direct = integrate.quad(
            lambda u, k=k: capped(k + 1 - u) - capped(k - u), 0, 1, epsabs=1e-13
        )[0]
        ours = dist.period_probability(kind, np.array(theta), np.array([k]), 1.0, w)[0]
        np.testing.assert_allclose(ours, direct, rtol=1e-7, atol=1e-13)


def test_likelihood_ratio_bounds_sit_on_the_chi_square_contour():
    """At each LR bound the profile log-likelihood is ℓ̂ − χ²₁(0.95)/2 (its definition); for the
    exponential no nuisance parameter is left, so ℓ(bound) is evaluated directly."""
    lives = 30.0 * np.random.default_rng(9).exponential(size=300)
    _, _, data = _censored(lives)
    fit = fitter("exponential").fit(data)
    bounds = fit.confidence_intervals(method="likelihood_ratio").loc["scale_months"]
    for value in (bounds["lower"], bounds["upper"]):
        drop = fit.log_likelihood - dist.log_likelihood(
            ModelKind.EXPONENTIAL, np.array([value]), data
        )
        np.testing.assert_allclose(drop, stats.chi2.ppf(0.95, 1) / 2, rtol=1e-4)
    assert bounds["lower"] < fit.params["scale_months"] < bounds["upper"]


@pytest.mark.slow
def test_recommendation_prefers_the_mixture_only_when_the_data_show_one():
    rng = np.random.default_rng(10)
    plain = 60.0 * rng.weibull(1.5, 3000)
    chosen = recommend(_censored(plain)[2])
    assert chosen.best.kind in (ModelKind.WEIBULL, ModelKind.EXPONENTIAL)
    mixed = np.where(rng.random(3000) < 0.05, 1.0 * rng.weibull(0.6, 3000), plain)
    chosen = recommend(_censored(mixed)[2])
    assert chosen.best.kind is ModelKind.MIXTURE
    assert "BIC" in chosen.reason
    assert chosen.table.loc["mixture", "delta_bic"] == 0


def test_period_grouping_recovers_the_parameters_it_was_drawn_from():
    """Nevada cells from Weibull(2, 40) with uniform shipment offsets: the period fit is within 4
    standard errors of the truth (4 se: a false alarm once in ~16,000 runs)."""
    rng = np.random.default_rng(11)
    lives = 40.0 * rng.weibull(2.0, 20000)
    offset = rng.random(20000)
    lot_age = 24  # every unit watched through period 24 after shipment
    k = np.floor(offset + lives)
    failed = (k <= lot_age) & (lives < WARRANTY)
    data = life_data(
        k[failed], [lot_age], suspension_count=[int((~failed).sum())],
        grouping=Grouping.PERIOD, warranty_months=WARRANTY,
    )  # fmt: skip
    fit = fitter("weibull").fit(data)
    for name, truth in (("shape", 2.0), ("scale_months", 40.0)):
        assert abs(fit.params[name] - truth) < 4 * fit.standard_errors[name]
