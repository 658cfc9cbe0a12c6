"""A fitted life as scenario fields, and the scenario file that carries it.

How each model lands on a part (``scenarios/README.md``, ``life_uncertainty``):

| model        | ``life``            | ``early_defects``           |
|--------------|---------------------|-----------------------------|
| exponential  | shape 1, η          | ``null``                    |
| weibull      | β, η                | ``null`` (the fit saw them) |
| defective    | kept from the base  | p, β, η                     |
| mixture      | β₂, η₂              | p, β₁, η₁                   |

The covariance is the fit's on the free scale (ln, logit for the share), which is the scale the
simulation draws on with ``parameter_uncertainty``.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from warrantysim.calibration.distributions import ModelKind
from warrantysim.calibration.fitting import INTERVAL_NAMES, IntervalMethod, LifeFitter

SCENARIO_PARAMETERS: dict[ModelKind, tuple[str, ...]] = {
    ModelKind.EXPONENTIAL: ("life.scale_months",),
    ModelKind.WEIBULL: ("life.shape", "life.scale_months"),
    ModelKind.DEFECTIVE: (
        "early_defects.share", "early_defects.shape", "early_defects.scale_months",
    ),
    ModelKind.MIXTURE: (
        "early_defects.share", "early_defects.shape", "early_defects.scale_months",
        "life.shape", "life.scale_months",
    ),
}  # fmt: skip
"""The scenario path of each fitted parameter, in the fit's parameter order."""


def part_fields(fit: LifeFitter) -> dict[str, Any]:
    """The part's ``life``, ``early_defects`` and ``life_uncertainty`` from a fit."""
    values = dict(zip(SCENARIO_PARAMETERS[fit.kind], fit.result.theta, strict=True))
    fields: dict[str, Any] = {}
    for path, value in values.items():
        section, name = path.split(".")
        fields.setdefault(section, {})[name] = float(value)
    if fit.kind is ModelKind.EXPONENTIAL:
        fields["life"]["shape"] = 1.0
    if fit.kind in (ModelKind.EXPONENTIAL, ModelKind.WEIBULL):
        fields["early_defects"] = None
    fields["life_uncertainty"] = {
        "parameters": list(SCENARIO_PARAMETERS[fit.kind]),
        "covariance": [[float(v) for v in row] for row in fit.result.covariance_free],
    }
    return fields


def fitted_scenario_text(
    *,
    base: Path,
    out: Path,
    fitted_parts: dict[str, LifeFitter],
    comment: str,
) -> str:
    """A scenario file that ``extends:`` ``base`` (relative to ``out``) with the fitted parts."""
    body = {
        "extends": Path(os.path.relpath(base.resolve(), out.resolve().parent)).as_posix(),
        "name": _name(out),
        "description": f"{base.stem} with the lives of {', '.join(fitted_parts)} fitted from "
        "field data (warrantysim calibrate).",
        "parts": {name: part_fields(fit) for name, fit in fitted_parts.items()},
    }
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = [f"Written by warrantysim calibrate on {stamp}.", *comment.splitlines()]
    lines = "\n".join(f"# {line}".rstrip() for line in header)
    return f"{lines}\n{yaml.safe_dump(body, sort_keys=False, width=100, default_flow_style=None)}"


def _name(out: Path) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in out.stem).strip("-_")
    return cleaned[:64] or "fitted"


def summary_text(
    fit: LifeFitter, reason: str | None = None, interval: IntervalMethod = "fisher"
) -> str:
    """The comment block: the model, why, each estimate with se and 95 % intervals (of the
    ``interval`` method, named in the block), ℓ, AIC, BIC."""
    data = fit.data
    lines = [
        f"model {fit.kind.value}: {data.failures:,.0f} failures, {data.positions:,.0f} positions, "
        f"{data.censored_share:.1%} censored ({data.grouping.value} ages)",
    ]
    if reason:
        lines.append(f"why: {reason}")
    if fit.kind is ModelKind.DEFECTIVE:
        lines.append("life: kept from the base scenario (the data show only the defective share)")
    table = fit.interval_summary(interval)
    lines.append(f"intervals: 95 % {INTERVAL_NAMES[interval]}; se from the Fisher matrix")
    lines.append(f"{'parameter':<20} {'estimate':>12} {'se':>12} {'95% lower':>12} {'upper':>12}")
    for name, row in table.iterrows():
        lines.append(
            f"{name!s:<20} {row['estimate']:>12.5g} {row['standard_error']:>12.4g} "
            f"{row['lower']:>12.5g} {row['upper']:>12.5g}"
        )
    lines.append(
        f"log-likelihood {fit.log_likelihood:,.3f}; AIC {fit.aic:,.2f}; BIC {fit.bic:,.2f}"
    )
    return "\n".join(lines)
