"""The other direction: a replication's simulated claims as a Nevada chart per part.

Lot = sales month (1-based labels ``1, 2, ...``), return period = the month of the claim, so the
chart reads back with :func:`~warrantysim.calibration.nevada.read_nevada` (integer periods of one
month). The claims are replication r's exactly: sales, sale days and lives come from the same
named streams the simulation uses (stock and accounting cannot move claims; DESIGN.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from warrantysim.calibration.nevada import NevadaChart, write_nevada
from warrantysim.scenario import DAYS_PER_MONTH, Scenario
from warrantysim.sim.failures import make_fleet, part_claims
from warrantysim.sim.rng import Streams
from warrantysim.sim.sales import units_sold


def nevada_from_claims(
    units_by_month: NDArray[np.int64],
    claim_day: NDArray[np.float64],
    sale_month: NDArray[np.int64],
    observed_months: int,
) -> NevadaChart:
    """Returns of lots shipped in months 1..S counted in months 1..``observed_months``."""
    selling = np.nonzero(np.asarray(units_by_month) > 0)[0]
    lots = min(int(selling.max()) + 1 if len(selling) else 0, observed_months)
    claim_month = np.floor(claim_day / DAYS_PER_MONTH).astype(np.int64)
    seen = (claim_month < observed_months) & (sale_month <= lots)
    cells = (sale_month[seen] - 1) * observed_months + claim_month[seen]
    returns = np.bincount(cells, minlength=lots * observed_months).reshape(lots, observed_months)
    return NevadaChart(
        ship_period=np.arange(1, lots + 1, dtype=np.int64),
        shipped=np.asarray(units_by_month[:lots], dtype=np.int64),
        returns=returns.astype(np.int64),
        first_return_period=1,
        labels=tuple(str(m) for m in range(1, observed_months + 1)),
        source="simulated",
    )


def simulated_nevada(
    scenario: Scenario,
    price: float,
    seed: int,
    replication: int = 0,
    observed_months: int | None = None,
) -> dict[str, NevadaChart]:
    """Replication ``replication``'s charts, watched through ``observed_months`` (the horizon)."""
    streams = Streams(seed, replication)
    units = units_sold(scenario, price, streams)
    fleet = make_fleet(units, streams)
    months = observed_months or scenario.horizon_months
    charts = {}
    for part in scenario.parts:
        claims = part_claims(scenario, part, fleet, streams)
        charts[part.name] = nevada_from_claims(units, claims.claim_day, claims.sale_month, months)
    return charts


def write_simulated_nevada(
    directory: Path, scenario: Scenario, price: float, seed: int, replication: int = 0
) -> list[Path]:
    """``DIR/nevada-<part>.csv`` for every part; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    charts = simulated_nevada(scenario, price, seed, replication)
    return [write_nevada(chart, directory / f"nevada-{name}.csv") for name, chart in charts.items()]
