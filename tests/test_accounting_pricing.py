"""Pricing: spare and product cost under supplier uplifts, cost-plus, the expected warranty cost."""

from __future__ import annotations

import pytest

from factories import books_scenario as scenario
from factories import widget
from warrantysim.accounting import accrual_per_unit
from warrantysim.accounting.pricing import (
    expected_warranty_cost_per_unit,
    product_unit_cost,
    spare_cost_per_claim,
    spare_unit_cost,
    unit_price,
)

EXPONENTIAL_100 = {"shape": 1.0, "scale_months": 100.0}  # M(t) = t/100 (Poisson renewal)
ACME = {"acme": {"price_uplift": 0.1}}


def test_supplier_uplift_raises_spare_and_product_cost() -> None:
    # A part of list cost 10, two per unit, from a supplier charging 10 % more: a spare costs 11,
    # and the product's unit cost 1,000 rises by 2 × 10 × 0.1 = 2.
    sc = scenario(
        [widget(supplier="acme", qty_per_unit=2)], product={"unit_cost": 1000.0}, suppliers=ACME
    )
    assert spare_unit_cost(sc, sc.parts[0]) == pytest.approx(11.0)
    assert product_unit_cost(sc) == pytest.approx(1002.0)


def test_cost_plus_price_includes_the_warranty_cost_when_asked() -> None:
    # Product 1,000; one part of cost 100 with exponential lives of mean 100 months and a 12-month
    # warranty: M(12) = 0.12 claims, each 100 + 20 labour: 14.4 a unit. Markup 25 %:
    # 1,000 × 1.25 = 1,250 without, (1,000 + 14.4) × 1.25 = 1,268 with the warranty cost.
    part = widget(unit_cost=100.0, life=EXPONENTIAL_100)
    pricing = {"policy": "cost_plus", "markup": 0.25}
    sc = scenario([part], product={"unit_cost": 1000.0}, pricing=pricing,
                  service={"labour_cost_per_repair": 20.0})  # fmt: skip
    assert unit_price(sc) == pytest.approx(1250.0)
    with_warranty = sc.model_copy(
        update={"pricing": sc.pricing.model_copy(update={"include_warranty_cost": True})}
    )
    assert unit_price(with_warranty) == pytest.approx(1014.4 * 1.25, rel=1e-4)


def test_refurbished_returns_lower_the_cost_of_a_claim() -> None:
    # Yield 30 %, refurbishment 20, new spare 100: 0.7 × 100 + 0.3 × 20 = 76 a claim, so the
    # expected warranty cost per unit is M(12) × 76 = 0.12 × 76 = 9.12 (not 0.12 × 100 = 12).
    part = widget(unit_cost=100.0, life=EXPONENTIAL_100,
                  refurbish={"yield": 0.3, "cost": 20.0, "days": 10.0})  # fmt: skip
    sc = scenario([part])
    assert spare_cost_per_claim(sc, sc.parts[0]) == pytest.approx(76.0)
    assert expected_warranty_cost_per_unit(sc) == pytest.approx(9.12, rel=2e-3)


def test_auto_accrual_weights_cohorts_by_their_planned_units() -> None:
    # Reliability growth g = 1 a year: cohort m's lives are scaled by 2^((m − 1)/12), so its
    # M(12) = 0.12 / 2^((m − 1)/12). Seasonality [3, 1, ..., 1] sells three times as many units in
    # months 1 and 13; the accrual is the unit-weighted mean of M(12) × 100 over the 24 cohorts.
    season = [3.0] + [1.0] * 11
    sections = {
        "product": {"sales_months": 24, "seasonality": season},
        "quality": {"reliability_growth_per_year": 1.0},
    }
    sc = scenario([widget(unit_cost=100.0, life=EXPONENTIAL_100)], **sections)
    months = range(1, 25)
    weights = [season[(m - 1) % 12] for m in months]
    claims = [0.12 / 2 ** ((m - 1) / 12) for m in months]
    expected = 100.0 * sum(w * c for w, c in zip(weights, claims, strict=True)) / sum(weights)
    assert accrual_per_unit(sc) == pytest.approx(expected, rel=2e-3)
    unweighted = 100.0 * sum(claims) / 24
    assert abs(accrual_per_unit(sc) - unweighted) > 0.01 * unweighted  # the weights matter
    fixed = scenario([widget()], accounting={"accrual_per_unit": 7.5}, **sections)
    assert accrual_per_unit(fixed) == 7.5
