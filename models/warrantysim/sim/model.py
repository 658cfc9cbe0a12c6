"""One replication: sales, failures, then each part's stock as a SimPy process, into an EventLog."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import simpy

from warrantysim.scenario import Scenario
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
from warrantysim.sim.sales import units_sold
from warrantysim.sim.stock import PartStock, StockOutcome
from warrantysim.sim.stocking import StockPlan, plan_stock


def run_replication(
    scenario: Scenario,
    seed: int,
    replication: int = 0,
    *,
    price: float,
    plan: StockPlan | None = None,
) -> EventLog:
    """Simulate one replication at unit ``price`` (a finance decision, made by the caller:
    ``accounting.pricing.unit_price``). ``plan`` (the stocking levels, which depend only on the
    scenario and price) may be passed in to reuse it."""
    plan = plan if plan is not None else plan_stock(scenario, price)
    streams = Streams(seed, replication)
    units = units_sold(scenario, price, streams)
    fleet = make_fleet(units, streams)
    claims = [part_claims(scenario, part, fleet, streams) for part in scenario.parts]
    outcomes = _run_stock(scenario, plan, claims, streams)
    screened = units if scenario.quality.screening_coverage > 0 else np.zeros_like(units)
    return _event_log(scenario, units, screened, claims, outcomes)


def _run_stock(
    scenario: Scenario, plan: StockPlan, claims: Sequence[PartClaims], streams: Streams
) -> list[StockOutcome]:
    env = simpy.Environment()
    stocks = []
    for p, part in enumerate(scenario.parts):
        draws = streams.refurbish(part.name).random(len(claims[p].claim_day))
        stock = PartStock(
            env, part, claims[p].claim_day, draws,
            levels=plan.base_stock_level[p], last_buy_cover=plan.last_buy_cover[p],
            repair_days=scenario.service.repair_days, horizon_months=scenario.horizon_months,
        )  # fmt: skip
        env.process(stock.run())
        stocks.append(stock)
    env.run()
    return [stock.out for stock in stocks]


def _event_log(
    scenario: Scenario,
    units: np.ndarray,
    screened: np.ndarray,
    claims: Sequence[PartClaims],
    outcomes: Sequence[StockOutcome],
) -> EventLog:
    part_index = [np.full(len(c.claim_day), p, dtype=np.int64) for p, c in enumerate(claims)]
    snaps = np.array([o.snapshots for o in outcomes], dtype=np.int64).reshape(
        len(outcomes), scenario.horizon_months, 4
    )
    return EventLog(
        horizon_months=scenario.horizon_months,
        part_names=tuple(p.name for p in scenario.parts),
        units_sold=units,
        units_screened=screened,
        defects_screened_out=np.array([c.screened_out_by_month for c in claims], dtype=np.int64),
        claims=Claims(
            part=np.concatenate(part_index),
            claim_day=np.concatenate([c.claim_day for c in claims]),
            serve_day=np.concatenate([o.serve_day for o in outcomes]),
            supplier_fault=np.concatenate([c.supplier_fault for c in claims]),
            sale_month=np.concatenate([c.sale_month for c in claims]),
            early_defect=np.concatenate([c.early_defect for c in claims]),
        ),
        returns=Returns(
            part=np.concatenate(part_index),
            return_day=np.concatenate([o.return_day for o in outcomes]),
            refurbished=np.concatenate([o.refurbished for o in outcomes]),
            done_day=np.concatenate([o.done_day for o in outcomes]),
        ),
        purchases=_purchases(scenario, outcomes),
        scrap=_scrap(scenario, outcomes),
        on_hand_end=snaps[:, :, 0],
        backorders_end=snaps[:, :, 1],
        on_order_end=snaps[:, :, 2],
        in_refurbishment_end=snaps[:, :, 3],
    )


def _purchases(scenario: Scenario, outcomes: Sequence[StockOutcome]) -> Purchases:
    part, order_day, receipt_day, qty, kind = [], [], [], [], []
    for p, (spec, o) in enumerate(zip(scenario.parts, outcomes, strict=True)):
        for days, amounts, chunk_kind in o.orders:
            part.append(np.full(len(days), p))
            order_day.append(days)
            receipt_day.append(
                days + (spec.lead_time_days if chunk_kind != PurchaseKind.INITIAL else 0.0)
            )
            qty.append(amounts)
            kind.append(np.full(len(days), chunk_kind))
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
    return np.concatenate(chunks).astype(dtype) if chunks else np.zeros(0, dtype=dtype)


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
