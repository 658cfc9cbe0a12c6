"""Small scenarios for simulation tests, built in code so each test shows what it varies."""

from __future__ import annotations

from typing import Any

from warrantysim.accounting.pricing import unit_price
from warrantysim.scenario import Scenario
from warrantysim.sim.eventlog import EventLog
from warrantysim.sim.model import run_replication


def part(name: str = "ssd", **fields: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": name,
        "unit_cost": 300.0,
        "life": {"shape": 1.0, "scale_months": 24.0},
        "lead_time_days": 10.0,
        "stocking": {"policy": "base_stock", "level": 20},
    }
    spec.update(fields)
    return spec


def scenario(parts: list[dict[str, Any]] | None = None, **sections: Any) -> Scenario:
    """A small fleet: ``units_per_month`` for ``sales_months``, warranty 12 months, no noise."""
    product = {
        "sales_months": 12,
        "units_per_month": 1000,
        "unit_cost": 4200.0,
        "warranty_months": 12,
        "demand_noise": "none",
    }
    product.update(sections.pop("product", {}))
    spec: dict[str, Any] = {
        "name": "test",
        "product": product,
        "pricing": {"price": 5600.0, "reference_price": 5600.0},
        "parts": parts if parts is not None else [part()],
        "simulation": {"replications": 1, "seed": 1},
    }
    spec.update(sections)
    return Scenario.model_validate(spec)


def replicate(spec: Scenario, seed: int, replication: int = 0, **options: Any) -> EventLog:
    """One replication at the scenario's own price (the price is a finance input, so tests
    compute it the way ``api.prepare`` does)."""
    return run_replication(spec, seed, replication, price=unit_price(spec), **options)


ENGINES = ("fast", "simpy")
"""Both engines, for tests that must hold whichever serves the scenario."""


def with_engine(spec: Scenario, engine: str) -> Scenario:
    """``spec`` run by ``engine`` (validated: the fast path refuses what it cannot serve)."""
    raw = spec.model_dump(mode="json", by_alias=True)
    raw["simulation"]["engine"] = engine
    return Scenario.model_validate(raw)
