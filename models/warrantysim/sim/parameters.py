"""Estimation uncertainty: a replication's own draw of a part's life parameters.

With ``simulation.parameter_uncertainty: true`` and a part's ``life_uncertainty`` (written by
``warrantysim calibrate``), replication r draws u ~ N(û, Σ) on the free scale (ln θ, logit θ for
the share; û = the part's values) from the stream ``life-parameters/<part>`` and simulates that
part's failures with θ = exp(u) (expit for the share). Across replications the claims then spread
as the posterior predictive of a flat-prior normal approximation does (Meeker & Escobar 1998,
§8.4): process noise plus parameter noise. Planning (stock levels, accruals) never sees the draw.
"""

from __future__ import annotations

import numpy as np

from warrantysim.scenario import Part, Scenario, UncertainParameter
from warrantysim.sim.rng import Streams


def drawn_part(scenario: Scenario, part: Part, streams: Streams) -> Part:
    """``part`` with its life parameters drawn for this replication (or unchanged)."""
    uncertainty = part.life_uncertainty
    if not scenario.simulation.parameter_uncertainty or uncertainty is None:
        return part
    centre = np.array([_free(p, _value(part, p)) for p in uncertainty.parameters])
    rng = streams.life_parameters(part.name)
    draw = rng.multivariate_normal(centre, np.array(uncertainty.covariance), method="eigh")
    return _with_values(part, dict(zip(uncertainty.parameters, draw, strict=True)))


def _value(part: Part, parameter: UncertainParameter) -> float:
    section, field = parameter.value.split(".")
    return float(getattr(getattr(part, section), field))


def _free(parameter: UncertainParameter, value: float) -> float:
    is_share = parameter is UncertainParameter.EARLY_SHARE
    return float(np.log(value / (1 - value)) if is_share else np.log(value))


def _with_values(part: Part, free: dict[UncertainParameter, float]) -> Part:
    changes: dict[str, dict[str, float]] = {}
    for parameter, u in free.items():
        section, field = parameter.value.split(".")
        is_share = parameter is UncertainParameter.EARLY_SHARE
        changes.setdefault(section, {})[field] = float(
            1 / (1 + np.exp(-u)) if is_share else np.exp(u)
        )
    return part.model_copy(
        update={s: getattr(part, s).model_copy(update=v) for s, v in changes.items()}
    )
