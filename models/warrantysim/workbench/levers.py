"""The workbench's levers: a few policy knobs, turned into scenario overrides.

A :class:`Levers` is read from a scenario (:meth:`Levers.of`) and written back as ``--set``-style
overrides (:meth:`Levers.overrides`), so what the dashboard shows can be reproduced on the command
line, and a lever left where the scenario had it changes nothing. Only levers that moved are
written. Chargeback shares are one per supplier; technicians 0 means no repair centre (every
repair takes ``service.repair_days`` with unlimited capacity).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from warrantysim.scenario import (
    BaseStock,
    MinMax,
    PricingPolicy,
    Scenario,
    SparesTreatment,
    apply_overrides,
)

WORKBENCH_LABEL = "workbench lever"


@dataclass(frozen=True)
class Levers:
    spares_treatment: SparesTreatment
    pricing_policy: PricingPolicy
    markup: float
    include_warranty_cost: bool
    chargeback_shares: tuple[tuple[str, float], ...]
    """(supplier, share of a supplier-fault claim's cost charged back), one per supplier."""
    age_writedown_months: int | None
    cap_absolute_yuan: float | None
    screening_coverage: float
    stocking_multiplier: float = 1.0
    """Scales every part's stocking level (base stock S, or min and max)."""
    reliability_multiplier: float = 1.0
    """Scales every part's Weibull scale η: 1.2 = parts live 20 % longer."""
    late_penalty_per_day: float = 0.0
    """Yuan per day a repair takes beyond ``service.target_days``."""
    technicians: int = 0
    """Technicians at the repair centre; 0 = no repair centre."""

    @classmethod
    def of(cls, scenario: Scenario) -> Levers:
        centre = scenario.service.repair_centre
        return cls(
            spares_treatment=scenario.accounting.spares_treatment,
            pricing_policy=scenario.pricing.policy,
            markup=scenario.pricing.markup,
            include_warranty_cost=scenario.pricing.include_warranty_cost,
            chargeback_shares=tuple((n, s.chargeback_share) for n, s in scenario.suppliers.items()),
            age_writedown_months=scenario.accounting.age_writedown_months,
            cap_absolute_yuan=scenario.accounting.book_value_cap.absolute,
            screening_coverage=scenario.quality.screening_coverage,
            late_penalty_per_day=scenario.service.late_penalty_per_day,
            technicians=centre.technicians if centre is not None else 0,
        )

    def replace(self, **changes: object) -> Levers:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def overrides(self, scenario: Scenario) -> dict[str, object]:
        """Dotted-path overrides (``--set`` form) for the levers that differ from ``scenario``."""
        start = Levers.of(scenario)
        out: dict[str, object] = {}
        for lever, path in _SIMPLE_PATHS.items():
            value = getattr(self, lever)
            if value != getattr(start, lever):
                out[path] = value.value if hasattr(value, "value") else value
        before = dict(start.chargeback_shares)
        for name, share in self.chargeback_shares:
            if before.get(name) != share:
                out[f"suppliers.{name}.chargeback_share"] = share
        if self.technicians != start.technicians:
            out |= _technician_overrides(scenario, self.technicians)
        if self.reliability_multiplier != 1.0:
            for part in scenario.parts:
                scale = part.life.scale_months * self.reliability_multiplier
                out[f"parts.{part.name}.life.scale_months"] = scale
        return out


_SIMPLE_PATHS = {
    "spares_treatment": "accounting.spares_treatment",
    "pricing_policy": "pricing.policy",
    "markup": "pricing.markup",
    "include_warranty_cost": "pricing.include_warranty_cost",
    "age_writedown_months": "accounting.age_writedown_months",
    "cap_absolute_yuan": "accounting.book_value_cap.absolute",
    "screening_coverage": "quality.screening_coverage",
    "late_penalty_per_day": "service.late_penalty_per_day",
}


def _technician_overrides(scenario: Scenario, technicians: int) -> dict[str, object]:
    """A repair centre of ``technicians`` (a new one takes ``service.repair_days`` per claim),
    or none for 0."""
    if technicians == 0:
        return {"service.repair_centre": None}
    if scenario.service.repair_centre is not None:
        return {"service.repair_centre.technicians": technicians}
    return {
        "service.repair_centre": {
            "technicians": technicians,
            "repair_days": scenario.service.repair_days,
        }
    }


def apply_levers(scenario: Scenario, levers: Levers) -> Scenario:
    """``scenario`` with the levers set; stocking is scaled last, from the levels it then plans."""
    moved = apply_overrides(scenario, levers.overrides(scenario), WORKBENCH_LABEL)
    if levers.stocking_multiplier == 1.0:
        return moved
    return apply_overrides(moved, stocking_overrides(moved, levers.stocking_multiplier))


def stocking_overrides(scenario: Scenario, multiplier: float) -> dict[str, object]:
    """Every part's stocking level × ``multiplier``.

    Base stock keeps its plan (``level: auto`` plans a level per month) and scales it through
    ``stocking.level_multiplier``; min/max scales both bounds.
    """
    out: dict[str, object] = {}
    for part in scenario.parts:
        stocking = part.stocking
        if isinstance(stocking, BaseStock):
            scaled = stocking.level_multiplier * multiplier
            out[f"parts.{part.name}.stocking.level_multiplier"] = scaled
        elif isinstance(stocking, MinMax):
            low = max(-1, round(stocking.min * multiplier))
            out[f"parts.{part.name}.stocking.min"] = low
            out[f"parts.{part.name}.stocking.max"] = max(low + 1, round(stocking.max * multiplier))
    return out
