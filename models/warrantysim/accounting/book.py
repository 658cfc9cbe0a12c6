"""``book``: the event log and the scenario's accounting policy in, the monthly journal out.

A pure function: same log and scenario, same ledger. The three spares treatments of
docs/design.md differ only in where a spare's cost goes (the stock's own movements are in
:mod:`.inventory`):

| treatment           | spare received        | spare issued to a repair   | unit sold           |
|---------------------|-----------------------|----------------------------|---------------------|
| capitalise          | Dr inventory, Cr cash | Dr spare_parts_cost, Cr inv | —                  |
| expense_on_purchase | Dr spare_parts_cost, Cr cash | —                   | —                   |
| accrue_per_unit     | Dr inventory, Cr cash | Dr provision, Cr inventory | Dr accrual, Cr prov. |

Under ``accrue_per_unit`` labour and logistics are drawn from the provision too (the accrual covers
them), and so is the age write-down: a spare bought under the accrual treatment is paid for by the
provision, whether its cost leaves the books as it ages or when a repair takes it, so writing it
down is not a second expense (the double-charge rule, scenarios/README.md). The provision is
reviewed at every fiscal year end and whenever it would turn negative (:mod:`.provision`); at the
horizon's end what is left of it is released. Cap write-downs and the end-of-life write-off hit
the P&L under every treatment that holds stock (and the age write-down under ``capitalise``), so
the lifetime total of spare cost is the same under all three: the cost of everything that entered
stock.

After the operations come VAT (:mod:`.vat`), the period costs (销售费用, 管理费用) and then the
credit line and income tax, solved together (:mod:`.financing_and_tax`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from warrantysim.accounting import operations as ops
from warrantysim.accounting.accrual import Settled, accrual_per_unit, settle
from warrantysim.accounting.cap_plan import cap_rule
from warrantysim.accounting.chart import Account as A
from warrantysim.accounting.financing_and_tax import book_financing_and_tax
from warrantysim.accounting.inventory import Layers, StockUnits, Valuation, stock_units, value_stock
from warrantysim.accounting.ledger import Entry, FloatArray, Ledger, ledger_from_entries, post
from warrantysim.accounting.opening import (
    join_layers,
    opening_layers,
    spread_over_days,
)
from warrantysim.accounting.payables import Payables, payables
from warrantysim.accounting.provision_split import provision_current_portion
from warrantysim.accounting.receivables import credit_loss
from warrantysim.accounting.vat import book_vat
from warrantysim.scenario import Scenario, SparesTreatment
from warrantysim.sim.eventlog import EventLog


def book(log: EventLog, scenario: Scenario, price: float) -> Ledger:
    """The replication's journal, a row of postings per month (see the module docstring)."""
    _check_log(log)
    entries: list[Entry] = []
    # read by the payables, the VAT, the stock and the chargebacks: made once
    received, charge = ops.layers(log, scenario), ops.claim_chargebacks(log, scenario)
    owed = payables(log, scenario, received=received, charge=charge)
    output_vat = _book_sales(entries, log, scenario, price, owed)
    _book_opening_terms(entries, log, scenario)
    _book_service(entries, log, scenario, owed, charge)
    extras = _book_spares(entries, log, scenario, price, owed.spares_on_credit, received)
    _release_opening_provision(entries, log, scenario)
    extras |= book_vat(entries, log, scenario, output_vat, owed, received)
    _book_period_costs(entries, log, scenario)
    taxed, opening = book_financing_and_tax(entries, log, scenario, extras.pop("spares_cost_held"))
    extras |= taxed | {"opening_restatement": _in_month_1(opening.restatement, log)}
    balances = opening.balances if np.any(opening.balances) else None  # None: all open at 0
    ledger = ledger_from_entries(entries, log.horizon_months, price, extras, balances)
    return replace(ledger, extras=extras | provision_current_portion(log, scenario, ledger))


def _release_opening_provision(entries: list[Entry], log: EventLog, scenario: Scenario) -> None:
    """Only ``accrue_per_unit`` draws a provision; under the other treatments the opening one
    is carried, and released when the horizon ends the business (every account closed)."""
    accrue = scenario.accounting.spares_treatment is SparesTreatment.ACCRUE_PER_UNIT
    if accrue or not scenario.ends_at_horizon:
        return
    at_end = np.zeros(log.horizon_months)
    at_end[-1] = scenario.opening_balance.warranty_provision
    post(entries, "provision released at end of life", A.WARRANTY_PROVISION,
         A.PROVISION_RELEASE, at_end)  # fmt: skip


def _in_month_1(amount: float, log: EventLog) -> FloatArray:
    out = np.zeros(log.horizon_months)
    out[0] = amount
    return out


def _book_opening_terms(entries: list[Entry], log: EventLog, scenario: Scenario) -> None:
    """The opening receivables are collected over the customers' terms, the opening payables
    paid over theirs (evenly: what was sold or bought before month 1 falls due through them)."""
    opening, horizon = scenario.opening_balance, log.horizon_months
    days = scenario.sales_terms.receivable_days
    at_end = scenario.ends_at_horizon
    post(entries, "customers pay", A.CASH, A.TRADE_RECEIVABLES,
         spread_over_days(opening.receivables, days, horizon, at_end))  # fmt: skip
    post(entries, "suppliers paid", A.ACCOUNTS_PAYABLE, A.CASH,
         spread_over_days(opening.payables, opening.payables_days, horizon, at_end))  # fmt: skip


def _check_log(log: EventLog) -> None:
    """Fail fast on logs the books cannot close (the simulation closes every claim by the end)."""
    if np.isnan(log.claims.serve_day).any():
        raise ValueError("the event log has claims without a serve_day; every claim must be served")
    if len(log.units_sold) != log.horizon_months:
        raise ValueError(
            f"units_sold has {len(log.units_sold)} months, the horizon {log.horizon_months}"
        )


def _book_sales(
    entries: list[Entry], log: EventLog, scenario: Scenario, price: float, owed: Payables
) -> FloatArray:
    """Revenue net of VAT, the receivable with its output VAT (returned), product cost."""
    sale = ops.sales(log, scenario, price)
    revenue = ops.revenue(log, scenario, price)
    post(entries, "units sold", A.TRADE_RECEIVABLES, A.REVENUE, revenue)
    post(entries, "output VAT on sales", A.TRADE_RECEIVABLES, A.VAT_PAYABLE,
         sale.recognised - revenue)  # fmt: skip
    post(entries, "customers pay", A.CASH, A.TRADE_RECEIVABLES, sale.collected)
    loss = credit_loss(sale, scenario.sales_terms.bad_debt_rate)
    post(entries, "expected credit loss", A.BAD_DEBT, A.BAD_DEBT_ALLOWANCE, loss)
    post(entries, "bad debt written off", A.BAD_DEBT_ALLOWANCE, A.TRADE_RECEIVABLES,
         sale.written_off)  # fmt: skip
    in_cash = ops.product_cost(log, scenario) - owed.components_on_credit
    post(entries, "product cost", A.PRODUCT_COST, A.CASH, in_cash)
    post(entries, "product components on credit", A.PRODUCT_COST, A.ACCOUNTS_PAYABLE,
         owed.components_on_credit)  # fmt: skip
    post(entries, "suppliers paid", A.ACCOUNTS_PAYABLE, A.CASH, owed.paid)
    post(entries, "screening", A.SCREENING_COST, A.CASH, ops.screening_cost(log, scenario))
    return sale.recognised - revenue


def _book_period_costs(entries: list[Entry], log: EventLog, scenario: Scenario) -> None:
    """销售费用 per unit sold and 管理费用 per month, paid when incurred (scenarios/README.md)."""
    costs = scenario.expenses
    selling = np.asarray(log.units_sold * costs.selling_expense_per_unit, dtype=np.float64)
    post(entries, "selling expenses", A.SELLING_EXPENSES, A.CASH, selling)
    post(entries, "administrative expenses", A.ADMINISTRATIVE_EXPENSES, A.CASH,
         np.full(log.horizon_months, costs.administrative_expense_per_month))  # fmt: skip


def _book_service(
    entries: list[Entry],
    log: EventLog,
    scenario: Scenario,
    owed: Payables,
    claimed: ops.ClaimChargebacks,
) -> None:
    accrue = scenario.accounting.spares_treatment is SparesTreatment.ACCRUE_PER_UNIT
    labour_account = A.WARRANTY_PROVISION if accrue else A.LABOUR_LOGISTICS
    post(
        entries, "labour and logistics", labour_account, A.CASH, ops.labour_logistics(log, scenario)
    )
    post(entries, "late penalties", A.LATE_PENALTIES, A.CASH, ops.late_penalties(log, scenario))
    charge = ops.chargebacks(log, scenario, claimed)
    post(
        entries,
        "chargeback claimed",
        A.CHARGEBACK_RECEIVABLE,
        A.CHARGEBACK_INCOME,
        charge.recognised,
    )
    post(entries, "chargeback paid", A.CASH, A.CHARGEBACK_RECEIVABLE, owed.chargebacks_in_cash)
    post(entries, "chargeback netted against payables", A.ACCOUNTS_PAYABLE,
         A.CHARGEBACK_RECEIVABLE, owed.netted)  # fmt: skip
    post(
        entries,
        "chargeback unrecovered",
        A.CHARGEBACK_UNRECOVERED,
        A.CHARGEBACK_RECEIVABLE,
        charge.written_off,
    )
    post(entries, "scrap sold", A.CASH, A.SALVAGE_INCOME, ops.salvage(log, scenario))


def _book_spares(
    entries: list[Entry],
    log: EventLog,
    scenario: Scenario,
    price: float,
    on_credit: FloatArray,
    received: Layers,
) -> dict[str, FloatArray]:
    """The spares' movements; ``on_credit``: the receipts owed to suppliers (the rest is cash);
    ``received``: ``operations.layers``."""
    treatment = scenario.accounting.spares_treatment
    legacy = opening_layers(scenario, log.part_names)
    if treatment is SparesTreatment.EXPENSE_ON_PURCHASE:
        bought = ops.monthly(log, received.day, received.qty * received.unit_cost)
        post(entries, "spares bought, expensed", A.SPARE_PARTS_COST, A.CASH, bought - on_credit)
        post(entries, "spares bought on credit, expensed", A.SPARE_PARTS_COST,
             A.ACCOUNTS_PAYABLE, on_credit)  # fmt: skip
        nothing = np.zeros(log.horizon_months)
        units = _units(log, join_layers(legacy, received))
        at_cost = value_stock(units, log.horizon_months, None, None, scenario.ends_at_horizon)
        held = _cost_held(at_cost)
        return _extras(nothing, nothing * np.nan, nothing, nothing * np.nan, nothing) | held
    units = _units(log, join_layers(legacy, received))
    if treatment is SparesTreatment.ACCRUE_PER_UNIT:
        valuation, settled = settle(
            log, scenario, lambda reviews: _valuation(log, scenario, units, price, reviews)
        )
        estimate = _book_accrual(entries, scenario, settled)
        _book_stock(entries, valuation, on_credit, A.WARRANTY_PROVISION, A.WARRANTY_PROVISION)
        carried = np.zeros(log.horizon_months)  # its age write-down never reached the P&L
    else:
        valuation = _valuation(log, scenario, units, price, None)
        _book_stock(entries, valuation, on_credit, A.SPARE_PARTS_COST, A.AGE_WRITEDOWN)
        carried = valuation.age_writedown_carried_out
        estimate = np.full(log.horizon_months, np.nan)
    extras = _extras(
        valuation.issued_cost, valuation.cap_limit, carried, estimate,
        valuation.cap_writedown_carried_out,
    )  # fmt: skip
    return extras | _cost_held(valuation)


def _cost_held(v: Valuation) -> dict[str, FloatArray]:
    """The cost of the spares held at each month end: their tax base."""
    held = v.opening_cost + np.cumsum(v.receipts - v.issued_cost - v.leftover_cost)
    return {"spares_cost_held": np.asarray(held, dtype=np.float64)}


def _extras(
    issued_cost: FloatArray,
    cap_limit: FloatArray,
    carried: FloatArray,
    estimate: FloatArray,
    cap_carried: FloatArray,
) -> dict[str, FloatArray]:
    return {
        "book_value_cap_limit": cap_limit,
        "spares_issued_cost": issued_cost,
        "age_writedown_carried_out": carried,
        "provision_estimate": estimate,
        "cap_writedown_carried_out": cap_carried,
    }


def _book_stock(
    entries: list[Entry], v: Valuation, on_credit: FloatArray, issue_account: A, age_account: A
) -> None:
    post(entries, "spares received", A.SPARES_INVENTORY, A.CASH, v.receipts - on_credit)
    post(entries, "spares received on credit", A.SPARES_INVENTORY, A.ACCOUNTS_PAYABLE, on_credit)
    post(entries, "spares issued to repairs", issue_account, A.SPARES_INVENTORY, v.issued_value)
    post(
        entries,
        "write-downs of issued spares",
        A.SPARES_WRITEDOWNS,
        A.SPARES_INVENTORY,
        v.issued_cost - v.issued_value,
    )
    post(entries, "age write-down", age_account, A.SPARES_WRITEDOWNS, v.age_writedown)
    post(entries, "cap write-down", A.CAP_WRITEDOWN, A.SPARES_WRITEDOWNS, v.cap_writedown)
    # 存货跌价准备转回: Dr the allowance, Cr the reversal (CAS 1 para 19; shown on its own line)
    post(entries, "cap write-down reversed", A.SPARES_WRITEDOWNS, A.CAP_WRITEDOWN_REVERSAL,
         v.cap_writedown_reversed)  # fmt: skip
    post(
        entries,
        "leftover stock written off",
        A.END_OF_LIFE_WRITEOFF,
        A.SPARES_INVENTORY,
        v.leftover_value,
    )
    post(
        entries,
        "write-downs of leftover stock",
        A.SPARES_WRITEDOWNS,
        A.SPARES_INVENTORY,
        v.leftover_cost - v.leftover_value,
    )


def _book_accrual(entries: list[Entry], scenario: Scenario, settled: Settled) -> FloatArray:
    """The accrual, the reviews and the end-of-life release; returns the reviews' estimates."""
    accrued, drawn, reviewed = settled.accrued, settled.drawn, settled.reviewed
    post(entries, "warranty accrual", A.WARRANTY_ACCRUAL, A.WARRANTY_PROVISION, accrued)
    balance_in = accrued.copy()  # the reviews ran the balance from the opening provision
    balance_in[0] += scenario.opening_balance.warranty_provision
    post(entries, "provision review: top-up", A.WARRANTY_ACCRUAL, A.WARRANTY_PROVISION,
         reviewed.top_up)  # fmt: skip
    post(entries, "provision review: release", A.WARRANTY_PROVISION, A.PROVISION_RELEASE,
         reviewed.release)  # fmt: skip
    left = (balance_in + reviewed.top_up - reviewed.release - drawn).sum()
    if not scenario.ends_at_horizon:  # a continuing business still owes its units' claims
        return reviewed.estimate
    at_end = np.zeros(len(accrued))
    at_end[-1] = abs(left)
    if left >= 0:
        post(entries, "provision released at end of life", A.WARRANTY_PROVISION,
             A.PROVISION_RELEASE, at_end)  # fmt: skip
    else:  # under-accrued: the shortfall is more warranty expense, not a negative income
        post(entries, "provision shortfall at end of life", A.WARRANTY_ACCRUAL,
             A.WARRANTY_PROVISION, at_end)  # fmt: skip
    return reviewed.estimate


def _units(log: EventLog, received: Layers) -> StockUnits:
    issued = log.claims.takes_part
    return stock_units(
        received,
        log.claims.part[issued].astype(np.int64),
        log.claims.serve_day[issued],
        log.n_parts,
        log.horizon_months,
    )


def _valuation(
    log: EventLog,
    scenario: Scenario,
    units: StockUnits,
    price: float,
    review_expense: FloatArray | None,
) -> Valuation:
    """The stock valued; ``review_expense``: the provision reviews' net expense by month, part
    of the cap's cost of sales under the accrual treatment (:mod:`.accrual`)."""
    policy = scenario.accounting
    cap = cap_rule(log, scenario, price, accrual_per_unit(scenario), review_expense)
    return value_stock(
        units, log.horizon_months, policy.age_writedown_months, cap, scenario.ends_at_horizon
    )
