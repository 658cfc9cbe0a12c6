"""Names of the result tables' columns (``kpis``, ``annual``, ``monthly``) that the Excel
workbook and the report show, in CAS wording where a CAS line exists (所得税, 增值税, 坏账损失,
存货跌价准备, 预计负债, 应纳税所得额; 企业会计准则第18号 for the deferred tax terms).

Kept apart from :mod:`.i18n` and :mod:`.terms` (which :class:`~warrantysim.report.i18n.Labels`
also reads) because every produced column has one here, a list as long as the tables are
wide. ``lifetime_X`` needs no entry: :class:`Labels` calls it 全周期 + the name of ``X``.
"""

from __future__ import annotations

LIFETIME_PREFIX = "lifetime_"
LIFETIME_ZH = "全周期"

EN: dict[str, str] = {
    "input_vat": "Input VAT",
    "output_vat": "Output VAT",
    "vat_paid": "VAT paid",
    "vat_payable_end": "VAT payable, year end",
    "vat_credit_end": "VAT credit carried forward, year end",
    "npv_cash_before_tax": "NPV of cash flows before tax",
    "npv_cash_with_terminal_value": "NPV of cash flows with terminal value",
    "npv_profit_after_tax": "NPV of profit after tax",
    "npv_terminal_working_capital": "NPV of terminal working capital",
    "p95_wait_days": "Wait, 95th percentile (days)",
    "p95_technician_wait_days": "Wait for a technician, 95th percentile (days)",
    "p95_turnaround_days": "Turnaround, 95th percentile (days)",
    "tax_paid": "Income tax paid",
}

ZH: dict[str, str] = {
    # counts (physical)
    "replication": "重复序号",
    "months": "月数",
    "backorders_end": "期末欠件数(件)",
    "claims_filled_from_stock": "现货满足的索赔(次)",
    "claims_no_fault_found": "无故障索赔(次)",
    "in_refurbishment_end": "期末修复中(件)",
    "on_hand_end": "期末在库(件)",
    "on_order_end": "期末在途(件)",
    "parts_bought": "采购件数(件)",
    "parts_received": "到货件数(件)",
    "parts_refurbished": "修复件数(件)",
    "parts_scrapped_end": "期末报废件数(件)",
    "part_name": "零件名称",
    # service
    "late_repair_share": "延误维修占比",
    "technician_utilisation": "技师利用率",
    "mean_technician_wait_days": "平均等待技师(天)",
    "mean_turnaround_days": "平均维修周转(天)",
    "p95_wait_days": "等待时间95分位(天)",
    "p95_technician_wait_days": "等待技师95分位(天)",
    "p95_turnaround_days": "维修周转95分位(天)",
    # profit and loss
    "net_warranty_cost": "保修净成本",
    "net_warranty_cost_share_of_revenue": "保修净成本占收入比",
    "spares_issued_cost": "领用备件成本",
    "cap_writedown_carried_out": "随领用、报废结转的超限减值",
    "provision_used": "预计负债使用额",
    "provision_estimate": "预计负债估计数",
    "provision_months_of_claims": "预计负债可覆盖索赔月数",
    "receivable_days": "应收账款周转天数",
    "first_year_age_writedown": "首年库龄折旧",
    "first_year_cap_writedown": "首年超限减值",
    # tax (所得税 and 增值税)
    "taxable_profit": "应纳税所得额",
    "tax_paid": "已交所得税",
    "expired_tax_losses": "到期未弥补亏损",
    "effective_tax_rate": "实际所得税税率",
    "output_vat": "销项税额",
    "input_vat": "进项税额",
    "vat_paid": "已交增值税",
    "vat_payable_end": "期末应交增值税",
    "vat_credit_end": "期末留抵进项税额",
    "surcharges_payable_end": "期末应交税金及附加",
    "income_tax_payable_end": "期末应交所得税",
    "deferred_tax_asset_end": "期末递延所得税资产",
    "deferred_tax_unrecognised_end": "期末未确认的递延所得税资产",
    "temporary_differences_end": "期末可抵扣暂时性差异",
    "unused_tax_losses_end": "期末未弥补亏损",
    "peak_deferred_tax_asset": "递延所得税资产峰值",
    "peak_deferred_tax_unrecognised": "未确认递延所得税资产峰值",
    # balances and cash
    "opening_restatement": "期初追溯调整",
    "opening_retained_earnings": "期初未分配利润",
    "opening_spares_book_value": "期初备件账面价值",
    "borrowing_flow": "借款净增加额",
    "cash_end": "期末货币资金",
    "receivables_end": "期末应收账款",
    "bad_debt_allowance_end": "期末坏账准备",
    "chargeback_receivable_end": "期末应收供应商索赔款",
    "spares_book_value_gross_end": "期末备件账面余额",
    "spares_writedowns_end": "期末存货跌价准备",
    "spares_book_value_average": "备件平均账面价值",
    "payables_end": "期末应付账款",
    "borrowing_end": "期末短期借款",
    "retained_earnings_end": "期末未分配利润",
    "warranty_provision_current_end": "期末预计负债(流动部分)",
    "warranty_provision_non_current_end": "期末预计负债(非流动部分)",
    "closing_working_capital": "期末营运资金",
    "min_cash": "货币资金最低值",
    "peak_borrowing": "借款峰值",
    "max_year_end_spares_book_value": "年末备件账面价值最大值",
    "max_year_end_excess_over_cap": "年末超出上限的最大金额",
    "inventory_turnover_sales": "存货周转率(按收入,次/年)",
    "inventory_turnover_cost": "存货周转率(按成本,次/年)",
    # present values
    "npv_cash_before_tax": "税前现金流净现值",
    "npv_cash_with_terminal_value": "含终值的现金流净现值",
    "npv_profit_after_tax": "税后利润净现值",
    "npv_terminal_working_capital": "期末营运资金净现值",
}
