"""Hand-checked provision cases (arithmetic in the comments): the double-charge rule for accrual
plus age write-down, and the provision's months of claims at steady state.

D = 365.25 / 12 days per month; month m (1-based) covers days [(m-1)·D, m·D).
"""

from __future__ import annotations

import numpy as np
import pytest

from factories import D, make_log, widget
from factories import books_scenario as scenario
from warrantysim.accounting import account
from warrantysim.sim.eventlog import PurchaseKind

CENT = 0.005


def test_accrual_and_age_writedown_charge_a_spare_once() -> None:
    # One unit sold in month 1 accrues 10 to the provision; one spare costing 10 is bought on
    # day 0 and written down straight-line over 2 months; a repair takes it in month 3. Six
    # months, so no fiscal year end (and no review) falls inside. The rule: a spare bought under
    # the accrual treatment is paid for by the provision, so its age write-down draws the
    # provision instead of being a second expense.
    #   month 1: accrual 10 (expense); age write-down 10 × D / 2D = 5 drawn: provision 5
    #   month 2: age write-down 5 drawn: provision 0, spare's book value 0
    #   month 3: the repair takes it at book value 0: draws 0; its 10 of write-down leaves with it
    # The spare's 10 reaches the P&L once (the accrual); nothing is released at the end. Before
    # the rule, the 10 of age write-down was an expense too, and the end of life released 10.
    log = make_log(
        6,
        units_sold=[1, 0, 0, 0, 0, 0],
        purchases=[(0, 0.0, 1, PurchaseKind.INITIAL)],
        claims=[(0, 2.5 * D, 2.5 * D)],
    )
    accrue = {"spares_treatment": "accrue_per_unit", "accrual_per_unit": 10.0}
    sc = scenario(accounting={**accrue, "age_writedown_months": 2})
    m = account(log, sc, 50.0).monthly
    assert m["warranty_accrual"].tolist() == [10.0, 0, 0, 0, 0, 0]
    assert m["age_writedown"].abs().sum() == 0.0
    assert m["provision_used"].iloc[:3].tolist() == pytest.approx([5.0, 5.0, 0.0])
    assert m["warranty_provision_end"].iloc[:3].tolist() == pytest.approx([5.0, 0.0, 0.0])
    assert m["provision_release"].sum() == 0.0
    assert m["spares_book_value_end"].iloc[:2].tolist() == pytest.approx([5.0, 0.0])
    # capitalised instead, the same spare costs the same 10, as age write-down (5 + 5)
    capitalised = account(log, scenario(accounting={"age_writedown_months": 2}), 50.0).monthly
    assert capitalised["age_writedown"].iloc[:2].tolist() == pytest.approx([5.0, 5.0])
    assert capitalised["profit"].sum() == pytest.approx(m["profit"].sum(), abs=CENT)


def _claims_of_36_cohorts():
    """1,000 units sold a month for 36 of 72 months; exponential lives, λ = 0.01 a month: each
    cohort claims 10 a month over the 36 months after its sale (5 in the first and the 37th:
    sales spread over their month)."""
    claims = []
    for sale in range(36):
        for k, n in [(0, 5), *[(k, 10) for k in range(1, 36)], (36, 5)]:
            day = (sale + k + 0.5) * D
            claims += [(0, day, day)] * n
    claims.sort()
    return make_log(
        72,
        units_sold=[1000] * 36 + [0] * 36,
        purchases=[(0, 0.0, len(claims), PurchaseKind.INITIAL)],
        claims=sorted(claims),
    )


def test_months_of_claims_is_measured_at_steady_state() -> None:
    # Each claim costs 100 + 20 + 5 = 125; each unit 0.36 claims × 125 = 45, accrued per unit.
    # At the end of month 36 (the last sales month, a fiscal year end) cohort i = 1..36 is
    # 36 − i + ½ months old on average, with 0.01 (i − ½) claims a unit to come:
    # Σ 1,000 × 0.01 (i − ½) = 10 × (666 − 18) = 6,480 claims × 125 = 810,000 in the provision
    # (the review agrees: 36,000 × 45 − (12,960 − 6,480) × 125 = 810,000).
    # Steady-state draw: the trailing year's 1,000 units a month × 45 a unit = 45,000 a month,
    # so 810,000 / 45,000 = 18.0 months. The old measure divided by the trailing year's own draws,
    # months 25-36, whose claims 5 + 10 (k − 1) average 300 × 125 = 37,500: 21.6 months, because
    # the young cohorts' claims were still ramping up.
    sc = scenario(
        [widget(unit_cost=100.0, life={"shape": 1.0, "scale_months": 100.0})],
        product={"sales_months": 36, "warranty_months": 36},
        service={"labour_cost_per_repair": 20.0, "logistics_cost_per_repair": 5.0},
        simulation={"horizon_months": 72},
        accounting={"spares_treatment": "accrue_per_unit", "accrual_per_unit": 45.0},
    )
    books = account(_claims_of_36_cohorts(), sc, 50.0)
    assert books.monthly["warranty_provision_end"].iloc[35] == pytest.approx(810_000.0, rel=1e-6)
    assert books.kpis["provision_months_of_claims"] == pytest.approx(18.0, rel=1e-6)
    trailing = books.monthly["provision_used"].iloc[24:36].mean()
    assert 810_000.0 / trailing == pytest.approx(21.6, rel=1e-6)
    assert np.all(books.monthly["warranty_provision_end"] >= -1e-6)
