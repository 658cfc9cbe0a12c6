"""Hand-made event logs and small scenarios for the accounting tests.

``make_log`` builds exactly the log a test describes; ``random_log`` builds a physically consistent
one (every spare issued was received before, leftovers are scrapped at the end) from a seed, for
property tests. The tests at the bottom check that the generator keeps its promises.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from warrantysim.scenario import DAYS_PER_MONTH, Scenario
from warrantysim.sim.eventlog import (
    Claims,
    EventLog,
    PurchaseKind,
    Purchases,
    Returns,
    Scrap,
    ScrapReason,
)

D = DAYS_PER_MONTH


def scenario(parts: Sequence[dict[str, Any]] | None = None, **sections: Any) -> Scenario:
    """One part ``widget`` costing 10, nothing else costs anything unless a test says so."""
    spec: dict[str, Any] = {
        "name": "books",
        "product": {"sales_months": 12, "units_per_month": 100, "unit_cost": 0.0,
                    "warranty_months": 12, "demand_noise": "none"},
        "pricing": {"price": 50.0, "reference_price": 50.0},
        "sales_terms": {"receivable_days": 0.0, "bad_debt_rate": 0.0},
        "service": {"repair_days": 0.0, "target_days": 5.0},
        "parts": list(parts) if parts is not None else [widget()],
        "simulation": {"replications": 1, "seed": 1, "horizon_months": 24},
    }  # fmt: skip
    for key, value in sections.items():
        spec[key] = {**spec.get(key, {}), **value} if isinstance(value, dict) else value
    return Scenario.model_validate(spec)


def widget(name: str = "widget", **fields: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": name,
        "unit_cost": 10.0,
        "life": {"shape": 1.0, "scale_months": 100.0},
        "lead_time_days": 10.0,
        "stocking": {"policy": "base_stock", "level": 10},
    }
    return spec | fields


def make_log(
    horizon_months: int,
    *,
    n_parts: int = 1,
    units_sold: Sequence[int] | None = None,
    purchases: Sequence[tuple[int, float, int, PurchaseKind]] = (),
    claims: Sequence[tuple[int, float, float]] = (),
    supplier_fault: Sequence[bool] | None = None,
    refurbished: Sequence[bool] | None = None,
    scrap: Sequence[tuple[int, float, int, ScrapReason]] = (),
    refurbish_days: float = 14.0,
    repair_days: float = 0.0,
) -> EventLog:
    """purchases: (part, receipt_day, qty, kind); claims: (part, claim_day, serve_day); scrap:
    (part, day, qty, reason). Returns come back refurbished ``refurbish_days`` after service;
    each repair starts at service and takes ``repair_days`` (the scenario's, to agree)."""
    n_claims = len(claims)
    cl = np.array(claims, dtype=np.float64).reshape(n_claims, 3)
    part = cl[:, 0].astype(np.int64)
    fault = np.zeros(n_claims, bool) if supplier_fault is None else np.array(supplier_fault)
    back = np.zeros(n_claims, bool) if refurbished is None else np.array(refurbished)
    buy = np.array([(p, d, q, int(k)) for p, d, q, k in purchases], dtype=np.float64).reshape(-1, 4)
    sc = np.array([(p, d, q, int(r)) for p, d, q, r in scrap], dtype=np.float64).reshape(-1, 4)
    horizon_day = horizon_months * D
    sold = np.zeros(horizon_months, np.int64) if units_sold is None else np.array(units_sold)
    zeros = np.zeros((n_parts, horizon_months), np.int64)
    return EventLog(
        horizon_months=horizon_months,
        part_names=tuple(["widget", "gadget", "gizmo"][:n_parts]),
        units_sold=sold.astype(np.int64),
        units_screened=sold.astype(np.int64),
        defects_screened_out=zeros,
        claims=Claims(part, cl[:, 1], cl[:, 2], fault, np.ones(n_claims, np.int64),
                      np.zeros(n_claims, bool), np.zeros(n_claims, bool), cl[:, 2],
                      cl[:, 2] + repair_days),
        returns=Returns(part, cl[:, 2], back, np.minimum(cl[:, 2] + refurbish_days, horizon_day)),
        purchases=Purchases(buy[:, 0].astype(np.int64), buy[:, 1], buy[:, 1],
                            buy[:, 2].astype(np.int64), buy[:, 3].astype(np.int64)),
        scrap=Scrap(sc[:, 0].astype(np.int64), sc[:, 1], sc[:, 2].astype(np.int64),
                    sc[:, 3].astype(np.int64)),
        on_hand_end=zeros, backorders_end=zeros, on_order_end=zeros, in_refurbishment_end=zeros,
    )  # fmt: skip


def random_log(seed: int) -> tuple[EventLog, Scenario]:
    """A consistent random log of 1-3 parts over 6-40 months, and a scenario where every money
    lever (uplift, premium, refurbishment, salvage, chargeback, penalties, bad debt) is on."""
    rng = np.random.default_rng(seed)
    n_parts, horizon = int(rng.integers(1, 4)), int(rng.integers(6, 41))
    horizon_day = horizon * D
    purchases, claims = [], []
    for p in range(n_parts):
        days = np.sort(np.r_[0.0, rng.uniform(0, horizon_day, int(rng.integers(0, 8)))])
        qty = rng.integers(1, 25, len(days))
        kinds = rng.choice(list(PurchaseKind), len(days))
        rows = zip(days, qty, kinds, strict=True)
        purchases += [(p, float(d), int(q), PurchaseKind(k)) for d, q, k in rows]
        received = np.repeat(days, qty)
        used = rng.permutation(len(received))[: int(rng.integers(0, len(received) + 1))]
        serve = np.minimum(received[used] + rng.exponential(60.0, len(used)), horizon_day)
        wait = np.where(rng.random(len(used)) < 0.7, 0.0, rng.exponential(8.0, len(used)))
        claims += [(p, max(s - w, 0.0), s) for s, w in zip(serve, wait, strict=True)]
    claims.sort(key=lambda c: (c[0], c[1]))
    back = rng.random(len(claims)) < 0.3
    log = make_log(horizon, n_parts=n_parts, repair_days=2.0,
                   units_sold=rng.integers(0, 60, horizon),
                   purchases=purchases, claims=claims, supplier_fault=rng.random(len(claims)) < 0.5,
                   refurbished=back)  # fmt: skip
    log = _with_scrap(log, horizon_day)
    return log, _random_scenario(rng, n_parts)


def _with_scrap(log: EventLog, horizon_day: float) -> EventLog:
    """Unrepaired returns scrapped when done; what is left of each part's stock at the end."""
    lost = ~log.returns.refurbished
    into = np.bincount(log.purchases.part, log.purchases.qty, minlength=log.n_parts)
    into += np.bincount(log.returns.part[~lost], minlength=log.n_parts).astype(np.int64)
    left = into - np.bincount(log.claims.part, minlength=log.n_parts)
    part = np.r_[log.returns.part[lost], np.arange(log.n_parts)]
    scrap = Scrap(
        part=part.astype(np.int64),
        day=np.r_[log.returns.done_day[lost], np.full(log.n_parts, horizon_day)],
        qty=np.r_[np.ones(int(lost.sum())), left].astype(np.int64),
        reason=np.r_[np.zeros(int(lost.sum())), np.ones(log.n_parts)].astype(np.int64),
    )
    return EventLog(**{**log.__dict__, "scrap": scrap})


def _random_scenario(rng: np.random.Generator, n_parts: int) -> Scenario:
    names = ["widget", "gadget", "gizmo"][:n_parts]
    parts = [
        widget(name, unit_cost=float(rng.uniform(5, 500)), supplier=f"s{i % 2}",
               supplier_fault_share=0.5, last_buy={"month": 3, "emergency_premium": 0.5},
               refurbish={"yield": 0.3, "cost": float(rng.uniform(1, 50)), "days": 14.0},
               scrap_value_share=float(rng.uniform(0, 0.1)))
        for i, name in enumerate(names)
    ]  # fmt: skip
    supplier = {"chargeback_share": 0.5, "recovery_rate": 0.8, "payment_days": 75.0,
                "price_uplift": 0.02}  # fmt: skip
    return scenario(
        parts,
        product={"sales_months": 12, "unit_cost": 300.0},
        sales_terms={"receivable_days": 50.0, "bad_debt_rate": 0.01},
        service={"repair_days": 2.0, "labour_cost_per_repair": 12.0, "target_days": 5.0,
                 "logistics_cost_per_repair": 3.0, "late_penalty_per_day": 4.0},
        quality={"screening_cost_per_unit": 1.5},
        suppliers={"s0": supplier, "s1": supplier | {"payment_days": 20.0}},
    )  # fmt: skip


def test_random_logs_issue_only_what_was_received() -> None:
    for seed in range(20):
        log, _ = random_log(seed)
        received = np.bincount(log.purchases.part, log.purchases.qty, minlength=log.n_parts)
        issued = np.bincount(log.claims.part, minlength=log.n_parts)
        assert np.all(issued <= received)
        assert np.all(log.claims.serve_day >= log.claims.claim_day)
        end = log.scrap.reason == ScrapReason.END_OF_HORIZON
        assert np.all(log.scrap.qty[end] >= 0)
