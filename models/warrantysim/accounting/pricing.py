"""The product's price and the model's own expected warranty cost per unit sold.

Cost-plus: price = (unit cost + supplier price uplifts on the bill of materials
[+ expected warranty cost per unit]) × (1 + markup). The expected warranty cost per unit is

    Σ_parts M_p(W) × (spare cost per claim + labour + logistics),

M_p the renewal function of the part (:mod:`warrantysim.sim.renewal`), averaged over the sales
cohorts weighted by their planned units. The spare cost per claim is the mix that refurbishment
gives: a share ``yield`` of the spares issued are refurbished returns at their refurbishment cost,
the rest bought at the spare price, (1 − y)·c + y·c_refurb. It is what a repair costs the books
under every spares treatment (so it is also the ``accrual_per_unit: auto`` of the warranty
provision); leftover stock, salvage and chargebacks are separate lines and are left out.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from warrantysim.scenario import Part, PricingPolicy, Scenario
from warrantysim.sim.renewal import cohort_life_factor, expected_claims_by_age
from warrantysim.sim.sales import planned_units


def spare_unit_cost(scenario: Scenario, part: Part) -> float:
    """What one spare costs to buy: list cost × (1 + its supplier's price uplift)."""
    return part.unit_cost * (1.0 + _uplift(scenario, part))


def product_unit_cost(scenario: Scenario) -> float:
    """Unit cost of a product, raised by each supplier's uplift on its parts' bill of materials."""
    uplift = sum(p.qty_per_unit * p.unit_cost * _uplift(scenario, p) for p in scenario.parts)
    return scenario.product.unit_cost + uplift


def expected_warranty_cost_per_unit(scenario: Scenario) -> float:
    """Σ_p M_p(W) (spare cost per claim + labour + logistics), over the planned cohorts."""
    return _expected_warranty_cost(scenario.model_dump_json())


@lru_cache(maxsize=256)
def _expected_warranty_cost(scenario_json: str) -> float:
    scenario = Scenario.model_validate_json(scenario_json)
    service = scenario.service
    per_claim_service = service.labour_cost_per_repair + service.logistics_cost_per_repair
    weights = planned_units(scenario, scenario.pricing.reference_price)[
        : scenario.product.sales_months
    ]
    factors = cohort_life_factor(scenario, np.arange(1, len(weights) + 1))
    unique, inverse = np.unique(factors, return_inverse=True)
    total = 0.0
    for part in scenario.parts:
        per_factor = np.array([expected_claims_per_unit_at(scenario, part, f) for f in unique])
        claims = float(np.average(per_factor[inverse], weights=weights))
        total += claims * (spare_cost_per_claim(scenario, part) + per_claim_service)
    return total


def spare_cost_per_claim(scenario: Scenario, part: Part) -> float:
    """(1 − y)·c + y·c_refurb: refurbished returns supply a share ``yield`` of the repairs."""
    cost = spare_unit_cost(scenario, part)
    if part.refurbish is None:
        return cost
    return (1.0 - part.refurbish.yield_) * cost + part.refurbish.yield_ * part.refurbish.cost


def expected_claims_per_unit_at(scenario: Scenario, part: Part, life_factor: float) -> float:
    """M(W) for a cohort whose lives are scaled by ``life_factor`` (reliability growth)."""
    w = np.array([scenario.product.warranty_months], dtype=np.float64)
    coverage = scenario.quality.screening_coverage
    claims = expected_claims_by_age(part, w, life_factor=life_factor, screening_coverage=coverage)
    return float(claims[0])


def unit_price(scenario: Scenario) -> float:
    """The selling price the policy sets, on the basis ``pricing.price_includes_vat`` states;
    ``fixed`` takes ``pricing.price`` as it is. Cost-plus marks up costs net of VAT, so its price
    is net, made gross when prices are stated with VAT (demand compares it with
    ``reference_price``, stated the same way)."""
    pricing = scenario.pricing
    if pricing.policy is PricingPolicy.FIXED:
        return pricing.price
    cost = product_unit_cost(scenario)
    if pricing.include_warranty_cost:
        cost += expected_warranty_cost_per_unit(scenario)
    gross = 1.0 + scenario.tax.vat_rate if pricing.price_includes_vat else 1.0
    return cost * (1.0 + pricing.markup) * gross


def net_unit_price(scenario: Scenario, price: float) -> float:
    """The revenue of one unit sold at ``price``: price / (1 + VAT rate) when the price includes
    VAT (含税价 → 不含税收入), else the price itself (``accounting/vat.py``)."""
    if scenario.pricing.price_includes_vat:
        return price / (1.0 + scenario.tax.vat_rate)
    return price


def _uplift(scenario: Scenario, part: Part) -> float:
    if part.supplier is None:
        return 0.0
    return scenario.suppliers[part.supplier].price_uplift
