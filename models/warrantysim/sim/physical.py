"""Physical counts and service KPIs from an event log: units, claims, stock, waiting."""

from __future__ import annotations

import numpy as np
import pandas as pd

from warrantysim.scenario import Service
from warrantysim.sim.eventlog import EventLog, ScrapReason


def monthly_physical(log: EventLog) -> pd.DataFrame:
    """A row per month: units sold, claims and how they were served, month-end stock (all parts)."""
    claims = log.claims
    zeros = np.zeros(len(claims.part), dtype=np.int64)
    per_month = {
        "claims": log.by_part_month(zeros, claims.claim_day)[0],
        "claims_filled_from_stock": log.by_part_month(
            zeros, claims.claim_day, claims.filled_from_stock.astype(float)
        )[0],
        "wait_days_total": log.by_part_month(zeros, claims.claim_day, claims.wait_days)[0],
    }
    purchases = log.purchases
    returns = log.returns
    end_scrap = log.scrap.reason == ScrapReason.END_OF_HORIZON
    return pd.DataFrame(
        {
            "month": np.arange(1, log.horizon_months + 1),
            "units_sold": log.units_sold,
            "claims": per_month["claims"].astype(np.int64),
            "claims_filled_from_stock": per_month["claims_filled_from_stock"].astype(np.int64),
            "mean_wait_days": _ratio(per_month["wait_days_total"], per_month["claims"]),
            "parts_received": log.by_part_month(
                np.zeros_like(purchases.part), purchases.receipt_day, purchases.qty
            )[0].astype(np.int64),
            "parts_refurbished": log.by_part_month(
                np.zeros_like(returns.part), returns.done_day, returns.refurbished.astype(float)
            )[0].astype(np.int64),
            "parts_scrapped_end": log.by_part_month(
                np.zeros(int(end_scrap.sum()), dtype=np.int64),
                log.scrap.day[end_scrap],
                log.scrap.qty[end_scrap],
            )[0].astype(np.int64),
            "on_hand_end": log.on_hand_end.sum(axis=0),
            "backorders_end": log.backorders_end.sum(axis=0),
            "on_order_end": log.on_order_end.sum(axis=0),
            "in_refurbishment_end": log.in_refurbishment_end.sum(axis=0),
        }
    )


def physical_kpis(log: EventLog, service: Service) -> dict[str, float]:
    """Service level and volumes of one replication."""
    claims = log.claims
    n_claims = len(claims.claim_day)
    units = int(log.units_sold.sum())
    wait = claims.wait_days
    downtime = wait + service.repair_days
    return {
        "units_sold": float(units),
        "claims": float(n_claims),
        "claims_per_unit": n_claims / units if units else 0.0,
        "fill_rate": float(claims.filled_from_stock.mean()) if n_claims else 1.0,
        "mean_wait_days": float(wait.mean()) if n_claims else 0.0,
        "p95_wait_days": float(np.quantile(wait, 0.95)) if n_claims else 0.0,
        "late_repair_share": float((downtime > service.target_days).mean()) if n_claims else 0.0,
        "parts_bought": float(log.purchases.qty.sum()),
        "parts_refurbished": float(log.returns.refurbished.sum()),
    }


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    out = np.zeros_like(numerator, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out
