"""Statements in the CAS layout (企业会计准则 财务报表格式): 利润表, 资产负债表, 现金流量表.

Each is a table with a row per month (``period`` "month", ``number`` the month) and a row per
fiscal year (``period`` "year", ``number`` the fiscal year; flows summed, balances at the year
end), one column per statement line in Chinese. Revenue and costs are net of VAT; 税金及附加
are the surcharges on the VAT paid (:mod:`.vat`); 销售费用 and 管理费用 come from the scenario's
``expenses`` (0 unless stated: the warranty's costs are in 营业成本, docs/design.md). On the
balance sheet a VAT credit carried forward and income tax prepaid beyond the tax owed are
其他流动资产 (财会〔2016〕22号), what is owed of them 应交税费; the provision is split into the
part expected to be settled within 12 months (流动负债) and the rest (:mod:`.provision_split`).

The cash-flow statement is by the direct method, classifying every journal entry that moves cash
by the event it books; its 补充资料 reconciles net profit to the operating cash flow (the indirect
method, CAS 31): 净利润 + impairments + 财务费用 − the increase in deferred tax assets − the
increase in inventory before impairment − the increase in operating receivables before credit
losses + the increase in operating payables (payables, taxes and VAT less a VAT credit, the warranty
provision).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from warrantysim.accounting.chart import Account
from warrantysim.accounting.ledger import FloatArray, Ledger

OPERATING_IN = "销售商品、提供劳务收到的现金"
OTHER_OPERATING_IN = "收到其他与经营活动有关的现金"
OPERATING_OUT = "购买商品、接受劳务支付的现金"
OTHER_OPERATING_OUT = "支付其他与经营活动有关的现金"
TAXES_OUT = "支付的各项税费"
BORROWED = "取得借款收到的现金"
REPAID = "偿还债务支付的现金"
INTEREST_OUT = "分配股利、利润或偿付利息支付的现金"
_DIRECT = {
    "customers pay": OPERATING_IN,
    "chargeback paid": OTHER_OPERATING_IN,
    "scrap sold": OTHER_OPERATING_IN,
    "income tax paid": TAXES_OUT,
    "income tax refunded": TAXES_OUT,
    "VAT paid": TAXES_OUT,
    "VAT credit refunded": TAXES_OUT,
    "surcharges paid": TAXES_OUT,
    "selling expenses": OTHER_OPERATING_OUT,
    "administrative expenses": OTHER_OPERATING_OUT,
    "credit line drawn": BORROWED,
    "credit line repaid": REPAID,
    "interest paid": INTEREST_OUT,
}
"""Cash entries by memo; every other entry moving cash is paid for goods and services."""
_FINANCING = (BORROWED, REPAID, INTEREST_OUT)


def income_statement(monthly: pd.DataFrame) -> pd.DataFrame:
    """利润表 from the monthly statement (CNY; costs positive)."""
    m = monthly
    warranty = (
        m["spare_parts_cost"] + m["labour_logistics"] + m["warranty_accrual"]
        - m["provision_release"] + m["late_penalties"] - m["chargeback_income"]
        + m["chargeback_unrecovered"] - m["salvage_income"]
    )  # fmt: skip
    cost = m["product_cost"] + m["screening_cost"] + warranty
    impairment = _impairment(m)
    period_costs = (
        m["taxes_and_surcharges"] + m["selling_expenses"] + m["administrative_expenses"]
        + m["interest_expense"]
    )  # fmt: skip
    operating = m["revenue"] - cost - period_costs - impairment - m["bad_debt"]
    tax = m["income_tax_current"] + m["income_tax_deferred"]
    lines = {
        "营业收入": m["revenue"],
        "营业成本": cost,
        "其中：保修成本": warranty,
        "税金及附加": m["taxes_and_surcharges"],
        "销售费用": m["selling_expenses"],
        "管理费用": m["administrative_expenses"],
        "财务费用": m["interest_expense"],
        "资产减值损失": impairment,
        "信用减值损失": m["bad_debt"],
        "营业利润": operating,
        "利润总额": operating,
        "所得税费用": tax,
        "其中：当期所得税": m["income_tax_current"],
        "其中：递延所得税": m["income_tax_deferred"],
        "净利润": operating - tax,
    }
    return _with_years(m, lines, flows=True)


def balance_sheet(monthly: pd.DataFrame) -> pd.DataFrame:
    """资产负债表 at month ends (CNY)."""
    m = monthly
    income_tax = m["income_tax_payable_end"]
    assets = {
        "货币资金": m["cash_end"],
        "应收账款": m["receivables_end"] - m["bad_debt_allowance_end"],
        "其他应收款": m["chargeback_receivable_end"],
        "存货": m["spares_book_value_end"],
        "其他流动资产": m["vat_credit_end"] + np.maximum(-income_tax, 0.0),
        "递延所得税资产": m["deferred_tax_asset_end"],
    }
    liabilities = {
        "短期借款": m["borrowing_end"],
        "应付账款": m["payables_end"],
        "应交税费": np.maximum(income_tax, 0.0)
        + m["vat_payable_end"]
        + m["surcharges_payable_end"],
        "预计负债（流动部分）": m["warranty_provision_current_end"],
        "预计负债（非流动部分）": m["warranty_provision_non_current_end"],
    }
    lines = {
        **assets,
        "资产总计": _total(assets.values()),
        **liabilities,
        "负债合计": _total(liabilities.values()),
        "所有者权益（未分配利润）": m["retained_earnings_end"],
        "负债和所有者权益总计": _total(liabilities.values()) + m["retained_earnings_end"],
    }
    return _with_years(m, lines, flows=False)


def cash_flow_statement(ledger: Ledger, monthly: pd.DataFrame) -> pd.DataFrame:
    """现金流量表 by the direct method with the indirect reconciliation (补充资料)."""
    direct = _direct_lines(ledger)
    operating = _total(v for k, v in direct.items() if k not in _FINANCING)
    financing = _total(direct[k] for k in _FINANCING)
    lines: dict[str, FloatArray | pd.Series] = {
        **direct,
        "经营活动产生的现金流量净额": operating,
        "筹资活动产生的现金流量净额": financing,
        "现金及现金等价物净增加额": operating + financing,
        **_reconciliation(monthly),
    }
    return _with_years(monthly, lines, flows=True)


def _direct_lines(ledger: Ledger) -> dict[str, FloatArray]:
    horizon = ledger.horizon_months
    names = (OPERATING_IN, OTHER_OPERATING_IN, OPERATING_OUT, TAXES_OUT, OTHER_OPERATING_OUT,
             *_FINANCING)  # fmt: skip
    lines = {name: np.zeros(horizon) for name in names}
    for entry in ledger.entries:
        sign = (entry.debit is Account.CASH) - (entry.credit is Account.CASH)
        if sign:
            name = _DIRECT.get(entry.memo, OPERATING_OUT)
            lines[name] = lines[name] + sign * entry.amount
    return lines


def _reconciliation(m: pd.DataFrame) -> dict[str, pd.Series]:
    def increase(column: str) -> pd.Series:
        return m[column].diff().fillna(m[column])

    impairment = _impairment(m)
    receivables = increase("receivables_end") - increase("bad_debt_allowance_end")
    payables = (
        increase("payables_end") + increase("income_tax_payable_end")
        + increase("warranty_provision_end") + increase("vat_payable_end")
        - increase("vat_credit_end") + increase("surcharges_payable_end")
    )  # fmt: skip
    lines = {
        "补充资料：净利润": m["profit_after_tax"],
        "加：资产减值准备": impairment,
        "信用减值损失": m["bad_debt"],
        "财务费用": m["interest_expense"],
        "递延所得税资产减少": -increase("deferred_tax_asset_end"),
        "存货的减少": -increase("spares_book_value_end") - impairment,
        "经营性应收项目的减少": -receivables
        - increase("chargeback_receivable_end")
        - m["bad_debt"],
        "经营性应付项目的增加": payables,
    }
    lines["补充资料：经营活动产生的现金流量净额"] = pd.Series(_total(lines.values()), index=m.index)
    return lines


def _total(amounts: Iterable[FloatArray | pd.Series]) -> FloatArray:
    """The sum of several monthly lines."""
    return np.asarray(np.sum([np.asarray(a, dtype=np.float64) for a in amounts], axis=0))


def _with_years(
    monthly: pd.DataFrame, lines: Mapping[str, FloatArray | pd.Series], *, flows: bool
) -> pd.DataFrame:
    values = np.column_stack([np.asarray(v, dtype=np.float64) for v in lines.values()])
    fiscal = monthly["fiscal_year"].to_numpy()
    starts = np.flatnonzero(np.r_[True, fiscal[1:] != fiscal[:-1]])  # months are in order
    ends = np.r_[starts[1:], len(fiscal)] - 1
    yearly = np.add.reduceat(values, starts, axis=0) if flows else values[ends]
    n_months, n_years = len(fiscal), len(starts)
    head = {
        "period": ["month"] * n_months + ["year"] * n_years,
        "number": np.r_[monthly["month"].to_numpy(), fiscal[starts]],
        "fiscal_year": np.r_[fiscal, fiscal[starts]],
    }
    body = dict(zip(lines, np.vstack([values, yearly]).T, strict=True))
    return pd.DataFrame(head | body)


def _impairment(m: pd.DataFrame) -> pd.Series:
    """资产减值损失 on the spares: the write-downs less what a higher cap reversed (CAS 1)."""
    return (
        m["age_writedown"] + m["cap_writedown"] + m["end_of_life_writeoff"]
        - m["cap_writedown_reversal"]
    )  # fmt: skip
