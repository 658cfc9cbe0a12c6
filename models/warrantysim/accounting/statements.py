"""Monthly and annual statements: P&L lines, balance-sheet lines and cash flow, from the ledger.

Signs as a finance team reads them: incomes and expenses both positive in their own columns,
``profit`` = incomes − expenses before income tax (利润总额; appraisal profit starts from it),
``profit_after_tax`` (净利润) after it; balances positive on their normal side (an asset's debit,
the provision's and the accumulated write-downs' credit). ``performance_profit`` (appraisal profit,
考核利润) adds back the lines of ``accounting.performance_profit_excludes`` (the brief: 剔除坏账和
库存跌价损失). Adding back the age write-down adds back the part of it the stock still holds: a
spare consumed or scrapped leaves at its written-down book value, so the age write-down it carries
out with it (结转, ``age_writedown_carried_out``) is charged to appraisal profit then, and every
spare's cost reaches appraisal profit once, at cost less any cap write-down. The cap write-down
and the end-of-life write-off count against appraisal profit unless listed (BRIEF §4).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from warrantysim.accounting.chart import COST_OF_SALES, PNL, PNL_COLUMNS, WRITEDOWNS, Account
from warrantysim.accounting.ledger import FloatArray, Ledger
from warrantysim.accounting.periods import fiscal_year
from warrantysim.scenario import Scenario

FLOW_COLUMNS = (
    *PNL_COLUMNS,
    "cost_of_sales",
    "warranty_cost",
    "net_warranty_cost",
    "spares_issued_cost",
    "age_writedown_carried_out",
    "cap_writedown_carried_out",
    "provision_used",
    "profit",
    "performance_profit",
    "cash_flow",
    "borrowing_flow",
    "profit_after_tax",
    "taxable_profit",
    "tax_paid",
    "expired_tax_losses",
    "output_vat",
    "input_vat",
    "vat_paid",
)
BALANCE_COLUMNS = (
    "cash_end",
    "receivables_end",
    "bad_debt_allowance_end",
    "chargeback_receivable_end",
    "spares_book_value_gross_end",
    "spares_writedowns_end",
    "spares_book_value_end",
    "warranty_provision_end",
    "payables_end",
    "borrowing_end",
    "deferred_tax_asset_end",
    "deferred_tax_unrecognised_end",
    "temporary_differences_end",
    "unused_tax_losses_end",
    "income_tax_payable_end",
    "retained_earnings_end",
    "book_value_cap_limit",
    "provision_estimate",
    "vat_payable_end",
    "vat_credit_end",
    "surcharges_payable_end",
    "warranty_provision_current_end",
    "warranty_provision_non_current_end",
)
YEAR_COLUMNS = ("spares_book_value_average",)
"""Money columns only the annual statement has."""


def monthly_statement(ledger: Ledger, scenario: Scenario) -> pd.DataFrame:
    """A row per month: ``month`` 1..H, ``fiscal_year``, flows of the month, balances at its end."""
    months = np.arange(1, ledger.horizon_months + 1)
    table: dict[str, NDArray[np.generic]] = {
        "month": months,
        "fiscal_year": fiscal_year(months, _year_end(scenario)),
    }
    table |= {a.column: ledger.line(a) for a in PNL}
    table |= _derived_flows(ledger, scenario)
    table |= _balances(ledger)
    return pd.DataFrame(table)


def _year_end(scenario: Scenario) -> int:
    return scenario.accounting.fiscal_year_end_month


def _derived_flows(ledger: Ledger, scenario: Scenario) -> dict[str, FloatArray]:
    line = ledger.line
    after_tax = ledger.profit()
    income_tax = line(Account.INCOME_TAX_CURRENT) + line(Account.INCOME_TAX_DEFERRED)
    profit = after_tax + income_tax  # 利润总额: profit before tax
    warranty = (
        line(Account.SPARE_PARTS_COST) + line(Account.LABOUR_LOGISTICS)
        + line(Account.WARRANTY_ACCRUAL) - line(Account.PROVISION_RELEASE)
        + line(Account.LATE_PENALTIES) + sum(line(a) for a in WRITEDOWNS)
        - line(Account.CAP_WRITEDOWN_REVERSAL)
    )  # fmt: skip
    recovered = (
        line(Account.SALVAGE_INCOME) + line(Account.CHARGEBACK_INCOME)
        - line(Account.CHARGEBACK_UNRECOVERED)
    )  # fmt: skip
    provision_used = (
        ledger.movement(Account.WARRANTY_PROVISION)
        + line(Account.WARRANTY_ACCRUAL) - line(Account.PROVISION_RELEASE)
    )  # fmt: skip
    return {
        "cost_of_sales": np.sum([line(a) for a in COST_OF_SALES], axis=0),
        "warranty_cost": warranty,
        "net_warranty_cost": warranty - recovered,
        "spares_issued_cost": ledger.extras["spares_issued_cost"],
        "age_writedown_carried_out": ledger.extras["age_writedown_carried_out"],
        "cap_writedown_carried_out": ledger.extras["cap_writedown_carried_out"],
        "provision_used": provision_used,
        "profit": profit,
        "performance_profit": profit + appraisal_add_back(ledger, scenario),
        "cash_flow": ledger.movement(Account.CASH),
        # drawn − repaid on the credit line: cash that is the lender's, not the business's
        "borrowing_flow": -ledger.movement(Account.SHORT_TERM_BORROWING),
        "profit_after_tax": after_tax,
        "taxable_profit": ledger.extras["taxable_profit"],
        "tax_paid": ledger.movement(Account.INCOME_TAX_PAYABLE)
        + ledger.movement(Account.INCOME_TAX_CURRENT),
        "expired_tax_losses": ledger.extras["expired_tax_losses"],
        **{name: ledger.extras[name] for name in ("output_vat", "input_vat", "vat_paid")},
    }


def appraisal_add_back(ledger: Ledger, scenario: Scenario) -> FloatArray:
    """Appraisal profit − profit per month: the excluded lines, the age write-down net of what
    the parts consumed or scrapped carry out of the books with them."""
    names = scenario.accounting.performance_profit_excludes
    add_back = np.zeros(ledger.horizon_months)
    for name in names:
        add_back = add_back + ledger.line(Account[name.upper()])
    if Account.AGE_WRITEDOWN.column in names:
        add_back = add_back - ledger.extras["age_writedown_carried_out"]
    return add_back


def _balances(ledger: Ledger) -> dict[str, FloatArray]:
    gross = ledger.balance(Account.SPARES_INVENTORY)
    writedowns = -ledger.balance(Account.SPARES_WRITEDOWNS)
    return {
        "cash_end": ledger.balance(Account.CASH),
        "receivables_end": ledger.balance(Account.TRADE_RECEIVABLES),
        "bad_debt_allowance_end": -ledger.balance(Account.BAD_DEBT_ALLOWANCE),
        "chargeback_receivable_end": ledger.balance(Account.CHARGEBACK_RECEIVABLE),
        "spares_book_value_gross_end": gross,
        "spares_writedowns_end": writedowns,
        "spares_book_value_end": gross - writedowns,
        "warranty_provision_end": -ledger.balance(Account.WARRANTY_PROVISION),
        "payables_end": -ledger.balance(Account.ACCOUNTS_PAYABLE),
        "borrowing_end": -ledger.balance(Account.SHORT_TERM_BORROWING),
        "deferred_tax_asset_end": ledger.balance(Account.DEFERRED_TAX_ASSET),
        "deferred_tax_unrecognised_end": ledger.extras["deferred_tax_unrecognised_end"],
        "temporary_differences_end": ledger.extras["temporary_differences_end"],
        "unused_tax_losses_end": ledger.extras["unused_tax_losses_end"],
        "income_tax_payable_end": -ledger.balance(Account.INCOME_TAX_PAYABLE),
        "retained_earnings_end": np.cumsum(ledger.profit()),
        "book_value_cap_limit": ledger.extras["book_value_cap_limit"],
        "provision_estimate": ledger.extras["provision_estimate"],
        **_vat_and_provision_balances(ledger),
    }


def _vat_and_provision_balances(ledger: Ledger) -> dict[str, FloatArray]:
    """VAT owed or carried as a credit (留抵), surcharges owed, the provision's current part."""
    vat = -ledger.balance(Account.VAT_PAYABLE)
    provision = -ledger.balance(Account.WARRANTY_PROVISION)
    current = ledger.extras["warranty_provision_current_end"]
    return {
        "vat_payable_end": np.maximum(vat, 0.0),
        "vat_credit_end": np.maximum(-vat, 0.0),
        "surcharges_payable_end": -ledger.balance(Account.SURCHARGES_PAYABLE),
        "warranty_provision_current_end": current,
        "warranty_provision_non_current_end": provision - current,
    }


def annual_statement(monthly: pd.DataFrame) -> pd.DataFrame:
    """A row per fiscal year: flows summed, balances (and the cap's limit) at the year's end."""
    grouped = monthly.groupby("fiscal_year", sort=True)
    flows = grouped[list(FLOW_COLUMNS)].sum()
    ends = grouped[list(BALANCE_COLUMNS)].last()
    table = flows.join(ends)
    table.insert(0, "months", grouped.size())
    average_book_value = grouped["spares_book_value_end"].mean()
    table["spares_book_value_average"] = average_book_value
    annualise = 12.0 / table["months"]
    table["inventory_turnover_sales"] = _ratio(table["revenue"] * annualise, average_book_value)
    table["inventory_turnover_cost"] = _ratio(
        table["spares_issued_cost"] * annualise, average_book_value
    )
    return table.reset_index()


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NaN where there is nothing to divide by."""
    return numerator / denominator.where(denominator.abs() > 1e-9)
