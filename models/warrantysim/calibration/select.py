"""Which model the data support: every model fitted, compared by BIC, with a plain reason.

BIC differences are read on Kass & Raftery's scale (1995, "Bayes factors", JASA 90: 773–795):
under 2 "not worth more than a bare mention", 2–6 positive, 6–10 strong, over 10 very strong.
When the best model beats a simpler one by less than 2, the simpler one is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from warrantysim.calibration.distributions import ModelKind
from warrantysim.calibration.fitting import LifeFitter, fitter
from warrantysim.calibration.lifedata import LifeData

SIMPLEST_FIRST = (ModelKind.EXPONENTIAL, ModelKind.WEIBULL, ModelKind.DEFECTIVE, ModelKind.MIXTURE)
NOT_WORTH_A_MENTION = 2.0


@dataclass(frozen=True)
class Recommendation:
    best: LifeFitter
    fits: dict[ModelKind, LifeFitter]
    reason: str

    @property
    def table(self) -> pd.DataFrame:
        """A row per model: parameters, ℓ, AIC, BIC, ΔBIC to the recommended one."""
        rows = [
            {"model": k.value, "parameters": f.n_params, "log_likelihood": f.log_likelihood,
             "aic": f.aic, "bic": f.bic, "converged": f.result.converged}
            for k, f in self.fits.items()
        ]  # fmt: skip
        table = pd.DataFrame(rows).set_index("model")
        return table.assign(delta_bic=table["bic"] - self.best.bic)


def recommend(data: LifeData, kinds: Sequence[ModelKind] = SIMPLEST_FIRST) -> Recommendation:
    fits: dict[ModelKind, LifeFitter] = {}
    weibull = None
    for k in sorted(kinds, key=lambda k: k is not ModelKind.WEIBULL):  # the Weibull first
        fits[k] = fitter(k).fit(data, weibull)
        weibull = fits[k].result.theta if k is ModelKind.WEIBULL else weibull
    fits = {k: fits[k] for k in kinds}
    usable = [k for k in kinds if fits[k].result.converged] or list(kinds)
    lowest = min(usable, key=lambda k: fits[k].bic)
    chosen = next(
        k for k in usable if fits[k].bic - fits[lowest].bic < NOT_WORTH_A_MENTION
    )  # the simplest within 2 of the lowest BIC
    return Recommendation(fits[chosen], fits, _reason(fits, chosen, usable))


def _strength(delta: float) -> str:
    if delta > 10:
        return "very strong"
    if delta > 6:
        return "strong"
    return "positive" if delta > 2 else "weak"


def _reason(fits: dict[ModelKind, LifeFitter], chosen: ModelKind, usable: list[ModelKind]) -> str:
    others = sorted((fits[k].bic - fits[chosen].bic, k) for k in usable if k is not chosen)
    text = f"{chosen.value} has the lowest BIC ({fits[chosen].bic:,.1f})"
    if not others:
        return text + "."
    delta, runner_up = others[0]
    if delta < 0:
        return (
            f"{chosen.value} is kept: {runner_up.value} lowers BIC by only {-delta:.1f} "
            f"(under {NOT_WORTH_A_MENTION:g}, not worth its extra parameters)."
        )
    return (
        f"{text}; the next, {runner_up.value}, is {delta:.1f} higher ({_strength(delta)} evidence)."
    )
