"""A deliberately plain SimPy model of the warranty operations: the yardstick for the fast model.

Same physics as DESIGN.md's "Model semantics", written independently of ``warrantysim.sim``'s
vectorised model and without its tricks: one SimPy process per sold unit and part position,
spawned at the sale; a ``simpy.Container`` per part whose FIFO get queue is the first-come,
first-served backorder queue; one process per replenishment order, per repair and refurbishment.

A repair centre (``service.repair_centre``) is a ``simpy.Resource`` a claim requests once it has
its spare; random lead and repair times are drawn with Python's ``random`` by its own sampler.

What it shares with the package is the contract (the ``Scenario`` schema, ``DAYS_PER_MONTH``)
and the stock *plan* made before the run (``plan_stock``: ``level: auto`` by Palm, last-buy
cover), so both models stock the same levels. Its random draws come from its own generators:
it agrees with the fast model in distribution only, never draw by draw.

A position's process ends at its first failure outside the warranty (or the horizon) instead of
sleeping until it: the same physics, and what keeps 450k units × 10 parts within memory.

Run ``python benchmarks/naive_reference.py SCENARIO.yaml`` for one replication's totals.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy
from numpy.typing import NDArray

from warrantysim.scenario import (
    DAYS_PER_MONTH,
    BaseStock,
    DemandNoise,
    MinMax,
    Part,
    Scenario,
)
from warrantysim.sim.stocking import StockPlan, plan_stock

IntArray = NDArray[np.int64]
ProcessGen = Generator[simpy.Event, object, None]


@dataclass(frozen=True)
class NaiveCounts:
    """What one naive replication saw, per part and month (index 0 = month 1)."""

    part_names: tuple[str, ...]
    units_sold: IntArray
    """Units sold per month, shape (months,)."""
    claims: IntArray
    """Claims per (part, month of the failure)."""
    claims_filled_from_stock: IntArray
    """Claims that found a spare on hand at the failure, per (part, month of the failure)."""
    on_hand_end: IntArray
    backorders_end: IntArray
    processes_started: int
    technician_wait_days: NDArray[np.float64]
    """Sum of the waits for a technician per (part, month of the failure)."""
    repairs_started: IntArray
    """Claims a technician took before the horizon's end, per (part, month of the failure)."""

    def fill_rate(self, part: int) -> float:
        """Share of a part's claims filled from stock at once (NaN without claims)."""
        total = int(self.claims[part].sum())
        return float(self.claims_filled_from_stock[part].sum()) / total if total else math.nan


# --------------------------------------------------------------------------- sales and demand


def planned_units(scenario: Scenario, price: float) -> NDArray[np.float64]:
    """units_m = units_per_month · (1+g)^((m−1)/12) · season[(m−1) mod 12] · (p/p_ref)^(−ε)."""
    product, pricing = scenario.product, scenario.pricing
    units = np.zeros(scenario.horizon_months)
    response = (price / pricing.reference_price) ** (-pricing.demand_elasticity)
    for m in range(min(product.sales_months, scenario.horizon_months)):
        growth = (1.0 + product.growth_per_year) ** (m / 12.0)
        units[m] = product.units_per_month * growth * product.seasonality[m % 12] * response
    return units


def draw_units(
    scenario: Scenario, planned: NDArray[np.float64], rng: np.random.Generator
) -> IntArray:
    if scenario.product.demand_noise is DemandNoise.POISSON:
        return rng.poisson(planned).astype(np.int64)
    return np.rint(planned).astype(np.int64)


# --------------------------------------------------------------------------- stock of one part


class PartStock:
    """The spares of one part: a Container (its get queue = FCFS backorders) and the pipeline."""

    def __init__(self, env: simpy.Environment, part: Part, levels: IntArray | None) -> None:
        self.env = env
        self.part = part
        self.levels = levels
        """Base stock S in force from each month's start (None for min_max)."""
        self.level = int(levels[0]) if levels is not None and len(levels) else 0
        initial = part.stocking.max if isinstance(part.stocking, MinMax) else self.level
        self.store = simpy.Container(env, init=initial)
        self.on_order = 0
        self.in_refurbishment = 0
        self.coming_back = 0
        """Parts of claims whose refurbishment will succeed, from the claim until back in stock."""
        self.regular_orders = True
        self.lead_time: Callable[[], float] = lambda: 0.0

    @property
    def backorders(self) -> int:
        return len(self.store.get_queue)

    @property
    def inventory_position(self) -> int:
        """On hand + on order + coming back from refurbishment − backorders (METRIC)."""
        return int(self.store.level) + self.on_order + self.coming_back - self.backorders

    def order(self, qty: int) -> None:
        if qty > 0:
            self.on_order += qty
            self.env.process(self._deliver(qty))

    def _deliver(self, qty: int) -> ProcessGen:
        yield self.env.timeout(self.lead_time())
        self.on_order -= qty
        yield self.store.put(qty)

    def after_demand(self) -> None:
        """Base stock orders one-for-one up to S; after a last buy only a shortfall is ordered."""
        if not self.regular_orders:
            self.order(-self.inventory_position)  # emergency: the last buy ran short
            return
        if isinstance(self.part.stocking, BaseStock):
            self.order(self.level - self.inventory_position)


# --------------------------------------------------------------------------- the world


class NaiveWorld:
    """Everything one replication shares: the clock, the stocks, the draws and the counters."""

    def __init__(self, scenario: Scenario, seed: int, replication: int, plan: StockPlan) -> None:
        self.scenario = scenario
        self.plan = plan
        self.env = simpy.Environment()
        seq = np.random.SeedSequence([seed, replication, 0x4E414956])  # "NAIV": own streams
        demand_seq, life_seq, yield_seq, time_seq = seq.spawn(4)
        self.demand_rng = np.random.default_rng(demand_seq)
        self.life_rng = random.Random(int(life_seq.generate_state(1)[0]))
        self.yield_rng = random.Random(int(yield_seq.generate_state(1)[0]))
        self.time_rng = random.Random(int(time_seq.generate_state(1)[0]))
        centre = scenario.service.repair_centre
        self.technicians = simpy.Resource(self.env, centre.technicians) if centre else None
        self.repair_time = self.sampler(centre.repair_days if centre else None)
        self.horizon_day = scenario.horizon_days
        self.warranty_days = scenario.product.warranty_months * DAYS_PER_MONTH
        n_parts, months = len(scenario.parts), scenario.horizon_months
        self.claims = np.zeros((n_parts, months), dtype=np.int64)
        self.filled = np.zeros((n_parts, months), dtype=np.int64)
        self.on_hand_end = np.zeros((n_parts, months), dtype=np.int64)
        self.backorders_end = np.zeros((n_parts, months), dtype=np.int64)
        self.technician_wait = np.zeros((n_parts, months))
        self.repairs_started = np.zeros((n_parts, months), dtype=np.int64)
        self.processes = 0
        self.stocks = [
            PartStock(self.env, part, plan.base_stock_level[p])
            for p, part in enumerate(scenario.parts)
        ]
        for stock in self.stocks:
            stock.lead_time = self.sampler(stock.part.lead_time_days)

    def sampler(self, time: object) -> Callable[[], float]:
        """Draws of a time given as a number or a distribution (``None``: the fixed repair_days),
        with Python's ``random`` (an implementation of its own, not sim/durations.py)."""
        rng = self.time_rng
        if time is None:
            fixed = self.scenario.service.repair_days
            return lambda: fixed
        if isinstance(time, int | float):
            return lambda: float(time)
        spec: Any = time
        if spec.dist == "fixed":
            return lambda: float(spec.mean)
        if spec.dist == "exponential":
            return lambda: rng.expovariate(1.0 / spec.mean)
        if spec.dist == "gamma":  # shape 1/cv², scale mean·cv²
            return lambda: rng.gammavariate(1.0 / spec.cv**2, spec.mean * spec.cv**2)
        if spec.dist == "lognormal":  # σ² = ln(1 + cv²), μ = ln(mean) − σ²/2
            sigma = math.sqrt(math.log(1.0 + spec.cv**2))
            mu = math.log(spec.mean) - sigma**2 / 2.0
            return lambda: rng.lognormvariate(mu, sigma)
        return lambda: rng.uniform(spec.low, spec.high)

    def start(self, process: ProcessGen) -> None:
        self.processes += 1
        self.env.process(process)

    def month_of(self, day: float) -> int:
        return min(int(day // DAYS_PER_MONTH), self.scenario.horizon_months - 1)


# --------------------------------------------------------------------------- processes


def sales(world: NaiveWorld, units: IntArray) -> ProcessGen:
    """Sells each month's units at uniform times in the month; a sale starts its positions."""
    env = world.env
    for m, n in enumerate(units):
        days = np.sort(world.demand_rng.uniform(m, m + 1, size=int(n))) * DAYS_PER_MONTH
        for day in days:
            yield env.timeout(float(day) - env.now)
            for p, part in enumerate(world.scenario.parts):
                for _ in range(part.qty_per_unit):
                    world.start(position(world, p, m + 1))


def life_days(world: NaiveWorld, part: Part, sale_month: int, first: bool) -> float:
    """One Weibull life in days: the early-defect law for an unscreened defective first life."""
    rng = world.life_rng
    quality = world.scenario.quality
    defects = part.early_defects
    if first and defects is not None and defects.share > 0:
        escaped_share = defects.share * (1.0 - quality.screening_coverage)
        if rng.random() < escaped_share:
            return rng.weibullvariate(defects.scale_months, defects.shape) * DAYS_PER_MONTH
    growth = (1.0 + quality.reliability_growth_per_year) ** ((sale_month - 1) / 12.0)
    scale = part.life.scale_months * growth
    return rng.weibullvariate(scale, part.life.shape) * DAYS_PER_MONTH


def position(world: NaiveWorld, p: int, sale_month: int) -> ProcessGen:
    """One part position of one unit: fail, claim, renew from the failure, until cover ends."""
    env, part = world.env, world.scenario.parts[p]
    cover_end = min(env.now + world.warranty_days, world.horizon_day)
    life = life_days(world, part, sale_month, first=True)
    while env.now + life < cover_end:
        yield env.timeout(life)
        world.start(claim(world, p))
        life = life_days(world, part, sale_month, first=False)


def claim(world: NaiveWorld, p: int) -> ProcessGen:
    """Take a spare (or queue for one), then a technician, repair, and send the failed part to
    refurbish (known at diagnosis: it counts in the inventory position from now) or scrap."""
    env, stock = world.env, world.stocks[p]
    month = world.month_of(env.now)
    world.claims[p, month] += 1
    refurbish = stock.part.refurbish
    recoverable = refurbish is not None and world.yield_rng.random() < refurbish.yield_
    stock.coming_back += recoverable
    request = stock.store.get(1)
    if request.triggered:
        world.filled[p, month] += 1
    stock.after_demand()  # a recoverable part leaves the position as it was: nothing to order
    yield request
    yield from repair(world, p, month)
    if refurbish is not None and recoverable:
        stock.in_refurbishment += 1
        yield env.timeout(refurbish.days)
        stock.in_refurbishment -= 1
        stock.coming_back -= 1
        yield stock.store.put(1)


def repair(world: NaiveWorld, p: int, month: int) -> ProcessGen:
    """At a repair centre, wait for a technician and hold one for the repair; else just take the
    fixed repair time (unlimited capacity)."""
    env = world.env
    if world.technicians is None:
        yield env.timeout(world.repair_time())
        return
    queued = env.now
    with world.technicians.request() as technician:
        yield technician
        world.technician_wait[p, month] += env.now - queued
        world.repairs_started[p, month] += 1
        yield env.timeout(world.repair_time())


def min_max_review(world: NaiveWorld, stock: PartStock) -> ProcessGen:
    """Every review_days: if the inventory position is at or below min, order up to max."""
    assert isinstance(stock.part.stocking, MinMax)
    policy = stock.part.stocking
    while True:
        if stock.regular_orders and stock.inventory_position <= policy.min:
            stock.order(policy.max - stock.inventory_position)
        yield world.env.timeout(policy.review_days)


def month_starts(world: NaiveWorld, p: int) -> ProcessGen:
    """At each month's start: the last buy if it is due, else the month's base-stock level."""
    stock = world.stocks[p]
    spec = stock.part.last_buy
    for m in range(world.scenario.horizon_months):
        yield world.env.timeout(m * DAYS_PER_MONTH - world.env.now)
        if spec is not None and spec.month == m + 1:
            do_last_buy(stock, world.plan.last_buy_cover[p])
        elif stock.regular_orders and stock.levels is not None and m > 0:
            stock.level = int(stock.levels[min(m, len(stock.levels) - 1)])
            stock.order(stock.level - stock.inventory_position)  # a rise is bought at once


def do_last_buy(stock: PartStock, cover: int | None) -> None:
    """Stop regular orders and buy up to the plan's last-buy cover."""
    assert cover is not None
    stock.regular_orders = False
    stock.order(cover - stock.inventory_position)


def month_ends(world: NaiveWorld) -> ProcessGen:
    """Snapshots at each month's end but the last, which ``run_naive`` takes at the horizon."""
    for m in range(world.scenario.horizon_months - 1):
        yield world.env.timeout((m + 1) * DAYS_PER_MONTH - world.env.now)
        snapshot(world, m)


def snapshot(world: NaiveWorld, month_index: int) -> None:
    for p, stock in enumerate(world.stocks):
        world.on_hand_end[p, month_index] = int(stock.store.level)
        world.backorders_end[p, month_index] = stock.backorders


# --------------------------------------------------------------------------- entry point


def run_naive(
    scenario: Scenario,
    seed: int,
    replication: int = 0,
    *,
    price: float | None = None,
    plan: StockPlan | None = None,
) -> NaiveCounts:
    """One replication of the naive model.

    ``plan`` (base-stock levels incl. ``level: auto``, last-buy cover) is the fast model's own
    :func:`~warrantysim.sim.stocking.plan_stock`: sizing is planning, not physics, and sharing it
    makes both models stock the same levels. Pass it in to reuse it across replications.
    """
    if price is None:
        price = _default_price(scenario)
    plan = plan if plan is not None else plan_stock(scenario, price)
    world = NaiveWorld(scenario, seed, replication, plan)
    units = draw_units(scenario, planned_units(scenario, price), world.demand_rng)
    world.start(sales(world, units))
    world.start(month_ends(world))
    for p, stock in enumerate(world.stocks):
        if isinstance(stock.part.stocking, MinMax):
            world.start(min_max_review(world, stock))
        world.start(month_starts(world, p))
    world.env.run(until=world.horizon_day)
    snapshot(world, scenario.horizon_months - 1)  # events at the horizon itself are not run
    return NaiveCounts(
        tuple(p.name for p in scenario.parts),
        units,
        world.claims,
        world.filled,
        world.on_hand_end,
        world.backorders_end,
        world.processes,
        world.technician_wait,
        world.repairs_started,
    )


def _default_price(scenario: Scenario) -> float:
    from warrantysim.accounting.pricing import unit_price

    return unit_price(scenario)


def _load(path: str) -> Scenario:
    from warrantysim.scenario import load_scenario

    scenario: Scenario = load_scenario(path)
    return scenario


def main(argv: list[str] | None = None, load: Callable[[str], Scenario] = _load) -> None:
    args = sys.argv[1:] if argv is None else argv
    scenario = load(args[0])
    seed = int(args[1]) if len(args) > 1 else scenario.simulation.seed
    counts = run_naive(scenario, seed)
    print(f"units sold {int(counts.units_sold.sum())}, processes {counts.processes_started}")
    for p, name in enumerate(counts.part_names):
        claims = int(counts.claims[p].sum())
        print(f"{name:>16}: claims {claims:7d}  fill rate {counts.fill_rate(p):.3f}")


if __name__ == "__main__":
    main()
