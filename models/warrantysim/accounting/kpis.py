"""The finance KPIs of one replication, from its monthly statement (a pure function of it).

Fill rate and the wait for a part are physical and come from the event log (``sim.physical``).
Ratios with nothing to divide by (no stock under ``expense_on_purchase``) are NaN.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from warrantysim.accounting.chart import PNL_COLUMNS
from warrantysim.accounting.periods import discount_factors
from warrantysim.scenario import DAYS_PER_MONTH, Scenario

TOTALS = (
    *PNL_COLUMNS,
    "profit",
    "performance_profit",
    "profit_after_tax",
    "taxable_profit",
    "tax_paid",
    "vat_paid",
    "warranty_cost",
    "net_warranty_cost",
    "age_writedown_carried_out",
    "cap_writedown_carried_out",
)
"""The statement columns summed over the horizon into ``lifetime_*`` KPIs."""


def finance_kpis(
    monthly: pd.DataFrame, annual: pd.DataFrame, scenario: Scenario
) -> dict[str, float]:
    """Lifetime totals, NPVs, book value against the cap, turnovers, receivable days, provision."""
    kpis = {f"lifetime_{name}": float(monthly[name].sum()) for name in TOTALS}
    kpis |= _npv(monthly, scenario.accounting.discount_rate)
    kpis |= terminal_value(monthly, scenario.accounting.discount_rate)
    kpis |= _book_value(monthly, annual)
    kpis["writedowns_total"] = (
        kpis["lifetime_age_writedown"]
        + kpis["lifetime_cap_writedown"]
        + kpis["lifetime_end_of_life_writeoff"]
        - kpis["lifetime_cap_writedown_reversal"]
    )
    revenue = kpis["lifetime_revenue"]
    kpis["warranty_cost_share_of_revenue"] = _share(kpis["lifetime_warranty_cost"], revenue)
    kpis["net_warranty_cost_share_of_revenue"] = _share(kpis["lifetime_net_warranty_cost"], revenue)
    kpis["first_year_profit"] = float(annual["profit"].iloc[0])
    kpis["first_year_performance_profit"] = float(annual["performance_profit"].iloc[0])
    kpis["min_cash"] = float(monthly["cash_end"].min())
    kpis |= tax_kpis(kpis, monthly)
    kpis["peak_borrowing"] = float(monthly["borrowing_end"].max())
    kpis |= inventory_turnovers(monthly)
    kpis["receivable_days"] = receivable_days(monthly)
    kpis["provision_months_of_claims"] = provision_months_of_claims(
        monthly, scenario.product.sales_months
    )
    return kpis


def tax_kpis(kpis: dict[str, float], monthly: pd.DataFrame) -> dict[str, float]:
    """Tax expense over profit before tax, and the deferred tax asset at its peak."""
    expense = kpis["lifetime_income_tax_current"] + kpis["lifetime_income_tax_deferred"]
    return {
        "effective_tax_rate": _share(expense, kpis["lifetime_profit"]),
        "peak_deferred_tax_asset": float(monthly["deferred_tax_asset_end"].max()),
        "peak_deferred_tax_unrecognised": float(monthly["deferred_tax_unrecognised_end"].max()),
    }


def _npv(monthly: pd.DataFrame, rate: float) -> dict[str, float]:
    factors = discount_factors(len(monthly), rate)
    operating = monthly["cash_flow"] - monthly["borrowing_flow"]
    return {
        "npv_profit": float(monthly["profit"].to_numpy() @ factors),
        "npv_profit_after_tax": float(monthly["profit_after_tax"].to_numpy() @ factors),
        "npv_cash_before_tax": float((operating + monthly["tax_paid"]).to_numpy() @ factors),
        # after tax; the credit line's principal is left out (the lender's cash), its interest in
        "npv_cash": float(operating.to_numpy() @ factors),
    }


def terminal_value(monthly: pd.DataFrame, rate: float) -> dict[str, float]:
    """The closing working capital, valued as what a continuing business is left with: spares at
    book value, receivables net of their allowance and accepted chargebacks, a VAT credit, less
    what is owed to suppliers, the income tax, VAT and surcharges owed and the provision still
    owed (0 for a run that ends: every account is closed then), discounted from the horizon's
    end like its last cash flow. The NPV of cash itself stays pure cash (after tax, the credit
    line's principal left out, as ``npv_cash``), identical under every accounting treatment."""
    last = monthly.iloc[-1]
    closing = float(
        last["spares_book_value_end"] + last["receivables_end"] - last["bad_debt_allowance_end"]
        + last["chargeback_receivable_end"] - last["payables_end"]
        - last["income_tax_payable_end"] - last["warranty_provision_end"]
        - last["vat_payable_end"] + last["vat_credit_end"] - last["surcharges_payable_end"]
    )  # fmt: skip
    factors = discount_factors(len(monthly), rate)
    discounted = closing * float(factors[-1])
    operating = monthly["cash_flow"] - monthly["borrowing_flow"]
    return {
        "closing_working_capital": closing,
        "npv_terminal_working_capital": discounted,
        "npv_cash_with_terminal_value": float(operating.to_numpy() @ factors) + discounted,
    }


def _book_value(monthly: pd.DataFrame, annual: pd.DataFrame) -> dict[str, float]:
    year_end_value = annual["spares_book_value_end"].to_numpy()
    over_cap = (annual["spares_book_value_end"] + annual["cap_writedown"]) - annual[
        "book_value_cap_limit"
    ]
    return {
        "peak_spares_book_value": float(monthly["spares_book_value_end"].max()),
        "max_year_end_spares_book_value": float(year_end_value[:-1].max(initial=0.0)),
        "max_year_end_excess_over_cap": float(
            np.nan_to_num(over_cap.clip(lower=0.0)).max(initial=0.0)
        ),
    }


def _share(part: float, whole: float) -> float:
    return part / whole if whole else float("nan")


def inventory_turnovers(monthly: pd.DataFrame) -> dict[str, float]:
    """The brief's turnover, annual sales / average month-end spares book value, over the months
    with sales (the run-off years have stock but no sales and would halve it); and the cost-based
    one, spares issued to repairs at cost per year / the average book value, over the horizon."""
    selling = monthly.loc[monthly["revenue"] > 0]
    sales_average = float(selling["spares_book_value_end"].mean()) if len(selling) else 0.0
    average = float(monthly["spares_book_value_end"].mean())
    return {
        "inventory_turnover_sales": _per_year(selling["revenue"], sales_average),
        "inventory_turnover_cost": _per_year(monthly["spares_issued_cost"], average),
    }


def _per_year(flow: pd.Series, average_stock: float) -> float:
    """Yearly flow over average stock; undefined without stock (e.g. expense_on_purchase)."""
    if average_stock <= 1e-9 or flow.empty:
        return float("nan")
    return float(flow.sum()) / (len(flow) / 12.0) / average_stock


def receivable_days(monthly: pd.DataFrame) -> float:
    """Average month-end trade receivables / revenue per day, over the months with sales
    (days sales outstanding, averaged: DSO = average receivables / revenue × days)."""
    selling = monthly.loc[monthly["revenue"] > 0]
    if selling.empty:
        return float("nan")
    per_day = float(selling["revenue"].sum()) / (len(selling) * DAYS_PER_MONTH)
    return float(selling["receivables_end"].mean()) / per_day


def provision_months_of_claims(monthly: pd.DataFrame, sales_months: int) -> float:
    """The provision at the end of the last sales month in months of steady-state draws.

    A steady month draws S·c: the units sold a month (S, the trailing year's average) times what
    each unit sold draws from the provision over its warranty (c, lifetime draws / units sold);
    revenue stands for units (one price), so S·c = trailing revenue × lifetime draws / revenue.
    Dividing by the trailing year's own draws instead would overstate it while the claims of the
    youngest cohorts are still ramping up (21.6 against 18 months in the hand-checked case).
    0 when the books hold no provision.
    """
    last = min(sales_months, len(monthly))
    revenue = float(monthly["revenue"].sum())
    per_yuan = float(monthly["provision_used"].sum()) / revenue if revenue else 0.0
    steady_draw = float(monthly["revenue"].iloc[max(last - 12, 0) : last].mean()) * per_yuan
    if steady_draw <= 1e-9:
        return 0.0
    return float(monthly["warranty_provision_end"].iloc[last - 1]) / steady_draw
