"""Monthly sales: the plan, its growth and seasonality, the price response, Poisson noise."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from warrantysim.scenario import DemandNoise, Scenario
from warrantysim.sim.rng import Streams


def planned_units(scenario: Scenario, price: float) -> NDArray[np.float64]:
    """Expected units per month over the horizon (zero after the sales months).

    units_m = units_per_month · (1 + g)^((m−1)/12) · seasonality[(m−1) mod 12]
              · (price / reference_price)^(−elasticity)           (constant-elasticity demand)
    """
    product, pricing = scenario.product, scenario.pricing
    months = np.arange(min(product.sales_months, scenario.horizon_months))
    growth = np.power(1.0 + product.growth_per_year, months / 12.0)
    season = np.asarray(product.seasonality)[months % 12]
    response = (price / pricing.reference_price) ** (-pricing.demand_elasticity)
    units = np.zeros(scenario.horizon_months)
    units[months] = product.units_per_month * growth * season * response
    return units


def units_sold(scenario: Scenario, price: float, streams: Streams) -> NDArray[np.int64]:
    """Units sold each month: Poisson around the plan, or the plan rounded."""
    expected = planned_units(scenario, price)
    if scenario.product.demand_noise is DemandNoise.POISSON:
        return streams.demand().poisson(expected).astype(np.int64)
    return np.rint(expected).astype(np.int64)


def history_units(scenario: Scenario, price: float) -> NDArray[np.int64]:
    """Units sold in each of the ``history_months`` before month 1, oldest first: the plan's
    rate (the formula above at months m = 1 − h, …, 0), rounded; the past is not random here."""
    product, pricing = scenario.product, scenario.pricing
    months = np.arange(-product.history_months, 0)  # 0-based: −h … −1
    growth = np.power(1.0 + product.growth_per_year, months / 12.0)
    season = np.asarray(product.seasonality)[months % 12]
    response = (price / pricing.reference_price) ** (-pricing.demand_elasticity)
    units = np.rint(product.units_per_month * growth * season * response)
    return np.asarray(units, dtype=np.int64)
