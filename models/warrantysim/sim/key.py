"""What a simulation reads of a scenario, as a key: policies that differ only in their books
share their event logs and their stock plan."""

from __future__ import annotations

from warrantysim.scenario import Accounting, BaseStock, Scenario, Supplier, scenario_hash


def simulation_key(scenario: Scenario, price: float) -> str:
    """A hash of what the simulation (and the stock plan) reads, and nothing else.

    The event log depends on the fleet, parts, lives, stocking, service and quality; it does not
    read the name, the descriptions, the Chinese title, the accounting, tax, financing and
    expenses sections, the opening balance's money (its spares are stock, and kept), the
    suppliers' money terms or the service's and screening's costs and penalties (applied when
    booking: docs/design.md, "book" is a pure function of the log), so policies that differ only
    there share their logs. A supplier's ``recovery_rate`` is kept: the simulation draws which
    chargebacks it accepts.
    """
    neutral_suppliers = {
        n: Supplier(recovery_rate=s.recovery_rate) for n, s in scenario.suppliers.items()
    }
    service = scenario.service.model_copy(
        update={
            "labour_cost_per_repair": 0.0,
            "logistics_cost_per_repair": 0.0,
            "late_penalty_per_day": 0.0,
        }
    )
    quality = scenario.quality.model_copy(update={"screening_cost_per_unit": 0.0})
    neutral = scenario.model_copy(
        update={
            "name": "",
            "description": "",
            "title_zh": None,
            "description_zh": None,
            "accounting": Accounting(),
            "tax": type(scenario.tax)(),
            "financing": type(scenario.financing)(),
            "expenses": type(scenario.expenses)(),
            "opening_balance": type(scenario.opening_balance)(
                spares=scenario.opening_balance.spares
            ),
            "suppliers": neutral_suppliers,
            "service": service,
            "quality": quality,
        }
    )
    # The unit price drives demand and may follow costs and terms (cost-plus), so it is keyed.
    return f"{scenario_hash(neutral)}@{price!r}"


def demand_key(scenario: Scenario, price: float) -> str:
    """A hash of what the sales and the claims read (``sim.model.draw_demand``): the
    :func:`simulation_key` without the parts' stocking policies, so a stocking change (the
    workbench's stocking lever) reuses the claims it would draw again (the failures cannot
    depend on the stock: sim/failures.py)."""
    parts = [part.model_copy(update={"stocking": _NEUTRAL_STOCKING}) for part in scenario.parts]
    return "demand:" + simulation_key(scenario.model_copy(update={"parts": parts}), price)


_NEUTRAL_STOCKING = BaseStock(policy="base_stock")
