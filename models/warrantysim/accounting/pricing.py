"""The product's price and the model's own expected warranty cost per unit sold.

Cost-plus: price = (unit cost + supplier price uplifts on the bill of materials
[+ expected warranty cost per unit]) × (1 + markup). The expected warranty cost per unit is
Σ_parts M_p(W) × (part cost + labour + logistics), M_p the renewal function of the part
(:mod:`warrantysim.sim.renewal`), averaged over the planned sales cohorts.
"""

from __future__ import annotations

import numpy as np

from warrantysim.scenario import Part, PricingPolicy, Scenario
from warrantysim.sim.renewal import expected_claims_per_unit


def spare_unit_cost(scenario: Scenario, part: Part) -> float:
    """What one spare costs to buy: list cost × (1 + its supplier's price uplift)."""
    return part.unit_cost * (1.0 + _uplift(scenario, part))


def product_unit_cost(scenario: Scenario) -> float:
    """Unit cost of a product, raised by each supplier's uplift on its parts' bill of materials."""
    uplift = sum(p.qty_per_unit * p.unit_cost * _uplift(scenario, p) for p in scenario.parts)
    return scenario.product.unit_cost + uplift


def expected_warranty_cost_per_unit(scenario: Scenario) -> float:
    """Σ_p M_p(W) (spare cost + labour + logistics), averaged over the sales months' cohorts."""
    service = scenario.service
    per_claim_service = service.labour_cost_per_repair + service.logistics_cost_per_repair
    months = np.arange(1, scenario.product.sales_months + 1)
    total = 0.0
    for part in scenario.parts:
        claims = np.mean([expected_claims_per_unit(scenario, part, int(m)) for m in months])
        total += float(claims) * (spare_unit_cost(scenario, part) + per_claim_service)
    return total


def unit_price(scenario: Scenario) -> float:
    """The selling price the policy sets; ``fixed`` takes ``pricing.price`` as it is."""
    pricing = scenario.pricing
    if pricing.policy is PricingPolicy.FIXED:
        return pricing.price
    cost = product_unit_cost(scenario)
    if pricing.include_warranty_cost:
        cost += expected_warranty_cost_per_unit(scenario)
    return cost * (1.0 + pricing.markup)


def _uplift(scenario: Scenario, part: Part) -> float:
    if part.supplier is None:
        return 0.0
    return scenario.suppliers[part.supplier].price_uplift
