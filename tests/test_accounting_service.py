"""The books of a SimPy-engine run: no-fault-found claims cost labour and logistics but take no
spare (so no spare cost, no chargeback), and the books still balance under every policy."""

from __future__ import annotations

import numpy as np

from factories import part, replicate, scenario
from test_accounting_properties import check_balanced, policies
from warrantysim.accounting import account
from warrantysim.accounting import operations as ops
from warrantysim.accounting.pricing import unit_price


def nff_fleet(share: float) -> object:
    return scenario(
        [part(supplier="acme", supplier_fault_share=0.5, refurbish={"yield": 0.3, "days": 7})],
        product={"units_per_month": 300},
        service={"labour_cost_per_repair": 100.0, "logistics_cost_per_repair": 20.0,
                 "late_penalty_per_day": 5.0, "no_fault_found_share": share,
                 "repair_centre": {"technicians": 2,
                                   "repair_days": {"dist": "exponential", "mean": 0.5}}},
        suppliers={"acme": {"chargeback_share": 0.5}},
    )  # fmt: skip


def test_no_fault_found_claims_cost_service_but_no_spares() -> None:
    plain, nff = nff_fleet(0.0), nff_fleet(0.2)
    a, b = replicate(plain, 3), replicate(nff, 3)
    assert b.claims.no_fault_found.sum() > 0
    # labour + logistics for every claim, with or without a fault
    assert np.isclose(ops.labour_logistics(b, nff).sum(), 120.0 * len(b.claims.part))
    # the spares issued and charged back are the failures' alone: as many as without them (the
    # months may differ: technicians' waits delay the refurbished parts' return to stock)
    assert b.claims.takes_part.sum() == len(a.claims.part)
    assert np.isclose(ops.chargebacks(a, plain).recognised.sum(),
                      ops.chargebacks(b, nff).recognised.sum())  # fmt: skip
    kpis = account(b, nff, unit_price(nff)).kpis
    assert np.isfinite(list(kpis.values())).all()
    # late penalties follow the turnaround, which the extra technician load lengthens
    assert ops.late_penalties(b, nff).sum() > ops.late_penalties(a, plain).sum()


def test_books_of_a_service_run_balance_under_every_policy() -> None:
    spec = nff_fleet(0.2)
    log = replicate(spec, 4)
    profits = [check_balanced(log, sc, unit_price(spec)) for sc in policies(spec)]
    assert max(profits) - min(profits) < 0.005  # lifetime profit does not depend on the policy
