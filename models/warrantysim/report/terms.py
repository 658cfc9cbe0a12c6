"""The proposal's own words: the decision, the CAS statements' English names, the assumptions.

Kept apart from :mod:`.i18n` (chart and table words) so neither grows past a screenful of
dictionaries; :class:`~warrantysim.report.i18n.Labels` reads both. The CAS lines are named in
Chinese by :mod:`warrantysim.accounting.cas`; the English names here are the IFRS-style ones a
reader of an English report expects, and a line this table does not know is shown as it is.
"""

from __future__ import annotations

EN: dict[str, str] = {
    "decision": "Decision",
    "key_numbers": "Key numbers (mean over replications, 95% CI)",
    "key_differences": "Difference from the base, paired by replication (95% CI)",
    "drivers": "Assumptions that drive these numbers",
    "changes": "What each policy changes against the base",
    "setting": "Setting",
    "from_value": "Base value",
    "to_value": "Policy value",
    "wins": "Better in (share of replications)",
    "cas_statements": "Statements per policy (CAS layout, mean over replications)",
    "variance": "Variance against the base by year (paired, 95% CI)",
    "assumptions": "Appendix: assumptions",
    "parts_table": "Parts: lives, costs and lead times",
    "part": "Part",
    "not_available": "n/a",
    "ci": "95% CI",
    "year_n": "Year {n}",
    "fy": "FY {year}",
    "income_statement": "Income statement",
    "balance_sheet": "Balance sheet",
    "cash_flow": "Cash-flow statement",
    "cumulative_difference": "Cumulative profit, difference from the base (mean, 5–95% of "
    "replications)",
    "profit_after_tax": "Profit after tax",
    "cash_flow_line": "Cash flow",
    "interest_expense": "Interest expense",
    "claims_per_unit": "Claims per unit",
    "income_tax_current": "Current income tax",
    "income_tax_deferred": "Deferred income tax",
    "adopt": "Adopt {policy}: it raises the {kpi} by {diff} {unit} (95% CI {lo} to {hi}) "
    "against {base}, and does better in {wins} of {n} paired replications ({share}).",
    "keep": "Keep {base}: every alternative lowers the {kpi}; the closest, {policy}, by {diff} "
    "{unit} (95% CI {lo} to {hi}), better in {wins} of {n} paired replications ({share}).",
    "unclear": "No policy is clearly better than {base} on the {kpi}: the best, {policy}, "
    "differs by {diff} {unit} (95% CI {lo} to {hi}) and does better in {wins} of {n} paired "
    "replications ({share}); more replications would narrow the interval.",
    "same": "No policy raises the {kpi} above {base}: the best, {policy}, gives the same in "
    "every paired replication ({diff} {unit}), as accounting moves profit between years, not "
    "cash.",
    "compare_head": "{n} replications per scenario, common random numbers; base: {base}",
    "more_in_appendix": "... and {n} more changed settings in the appendix",
    "runs": "{n} replications per policy with common random numbers, seed {seed}",
    "yes": "yes",
    "no": "no",
    "none": "none",
    # CAS lines (accounting/cas.py)
    "营业收入": "Revenue",
    "营业成本": "Cost of sales",
    "其中：保修成本": "of which: warranty cost",
    "财务费用": "Finance costs",
    "资产减值损失": "Impairment losses on assets",
    "信用减值损失": "Credit impairment losses",
    "营业利润": "Operating profit",
    "利润总额": "Profit before tax",
    "所得税费用": "Income tax expense",
    "其中：当期所得税": "of which: current tax",
    "其中：递延所得税": "of which: deferred tax",
    "净利润": "Net profit",
    "货币资金": "Cash",
    "应收账款": "Accounts receivable",
    "其他应收款": "Other receivables",
    "存货": "Inventories",
    "递延所得税资产": "Deferred tax assets",
    "资产总计": "Total assets",
    "短期借款": "Short-term borrowings",
    "应付账款": "Accounts payable",
    "应交税费": "Taxes payable",
    "预计负债": "Provisions",
    "负债合计": "Total liabilities",
    "所有者权益（未分配利润）": "Equity (retained earnings)",
    "负债和所有者权益总计": "Total liabilities and equity",
    "销售商品、提供劳务收到的现金": "Cash received from sales of goods and services",
    "收到其他与经营活动有关的现金": "Other cash received from operating activities",
    "购买商品、接受劳务支付的现金": "Cash paid for goods and services",
    "支付的各项税费": "Taxes paid",
    "取得借款收到的现金": "Cash received from borrowings",
    "偿还债务支付的现金": "Cash repaid on borrowings",
    "分配股利、利润或偿付利息支付的现金": "Interest paid",
    "经营活动产生的现金流量净额": "Net cash from operating activities",
    "筹资活动产生的现金流量净额": "Net cash from financing activities",
    "现金及现金等价物净增加额": "Net increase in cash",
    "补充资料：净利润": "Reconciliation: net profit",
    "加：资产减值准备": "add: impairment of assets",
    "递延所得税资产减少": "Decrease in deferred tax assets",
    "存货的减少": "Decrease in inventories",
    "经营性应收项目的减少": "Decrease in operating receivables",
    "经营性应付项目的增加": "Increase in operating payables",
    "补充资料：经营活动产生的现金流量净额": "Reconciliation: net cash from operating activities",
}

ZH: dict[str, str] = {
    "decision": "结论",
    "key_numbers": "关键数字(各次重复的均值,95%置信区间)",
    "key_differences": "与基准之差,按重复配对(95%置信区间)",
    "drivers": "决定这些数字的假设",
    "changes": "各政策相对基准的改动",
    "setting": "设定",
    "from_value": "基准取值",
    "to_value": "政策取值",
    "wins": "优于基准的重复占比",
    "cas_statements": "各政策财务报表(企业会计准则格式,各次重复的均值)",
    "variance": "各年与基准的差异(配对,95%置信区间)",
    "assumptions": "附录:假设",
    "parts_table": "零件:寿命、成本与交货期",
    "part": "零件",
    "not_available": "无",
    "ci": "95%置信区间",
    "year_n": "第{n}年",
    "fy": "{year}年",
    "income_statement": "利润表",
    "balance_sheet": "资产负债表",
    "cash_flow": "现金流量表",
    "cumulative_difference": "累计利润与基准之差(均值,5–95%分位)",
    "profit_after_tax": "税后利润",
    "cash_flow_line": "现金流量",
    "interest_expense": "利息费用",
    "claims_per_unit": "每台索赔次数",
    "income_tax_current": "当期所得税",
    "income_tax_deferred": "递延所得税",
    "adopt": "建议采用{policy}:与{base}相比,{kpi}增加{diff}{unit}(95%置信区间{lo}至{hi}),"
    "在{n}次配对重复中有{wins}次更优({share})。",
    "keep": "建议维持{base}:其他政策均降低{kpi};最接近的{policy}降低{diff}{unit}"
    "(95%置信区间{lo}至{hi}),在{n}次配对重复中有{wins}次更优({share})。",
    "unclear": "没有政策在{kpi}上明显优于{base}:最好的{policy}相差{diff}{unit}"
    "(95%置信区间{lo}至{hi}),在{n}次配对重复中有{wins}次更优({share});"
    "增加重复次数可缩小区间。",
    "same": "没有政策使{kpi}高于{base}:最好的{policy}在各次配对重复中与之完全相同"
    "({diff}{unit}),因为会计处理只在年度之间移动利润,不改变现金。",
    "compare_head": "每个情景{n}次重复,共同随机数;基准:{base}",
    "more_in_appendix": "……另有{n}项改动见附录",
    "runs": "每个政策{n}次重复,共同随机数,种子{seed}",
    "yes": "是",
    "no": "否",
    "none": "无",
}

ASSUMPTIONS: dict[str, tuple[str, str]] = {
    # dotted scenario path: (English, Chinese)
    "product.units_per_month": ("Units sold a month", "月销量(台)"),
    "product.sales_months": ("Sales months", "销售月数"),
    "product.growth_per_year": ("Sales growth a year", "年销量增长率"),
    "product.unit_cost": ("Product unit cost (CNY)", "产品单位成本(元)"),
    "product.warranty_months": ("Warranty (months)", "保修期(月)"),
    "pricing.policy": ("Pricing policy", "定价方式"),
    "pricing.price": ("Price (CNY)", "售价(元)"),
    "pricing.markup": ("Markup (cost-plus)", "成本加成率"),
    "pricing.include_warranty_cost": ("Price includes warranty cost", "定价含保修成本"),
    "pricing.demand_elasticity": ("Demand elasticity", "需求价格弹性"),
    "sales_terms.receivable_days": ("Receivable days", "应收账款天数"),
    "sales_terms.bad_debt_rate": ("Bad-debt rate", "坏账率"),
    "simulation.horizon_months": ("Horizon (months)", "模拟期(月)"),
    "simulation.end_of_life": ("Business ends at the horizon", "期末终止经营"),
    "simulation.start": ("First month", "起始月份"),
    "accounting.spares_treatment": ("Spares treatment", "备件会计处理"),
    "accounting.accrual_per_unit": ("Accrual per unit (CNY)", "每台计提(元)"),
    "accounting.age_writedown_months": ("Age write-down (months)", "库龄折旧期(月)"),
    "accounting.book_value_cap.absolute": ("Book-value cap (CNY)", "账面价值上限(元)"),
    "accounting.book_value_cap.share_of_trailing_cost_of_sales": (
        "Cap as share of trailing cost of sales",
        "上限占前期销售成本比例",
    ),
    "accounting.writedown_reversal": ("Cap write-downs reversed", "跌价准备可转回"),
    "accounting.fiscal_year_end_month": ("Fiscal year ends in month", "财年结束月份"),
    "accounting.discount_rate": ("Discount rate", "折现率"),
    "tax.rate": ("Income tax rate", "所得税税率"),
    "tax.loss_carry_forward_years": ("Tax-loss carry-forward (years)", "亏损结转年限"),
    "financing.credit_line": ("Credit line (CNY)", "授信额度(元)"),
}
"""The settings the appendix and the first page list, in the order they are read."""

PART_COLUMNS: dict[str, tuple[str, str]] = {
    "qty_per_unit": ("Per unit", "每台数量"),
    "unit_cost": ("Unit cost (CNY)", "单价(元)"),
    "life.shape": ("Weibull shape", "威布尔形状参数"),
    "life.scale_months": ("Weibull scale (months)", "威布尔尺度(月)"),
    "lead_time_days": ("Lead time (days)", "交货期(天)"),
    "stocking.policy": ("Stocking", "备货方式"),
    "supplier": ("Supplier", "供应商"),
}

VALUES_ZH: dict[str, str] = {
    "capitalise": "资本化",
    "expense_on_purchase": "采购即费用化",
    "accrue_per_unit": "按台计提保修准备",
    "fixed": "固定价格",
    "cost_plus": "成本加成",
    "auto": "自动",
    "base_stock": "基础库存",
    "min_max": "最小-最大",
}
"""Option values shown in Chinese (the scenario files spell them in English)."""
