"""Physical counts and service KPIs from an event log: units, claims, stock, waiting, repairs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from warrantysim.scenario import DAYS_PER_MONTH, Service
from warrantysim.sim.eventlog import EventLog, ScrapReason

__all__ = ["monthly_parts", "monthly_physical", "physical_kpis", "technician_busy_days"]


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


def monthly_parts(log: EventLog) -> pd.DataFrame:
    """A row per (part, month): claims (by the claim's month) and how they were served, waits,
    turnaround, month-end stock, and the share of the technicians' time spent on the part.

    Waits for a part are over claims that took one; no-fault-found claims count in ``claims``,
    the technician wait and the turnaround. Means and percentiles of a month without such claims
    are 0; utilisation is NaN without a repair centre (unlimited capacity).
    """
    c = log.claims
    month = log.month_index(c.claim_day)
    frame = pd.DataFrame(
        {
            "part": c.part, "month": month + 1, "nff": c.no_fault_found,
            "filled": c.filled_from_stock, "part_wait": np.where(c.takes_part, c.wait_days, np.nan),
            "technician_wait": c.technician_wait_days, "turnaround": c.turnaround_days,
        }
    )  # fmt: skip
    grouped = frame.groupby(["part", "month"])
    stats = pd.DataFrame(
        {
            "claims": grouped.size(),
            "claims_no_fault_found": grouped["nff"].sum(),
            "claims_filled_from_stock": grouped["filled"].sum(),
            "mean_wait_days": grouped["part_wait"].mean(),
            "p95_wait_days": grouped["part_wait"].quantile(0.95),
            "mean_technician_wait_days": grouped["technician_wait"].mean(),
            "p95_technician_wait_days": grouped["technician_wait"].quantile(0.95),
            "mean_turnaround_days": grouped["turnaround"].mean(),
            "p95_turnaround_days": grouped["turnaround"].quantile(0.95),
        }
    )
    index = pd.MultiIndex.from_product(
        [range(log.n_parts), range(1, log.horizon_months + 1)], names=["part", "month"]
    )
    out = stats.reindex(index).fillna(0.0).reset_index()
    for column in ("claims", "claims_no_fault_found", "claims_filled_from_stock"):
        out[column] = out[column].astype(np.int64)
    out.insert(0, "part_name", np.asarray(log.part_names, dtype=object)[out["part"]])
    for name in ("on_hand_end", "backorders_end", "on_order_end", "in_refurbishment_end"):
        out[name] = getattr(log, name).reshape(-1)
    out["technician_utilisation"] = _utilisation(log).reshape(-1)
    return out.drop(columns="part")


def technician_busy_days(log: EventLog) -> np.ndarray:
    """Technician-days spent repairing each part's claims in each month, shape (parts, months):
    the overlap of every repair [start, done) with the month, summed (vectorised over month
    boundaries: busy before t is Σ clip(t − start, 0, done − start))."""
    c = log.claims
    edges = np.arange(log.horizon_months + 1) * DAYS_PER_MONTH
    out = np.zeros((log.n_parts, log.horizon_months))
    for p in range(log.n_parts):
        mine = c.part == p
        start, length = c.repair_start_day[mine], (c.repair_done_day - c.repair_start_day)[mine]
        before = np.array([np.clip(t - start, 0.0, length).sum() for t in edges])
        out[p] = np.diff(before)
    return out


def _utilisation(log: EventLog) -> np.ndarray:
    if log.technicians == 0:
        return np.full((log.n_parts, log.horizon_months), np.nan)
    return technician_busy_days(log) / (log.technicians * DAYS_PER_MONTH)


def physical_kpis(log: EventLog, service: Service) -> dict[str, float]:
    """Service level and volumes of one replication (``technician_utilisation`` only with a
    repair centre)."""
    claims = log.claims
    n_claims = len(claims.claim_day)
    took = claims.takes_part
    units = int(log.units_sold.sum())
    wait = claims.wait_days[took]
    turnaround = claims.turnaround_days
    kpis = {
        "units_sold": float(units),
        "claims": float(n_claims),
        "claims_per_unit": n_claims / units if units else 0.0,
        "claims_no_fault_found": float((~took).sum()),
        "fill_rate": float(claims.filled_from_stock[took].mean()) if took.any() else 1.0,
        "mean_wait_days": float(wait.mean()) if len(wait) else 0.0,
        "p95_wait_days": float(np.quantile(wait, 0.95)) if len(wait) else 0.0,
        "mean_technician_wait_days": float(claims.technician_wait_days.mean()) if n_claims else 0.0,
        "mean_turnaround_days": float(turnaround.mean()) if n_claims else 0.0,
        "late_repair_share": float((turnaround > service.target_days).mean()) if n_claims else 0.0,
        "parts_bought": float(log.purchases.qty.sum()),
        "parts_refurbished": float(log.returns.refurbished.sum()),
    }
    if log.technicians:  # with unlimited capacity there is no utilisation to speak of
        busy = technician_busy_days(log).sum()
        kpis["technician_utilisation"] = float(busy / (log.technicians * log.horizon_day))
    return kpis


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    out = np.zeros_like(numerator, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out
