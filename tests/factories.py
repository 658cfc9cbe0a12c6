"""Small scenarios and event logs built in code, so each test shows what it varies.

One scenario factory with one merge rule: a mapping given for a section is merged key by key
into the defaults' section, anything else replaces it. Two sets of defaults:

- ``SIM`` (``scenario(...)``): a small fleet for simulation tests, 1,000 units a month for 12
  months, warranty 12 months, no demand noise;
- ``BOOKS`` (``books_scenario(...)``): one part ``widget`` costing 10 and nothing else costing
  anything unless a test says so, for hand-checked accounting.
Both leave income tax and VAT out (``tax.rate: 0``, ``tax.vat_rate: 0``) unless a test sets them.

``make_log`` builds exactly the event log a test describes; ``random_log`` builds a physically
consistent one (every spare issued was received before, leftovers are scrapped at the end) from
a seed, for property tests (``test_accounting_factories.py`` checks it keeps its promises).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from warrantysim.accounting.pricing import unit_price
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
from warrantysim.sim.model import run_replication

D = DAYS_PER_MONTH
ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"


def small_sweep_spec(body: str) -> str:
    """A sweep spec over the baseline shrunk to 300 units a month for a year (seconds a run),
    with ``body`` (design, replications, seed, parameters) after it."""
    head = f"""kind: sweep
scenario: {BASELINE}
set: {{product.units_per_month: 300, product.sales_months: 12, product.warranty_months: 12,
       simulation.horizon_months: 24}}
"""
    return head + body


Content = str | bytes | Mapping[str, object]
Cli = Callable[..., "subprocess.CompletedProcess[str]"]
"""The ``cli`` fixture: ``cli(*args, cwd=...)`` runs ``warrantysim ARGS...`` in a process."""
Writer = Callable[[str, Content], Path]
"""The ``write`` fixture: ``write(name, content)`` in the test's temporary folder."""


def write_file(directory: Path, name: str, content: Content) -> Path:
    """``directory/name`` holding ``content``: text, bytes, or a mapping written as YAML."""
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        text = content if isinstance(content, str) else yaml.safe_dump(dict(content))
        path.write_text(text, encoding="utf-8")
    return path


SIM: dict[str, Any] = {
    "name": "test",
    "product": {"sales_months": 12, "units_per_month": 1000, "unit_cost": 4200.0,
                "warranty_months": 12, "demand_noise": "none"},
    "pricing": {"price": 5600.0, "reference_price": 5600.0},
    "simulation": {"replications": 1, "seed": 1},
    "tax": {"rate": 0.0, "vat_rate": 0.0},  # tests of tax set them; the rest check books before tax
}  # fmt: skip
BOOKS: dict[str, Any] = {
    "name": "books",
    "product": {"sales_months": 12, "units_per_month": 100, "unit_cost": 0.0,
                "warranty_months": 12, "demand_noise": "none"},
    "pricing": {"price": 50.0, "reference_price": 50.0},
    "sales_terms": {"receivable_days": 0.0, "bad_debt_rate": 0.0},
    "service": {"repair_days": 0.0, "target_days": 5.0},
    "simulation": {"replications": 1, "seed": 1, "horizon_months": 24},
    "tax": {"rate": 0.0, "vat_rate": 0.0},
}  # fmt: skip


def part(name: str = "ssd", **fields: Any) -> dict[str, Any]:
    """A part for simulation tests: exponential life of 24 months, base stock 20."""
    spec: dict[str, Any] = {
        "name": name,
        "unit_cost": 300.0,
        "life": {"shape": 1.0, "scale_months": 24.0},
        "lead_time_days": 10.0,
        "stocking": {"policy": "base_stock", "level": 20},
    }
    return spec | fields


def widget(name: str = "widget", **fields: Any) -> dict[str, Any]:
    """A part for accounting tests: costs 10, rarely fails, base stock 10."""
    spec: dict[str, Any] = {
        "name": name,
        "unit_cost": 10.0,
        "life": {"shape": 1.0, "scale_months": 100.0},
        "lead_time_days": 10.0,
        "stocking": {"policy": "base_stock", "level": 10},
    }
    return spec | fields


def build(
    defaults: Mapping[str, Any], parts: Sequence[dict[str, Any]], sections: Mapping[str, Any]
) -> Scenario:
    """``defaults`` with ``parts`` and each section of ``sections`` merged in (see the module)."""
    spec: dict[str, Any] = {**defaults, "parts": list(parts)}
    for key, value in sections.items():
        base = spec.get(key)
        merge = isinstance(value, Mapping) and isinstance(base, Mapping)
        spec[key] = {**base, **value} if merge else value
    return Scenario.model_validate(spec)


def scenario(parts: Sequence[dict[str, Any]] | None = None, **sections: Any) -> Scenario:
    return build(SIM, parts if parts is not None else [part()], sections)


ENGINES = ("fast", "simpy")
"""Both engines, for tests that must hold whichever serves the scenario."""


def with_engine(spec: Scenario, engine: str) -> Scenario:
    """``spec`` run by ``engine`` (validated: the fast path refuses what it cannot serve)."""
    raw = spec.model_dump(mode="json", by_alias=True)
    raw["simulation"]["engine"] = engine
    return Scenario.model_validate(raw)


def replicate(spec: Scenario, seed: int, replication: int = 0, **options: Any) -> EventLog:
    """One replication at the scenario's own price (the price is a finance input, so tests
    compute it the way ``api.prepare`` does)."""
    return run_replication(spec, seed, replication, price=unit_price(spec), **options)


def books_scenario(parts: Sequence[dict[str, Any]] | None = None, **sections: Any) -> Scenario:
    return build(BOOKS, parts if parts is not None else [widget()], sections)


# --- event logs ---------------------------------------------------------------------


def make_log(
    horizon_months: int,
    *,
    n_parts: int = 1,
    units_sold: Sequence[int] | None = None,
    purchases: Sequence[tuple[int, float, int, PurchaseKind]] = (),
    claims: Sequence[tuple[int, float, float]] = (),
    supplier_fault: Sequence[bool] | None = None,
    chargeback_accepted: Sequence[bool] | None = None,
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
    accepted = fault if chargeback_accepted is None else np.array(chargeback_accepted) & fault
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
                      cl[:, 2] + repair_days, accepted, np.arange(n_claims, dtype=np.int64),
                      np.zeros(n_claims)),
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
    return books_scenario(
        parts,
        product={"sales_months": 12, "unit_cost": 300.0},
        sales_terms={"receivable_days": 50.0, "bad_debt_rate": 0.01},
        service={"repair_days": 2.0, "labour_cost_per_repair": 12.0, "target_days": 5.0,
                 "logistics_cost_per_repair": 3.0, "late_penalty_per_day": 4.0},
        quality={"screening_cost_per_unit": 1.5},
        suppliers={"s0": supplier, "s1": supplier | {"payment_days": 20.0}},
    )  # fmt: skip
