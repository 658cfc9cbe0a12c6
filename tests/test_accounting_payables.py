"""Hand-checked payables, netting, the credit line and the bad-debt allowance (arithmetic in
comments). D = 365.25 / 12 days per month; month m (1-based) covers days [(m-1)·D, m·D)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from factories import D, make_log, replicate, widget
from factories import books_scenario as scenario
from warrantysim.accounting import Account, account, balance_sheet_gap, postings_table
from warrantysim.accounting.financing import credit_line
from warrantysim.scenario import Financing, ScenarioError, load_scenario
from warrantysim.sim.eventlog import PurchaseKind, ScrapReason

CENT = 0.005
ROOT = Path(__file__).resolve().parents[1]


def acme(**terms):
    """The widget from supplier acme on 60-day terms; 10 units sold in month 1 at product cost 25
    (so 10 of each unit's 25 is the widget, owed to acme, and 15 is paid in cash); acme accepts
    chargebacks the day the spare is issued."""
    supplier = {"payment_days": 60.0, "chargeback_share": 0.5, "recovery_rate": 1.0,
                "acceptance_days": 0.0} | terms  # fmt: skip
    return scenario(
        [widget(supplier="acme")],
        suppliers={"acme": supplier},
        product={"unit_cost": 25.0},
    )


def acme_log():
    # 2 spares received on day 0; one supplier-fault claim served on day 5.
    return make_log(
        12,
        units_sold=[10] + [0] * 11,
        purchases=[(0, 0.0, 2, PurchaseKind.INITIAL)],
        claims=[(0, 5.0, 5.0)],
        supplier_fault=[True],
        scrap=[(0, 12 * D, 1, ScrapReason.END_OF_HORIZON)],
    )


def test_spares_and_components_are_paid_on_the_suppliers_terms() -> None:
    # Spares: 2 × 10 = 20 received day 0, due day 60 = month 2 (60 / 30.44 = 1.97).
    # Components: 10 units × 10 = 100 owed in month 1; sold evenly through month 1, due 60 days
    # later: a shift of 1.971 months puts (1 − 0.971) = 2.9 % in month 2 and 97.1 % in month 3.
    # Month 1 pays only the rest of the product cost in cash: 10 × 15 = 150.
    books = account(acme_log(), acme(), 50.0).monthly
    shift = 60.0 / D - 1.0
    assert books["payables_end"].iloc[0] == pytest.approx(20.0 + 100.0)
    assert books["payables_end"].iloc[1] == pytest.approx(100.0 * shift)
    assert books["payables_end"].iloc[2] == pytest.approx(0.0, abs=1e-9)
    cash_out = -books["cash_flow"] + np.r_[500.0, np.zeros(11)]  # 10 × 50 collected at once
    assert cash_out.iloc[0] == pytest.approx(150.0)
    assert cash_out.iloc[1] == pytest.approx(20.0 + 100.0 * (1 - shift))
    # month 3 also receives the chargeback in cash: 0.5 × 10 = 5, due day 65 (month 3)
    assert cash_out.iloc[2] == pytest.approx(100.0 * shift - 5.0)
    assert np.abs(balance_sheet_gap(account(acme_log(), acme(), 50.0).ledger)).max() < 1e-9


def test_a_netted_chargeback_reduces_the_payment_not_the_cash() -> None:
    # Netting: the 5 refund of month 3 is set off against the 97.1 due then, so 92.1 is paid and
    # no refund arrives in cash; cash is the same as without netting, the payables fall by 5 more.
    gross = account(acme_log(), acme(), 50.0)
    net = account(acme_log(), acme(netting=True), 50.0)
    assert np.allclose(net.monthly["cash_flow"], gross.monthly["cash_flow"])
    netted = [e for e in net.ledger.entries if e.memo == "chargeback netted against payables"]
    assert netted[0].amount[2] == pytest.approx(5.0)
    paid = next(e for e in net.ledger.entries if e.memo == "suppliers paid").amount[2]
    assert paid == pytest.approx(100.0 * (60.0 / D - 1.0) - 5.0)
    assert np.abs(balance_sheet_gap(net.ledger)).max() < 1e-9


def test_credit_line_draws_the_shortfall_charges_interest_and_sweeps_surplus() -> None:
    # 12 % a year = 1 % a month on the previous month end's balance.
    # m1: cash −100 → draw 100.           m2: interest 1.00, cash −1 → draw 1 (balance 101).
    # m3: interest 1.01, cash 48.99 → repay 48.99 (balance 52.01).
    # m4: interest 0.5201, cash 99.4799 → repay 52.01, 47.4699 left in cash.
    loan = credit_line(
        np.array([-100.0, 0.0, 50.0, 100.0]), Financing(credit_line=1e6, interest_rate=0.12)
    )
    assert loan.drawn.tolist() == pytest.approx([100.0, 1.0, 0.0, 0.0])
    assert loan.interest.tolist() == pytest.approx([0.0, 1.0, 1.01, 0.5201])
    assert loan.repaid.tolist() == pytest.approx([0.0, 0.0, 48.99, 52.01])


def test_credit_line_stops_at_its_limit_and_none_means_no_line() -> None:
    limited = credit_line(np.array([-100.0, -10.0]), Financing(credit_line=60.0))
    assert limited.drawn.tolist() == [60.0, 0.0]  # cash −40 then −50: beyond the limit
    assert not credit_line(np.array([-100.0]), Financing()).drawn.any()


def test_bad_debt_allowance_is_charged_at_the_sale_and_used_on_the_due_date() -> None:
    # 10 units × 50 = 500 sold in month 1, due 60 days later (97.1 % in month 3, 2.9 % in month
    # 2); 2 % of it is expected lost: the allowance is 2 % of the open receivables, 10 at the end
    # of month 1, 0.2 × 2.9 % less... the loss of month 1 is the whole 10 (= 2 % × 500), nothing
    # later; the write-offs (10 in all) are taken from the allowance when due.
    sc = scenario(sales_terms={"receivable_days": 60.0, "bad_debt_rate": 0.02})
    log = make_log(12, units_sold=[10] + [0] * 11)
    books = account(log, sc, 50.0).monthly
    assert books["bad_debt"].tolist() == pytest.approx([10.0] + [0.0] * 11)
    shift = 60.0 / D - 1.0
    assert books["bad_debt_allowance_end"].iloc[0] == pytest.approx(10.0)
    assert books["bad_debt_allowance_end"].iloc[1] == pytest.approx(10.0 * shift)
    assert books["bad_debt_allowance_end"].iloc[2] == pytest.approx(0.0, abs=1e-12)
    assert books["cash_flow"].sum() == pytest.approx(490.0)


@pytest.fixture(scope="module")
def baseline_books():
    spec = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    log = replicate(spec, 2026, 0)
    from warrantysim.accounting.pricing import unit_price

    return spec, account(log, spec, unit_price(spec))


@pytest.mark.slow
def test_baseline_cash_never_goes_negative_and_the_books_balance(baseline_books) -> None:
    spec, books = baseline_books
    monthly = books.monthly
    assert monthly["cash_end"].min() >= -1e-6
    assert monthly["borrowing_end"].max() > 0  # the line is used in the launch months
    assert monthly["borrowing_end"].max() <= spec.financing.credit_line
    scale = float(np.abs(books.ledger.postings).max())
    assert np.abs(balance_sheet_gap(books.ledger)).max() <= 1e-9 * scale


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("suppliers.diskco.payment_days=-1", "suppliers.diskco.payment_days"),
        ("financing.interest_rate=1.5", "financing.interest_rate"),
        ("financing.credit_line=-5", "financing.credit_line"),
    ],
)
def test_bad_terms_are_one_line_errors(override: str, message: str) -> None:
    with pytest.raises(ScenarioError) as error:
        load_scenario(ROOT / "scenarios" / "baseline.yaml", overrides=[override])
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_the_journal_traces_every_posting_back_to_its_event() -> None:
    # Summing the journal's debits less credits by month and account gives the ledger's postings
    # back exactly; each entry appears as one debit row and one credit row of the same amount.
    books = account(acme_log(), acme(netting=True), 50.0)
    journal = postings_table(books.ledger)
    assert list(journal.columns) == ["month", "account", "debit", "credit", "event"]
    net = (journal["debit"] - journal["credit"]).groupby([journal["month"], journal["account"]])
    for (month, name), amount in net.sum().items():
        assert books.ledger.movement(Account[name.upper()])[month - 1] == pytest.approx(amount)
    assert journal["debit"].sum() == pytest.approx(journal["credit"].sum())
    netted = journal[journal["event"] == "chargeback netted against payables"]
    assert set(netted["account"]) == {"accounts_payable", "chargeback_receivable"}


def test_run_journal_writes_the_postings_to_parquet(tmp_path: Path, cli) -> None:
    short = ("--set", "simulation.horizon_months=6", "--set", "product.units_per_month=500")
    done = cli("run", str(ROOT / "scenarios" / "baseline.yaml"), *short, "--replications", "1",
               "--journal", "--out", "out", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    journal = pd.read_parquet(tmp_path / "out" / "journal.parquet")
    assert list(journal.columns) == ["replication", "month", "account", "debit", "credit", "event"]
    assert journal["debit"].sum() == pytest.approx(journal["credit"].sum())
    assert {"units sold", "suppliers paid", "current income tax"} <= set(journal["event"])
