"""One replication: sales, failures, then the service (fast path or SimPy engine), into an
EventLog."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import simpy

from warrantysim.scenario import DAYS_PER_MONTH, Engine, Scenario, fast_path_blocker
from warrantysim.sim.eventlog import (
    Claims,
    EventLog,
    PurchaseKind,
    Purchases,
    Returns,
    Scrap,
    ScrapReason,
)
from warrantysim.sim.failures import PartClaims, make_fleet, part_claims
from warrantysim.sim.rng import Streams
from warrantysim.sim.sales import history_units, units_sold
from warrantysim.sim.service import Centre, Repairs, ServiceOutcome, run_service
from warrantysim.sim.stock import PartStock, StockOutcome, opening_qty
from warrantysim.sim.stocking import StockPlan, plan_stock


def resolve_engine(scenario: Scenario) -> Engine:
    """``auto``: the fast path where it is exact, else SimPy."""
    engine = Engine(scenario.simulation.engine)  # a value, also from an unvalidated model_copy
    if engine is Engine.AUTO:
        return Engine.FAST if fast_path_blocker(scenario) is None else Engine.SIMPY
    return engine


@dataclass(frozen=True)
class Demand:
    """What a replication draws before any stock decision: units sold, every part's claims,
    its no-fault-found returns and its refurbishment draws. Failures do not depend on the stock
    (sim/failures.py), so a stocking change reuses them (:func:`~.key.demand_key`)."""

    units: np.ndarray
    claims: tuple[PartClaims, ...]
    nff: tuple[PartClaims, ...]
    refurb_draws: tuple[np.ndarray, ...]


def draw_demand(scenario: Scenario, seed: int, replication: int = 0, *, price: float) -> Demand:
    """Replication ``replication``'s sales and claims at unit ``price`` (its own streams)."""
    streams = Streams(seed, replication)
    units = units_sold(scenario, price, streams)
    fleet = make_fleet(units, streams)
    claims = [part_claims(scenario, part, fleet, streams) for part in scenario.parts]
    if scenario.product.history_months:
        past = streams.history()
        old = make_fleet(history_units(scenario, price), past, -scenario.product.history_months)
        claims = [with_history(c, part_claims(scenario, part, old, past),
                               len(fleet.unit_month) * part.qty_per_unit)
                  for c, part in zip(claims, scenario.parts, strict=True)]  # fmt: skip
    nff = [no_fault_found_claims(scenario, p, c, streams) for p, c in enumerate(claims)]
    draws = [streams.refurbish(part.name).random(len(c.claim_day)) for part, c in
             zip(scenario.parts, claims, strict=True)]  # fmt: skip
    return Demand(units, tuple(claims), tuple(nff), tuple(draws))


def run_replication(
    scenario: Scenario,
    seed: int,
    replication: int = 0,
    *,
    price: float,
    plan: StockPlan | None = None,
    centre_type: type[Centre] = Centre,
    demand: Demand | None = None,
) -> EventLog:
    """Simulate one replication at unit ``price`` (a finance decision, made by the caller:
    ``accounting.pricing.unit_price``). ``plan`` (the stocking levels, which depend only on the
    scenario and price) may be passed in to reuse it, and so may ``demand``
    (:func:`draw_demand` of the same seed, replication and price, for a scenario of the same
    :func:`~.key.demand_key`); ``centre_type`` changes the repair centre's queue discipline
    (SimPy engine)."""
    plan = plan if plan is not None else plan_stock(scenario, price)
    if demand is None:
        demand = draw_demand(scenario, seed, replication, price=price)
    units, claims, nff, draws = demand.units, demand.claims, demand.nff, demand.refurb_draws
    extras: dict[str, object] = {}
    if resolve_engine(scenario) is Engine.FAST:
        outcomes = _run_fast(scenario, plan, claims, draws)
    else:
        inputs = [(c.claim_day, d, n.claim_day) for c, d, n in zip(claims, draws, nff, strict=True)]
        outcomes, counts = run_service(
            scenario,
            inputs,
            plan.base_stock_level,
            plan.last_buy_cover,
            Streams(seed, replication),
            centre_type,
        )
        extras["engine_counts"] = counts
    screened = units if scenario.quality.screening_coverage > 0 else np.zeros_like(units)
    log = _event_log(scenario, units, screened, claims, nff, outcomes)
    return replace(log, extras=extras) if extras else log


def with_history(claims: PartClaims, history: PartClaims, positions: int) -> PartClaims:
    """The claims of the units sold in the horizon and, merged by day, those of the units sold
    before month 1 that are still in warranty (their screening happened before: not counted);
    the history's positions are numbered after the horizon fleet's ``positions``."""
    order = np.argsort(np.concatenate([claims.claim_day, history.claim_day]), kind="stable")

    def merged(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.concatenate([a, b])[order]

    return PartClaims(
        claim_day=merged(claims.claim_day, history.claim_day),
        sale_month=merged(claims.sale_month, history.sale_month),
        early_defect=merged(claims.early_defect, history.early_defect),
        supplier_fault=merged(claims.supplier_fault, history.supplier_fault),
        screened_out_by_month=claims.screened_out_by_month,
        chargeback_accepted=merged(claims.chargeback_accepted, history.chargeback_accepted),
        position=merged(claims.position, history.position + positions),
        sale_day=merged(claims.sale_day, history.sale_day),
    )


def no_fault_found_claims(
    scenario: Scenario, p: int, claims: PartClaims, streams: Streams
) -> PartClaims:
    """Returns diagnosed with no fault, on top of the failures, so that they are a share s of
    all claims: each failure brings Poisson(s / (1 − s)) of them, each up to a month after it
    (returns follow the fleet in warranty, smoothed by a month), in the same cohort."""
    share = scenario.service.no_fault_found_share
    n = len(claims.claim_day)
    if share == 0 or n == 0:
        return _no_claims(len(claims.screened_out_by_month))
    rng = streams.no_fault_found(scenario.parts[p].name)
    source = np.repeat(np.arange(n), rng.poisson(share / (1.0 - share), n))
    day = claims.claim_day[source] + rng.uniform(0.0, DAYS_PER_MONTH, len(source))
    keep = day < scenario.horizon_days
    order = np.argsort(day[keep], kind="stable")
    none = np.zeros(len(order), dtype=bool)
    return PartClaims(day[keep][order], claims.sale_month[source][keep][order], none, none,
                      np.zeros_like(claims.screened_out_by_month), none,
                      np.full(len(order), -1, np.int64),
                      claims.sale_day[source][keep][order])  # fmt: skip


def _no_claims(months: int) -> PartClaims:
    empty = np.zeros(0)
    never = np.zeros(0, dtype=bool)
    none = np.zeros(0, np.int64)
    return PartClaims(empty, none, never, never, np.zeros(months, np.int64), never, none, empty)


def _run_fast(
    scenario: Scenario,
    plan: StockPlan,
    claims: Sequence[PartClaims],
    draws: Sequence[np.ndarray],
) -> list[ServiceOutcome]:
    env = simpy.Environment()
    stocks = []
    repair_days = scenario.service.repair_days
    opening = opening_qty(scenario)
    for p, part in enumerate(scenario.parts):
        stock = PartStock(
            env, part, claims[p].claim_day, draws[p],
            levels=plan.base_stock_level[p], last_buy_cover=plan.last_buy_cover[p],
            repair_days=repair_days, horizon_months=scenario.horizon_months,
            scrap_at_end=scenario.ends_at_horizon, opening=int(opening[p]),
        )  # fmt: skip
        env.process(stock.run())
        stocks.append(stock)
    env.run()
    return [
        ServiceOutcome(
            s.out, Repairs(s.out.serve_day, s.out.serve_day + repair_days), Repairs.empty(0)
        )
        for s in stocks
    ]


def _event_log(
    scenario: Scenario,
    units: np.ndarray,
    screened: np.ndarray,
    claims: Sequence[PartClaims],
    nff: Sequence[PartClaims],
    outcomes: Sequence[ServiceOutcome],
) -> EventLog:
    stock = [o.stock for o in outcomes]
    part_index = [np.full(len(c.claim_day), p, dtype=np.int64) for p, c in enumerate(claims)]
    snaps = np.array([o.snapshots for o in stock], dtype=np.int64).reshape(
        len(outcomes), scenario.horizon_months, 4
    )
    centre = scenario.service.repair_centre
    return EventLog(
        horizon_months=scenario.horizon_months,
        part_names=tuple(p.name for p in scenario.parts),
        units_sold=units,
        units_screened=screened,
        defects_screened_out=np.array([c.screened_out_by_month for c in claims], dtype=np.int64),
        claims=_claims(claims, nff, outcomes),
        returns=Returns(
            part=np.concatenate(part_index),
            return_day=np.concatenate([o.return_day for o in stock]),
            refurbished=np.concatenate([o.refurbished for o in stock]),
            done_day=np.concatenate([o.done_day for o in stock]),
        ),
        purchases=_purchases(scenario, stock),
        scrap=_scrap(scenario, stock),
        on_hand_end=snaps[:, :, 0],
        backorders_end=snaps[:, :, 1],
        on_order_end=snaps[:, :, 2],
        in_refurbishment_end=snaps[:, :, 3],
        technicians=centre.technicians if centre is not None else 0,
        opening_stock=opening_qty(scenario) if scenario.opening_balance.spares else None,
    )


def _claims(
    claims: Sequence[PartClaims], nff: Sequence[PartClaims], outcomes: Sequence[ServiceOutcome]
) -> Claims:
    """Claims that took a part and no-fault-found claims, merged by (part, claim day)."""
    columns: dict[str, list[np.ndarray]] = {name: [] for name in Claims.__dataclass_fields__}
    for p, (c, n, o) in enumerate(zip(claims, nff, outcomes, strict=True)):
        nff_flag = np.concatenate(
            [np.zeros(len(c.claim_day), bool), np.ones(len(n.claim_day), bool)]
        )
        rows = {
            "part": np.full(len(nff_flag), p, dtype=np.int64),
            "claim_day": _join(c.claim_day, n.claim_day),
            "serve_day": _join(o.stock.serve_day, n.claim_day),
            "supplier_fault": _join(c.supplier_fault, n.supplier_fault),
            "chargeback_accepted": _join(c.chargeback_accepted, n.chargeback_accepted),
            "sale_month": _join(c.sale_month, n.sale_month),
            "early_defect": _join(c.early_defect, n.early_defect),
            "position": _join(c.position, n.position),
            "sale_day": _join(c.sale_day, n.sale_day),
            "no_fault_found": nff_flag,
            "repair_start_day": _join(o.repairs.start_day, o.nff_repairs.start_day),
            "repair_done_day": _join(o.repairs.done_day, o.nff_repairs.done_day),
        }
        # the claims are sorted by day: without no-fault-found ones the merge is a no-op
        order = np.argsort(rows["claim_day"], kind="stable") if len(n.claim_day) else None
        for name, values in rows.items():
            columns[name].append(values if order is None else values[order])
    # one copy of every column: the Claims own their arrays
    return Claims(**{name: np.concatenate(chunks) for name, chunks in columns.items()})


def _join(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a`` then ``b``; ``a`` itself when ``b`` adds nothing (not even a wider dtype)."""
    if not len(b) and b.dtype == a.dtype:
        return a
    return np.concatenate([a, b])


def _purchases(scenario: Scenario, outcomes: Sequence[StockOutcome]) -> Purchases:
    part, order_day, receipt_day, qty, kind = [], [], [], [], []
    for p, o in enumerate(outcomes):
        for chunk in o.orders:
            part.append(np.full(len(chunk.order_day), p))
            order_day.append(chunk.order_day)
            receipt_day.append(chunk.receipt_day)
            qty.append(chunk.qty)
            kind.append(chunk.kind)
        if o.emergency_at_close:
            end = scenario.horizon_days
            row = (p, end, end, o.emergency_at_close, PurchaseKind.EMERGENCY)
            _append_row((part, order_day, receipt_day, qty, kind), row)
    return Purchases(
        part=_cat(part, np.int64),
        order_day=_cat(order_day, np.float64),
        receipt_day=_cat(receipt_day, np.float64),
        qty=_cat(qty, np.int64),
        kind=_cat(kind, np.int64),
    )


def _append_row(columns: Sequence[list[np.ndarray]], values: Sequence[float]) -> None:
    """One row, given column by column, onto lists of column chunks."""
    for column, value in zip(columns, values, strict=True):
        column.append(np.array([value]))


def _cat(chunks: list[np.ndarray], dtype: type) -> np.ndarray:
    """The chunks as one new array of ``dtype`` (converted only where a chunk is not)."""
    if not chunks:
        return np.zeros(0, dtype=dtype)
    return np.concatenate(chunks).astype(dtype, copy=False)


def _scrap(scenario: Scenario, outcomes: Sequence[StockOutcome]) -> Scrap:
    """Unrepaired returns, a row each, then leftover stock at the horizon, a row per part."""
    parts, days, qty, reason = [], [], [], []
    for p, o in enumerate(outcomes):
        lost = ~o.refurbished
        parts.append(np.full(int(lost.sum()), p))
        days.append(o.done_day[lost])
        qty.append(np.ones(int(lost.sum()), dtype=np.int64))
        reason.append(np.full(int(lost.sum()), ScrapReason.RETURN_UNREPAIRABLE))
    for p, o in enumerate(outcomes):
        if o.end_scrap:
            row = (p, scenario.horizon_days, o.end_scrap, ScrapReason.END_OF_HORIZON)
            _append_row((parts, days, qty, reason), row)
    return Scrap(
        part=_cat(parts, np.int64),
        day=_cat(days, np.float64),
        qty=_cat(qty, np.int64),
        reason=_cat(reason, np.int64),
    )
