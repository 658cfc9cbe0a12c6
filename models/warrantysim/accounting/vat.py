"""Value-added tax (增值税) and its surcharges (税金及附加), booked monthly.

- Output VAT (销项税额) = ``tax.vat_rate`` × the revenue, which is net of VAT: with
  ``pricing.price_includes_vat`` the stated price is gross (含税价) and the net price is
  price / (1 + rate) (:func:`warrantysim.accounting.pricing.net_unit_price`). The customer owes
  revenue + VAT (the receivable, and its bad-debt allowance, are gross: China has no VAT relief
  on bad debts).
- Input VAT (进项税额) = rate × the purchases of goods: spares (regular, last-buy and emergency
  orders at their price) when received, and the product's components (its bill of materials,
  Σ qty × list cost × (1 + uplift) of every part) with each unit sold. It is owed to the
  supplier with the price (:mod:`.payables`) or paid in cash for a part without one.
  Refurbishment, labour, logistics, screening, selling and administrative expenses and the rest
  of the product cost (assembly, value added in house) carry no input VAT, and scrap sales and
  chargebacks are left outside VAT (docs/design.md, "VAT").
- The monthly return (增值税暂行条例 第四条: 应纳税额 = 当期销项税额 − 当期进项税额, an excess
  carried forward): with x_m = output_m − input_m and S_m = x_1 + … + x_m, the credit carried
  (留抵) is c_m = max(0, S_1, …, S_m) − S_m (a Lindley recursion, c_m = max(c_(m−1) − x_m, 0))
  and the VAT due d_m = x_m + c_m − c_(m−1) ≥ 0. It is paid the month after (by the 15th); at
  the horizon's end the last return is paid in the last month and a credit still held is
  refunded then (留抵退税), the convention that settles whatever falls after the horizon in its
  last month.
- Surcharges = ``tax.surcharge_rate`` × d_m: an expense of month m (城建税 7 %, 教育费附加 3 %,
  地方教育附加 2 % of the VAT paid), paid with the VAT and deductible for income tax when booked.
  A refunded credit is deducted from their base (财政部 税务总局公告2018年第80号: 允许从城市维护
  建设税、教育费附加和地方教育附加的计税依据中扣除退还的增值税税额), so the last month's base is
  d_m − the refund (negative when the refund exceeds d_m: the future surcharge saving the
  horizon convention brings forward with the refund) and lifetime surcharges are exactly
  the rate × the VAT paid net of refunds, whatever the months in which spares were bought.

VAT depends on units sold and spares bought only, so it is the same under every spares
treatment: cash timing moves, the NPV of cash stays identical across treatments (tested).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warrantysim.accounting import operations as ops
from warrantysim.accounting.chart import Account as A
from warrantysim.accounting.inventory import Layers
from warrantysim.accounting.ledger import Entry, FloatArray, post
from warrantysim.accounting.payables import Payables
from warrantysim.accounting.pricing import spare_unit_cost
from warrantysim.scenario import Scenario, Tax
from warrantysim.sim.eventlog import EventLog


@dataclass(frozen=True)
class VatReturns:
    """The monthly returns (CNY; index 0 = month 1)."""

    due: FloatArray
    """VAT of month m's return, paid in month m + 1."""
    credit: FloatArray
    """Input VAT carried forward at each month end (留抵)."""
    paid: FloatArray
    """Cash paid to the tax office: the month before's VAT due."""
    refunded: FloatArray
    """The credit still held at the horizon's end, refunded in its last month."""
    surcharges: FloatArray
    """税金及附加 booked in month m on its VAT due."""
    surcharges_paid: FloatArray


def settle(output_vat: FloatArray, input_vat: FloatArray, tax: Tax) -> VatReturns:
    """The returns, payments and surcharges of monthly output and input VAT (module docstring)."""
    cumulative = np.cumsum(output_vat - input_vat)
    credit = np.maximum.accumulate(np.maximum(cumulative, 0.0)) - cumulative
    due = output_vat - input_vat + credit - np.r_[0.0, credit[:-1]]
    due = np.maximum(due, 0.0)  # exact arithmetic gives ≥ 0; this removes −1e-9 rounding
    refunded = _at_end(float(credit[-1]), len(due))
    surcharges = tax.surcharge_rate * (due - refunded)
    return VatReturns(
        due=due,
        credit=credit,
        paid=_month_after(due),
        refunded=refunded,
        surcharges=surcharges,
        surcharges_paid=_month_after(surcharges),
    )


def _month_after(amount: FloatArray) -> FloatArray:
    """Paid the month after; the last month's in the last month."""
    paid = np.r_[0.0, amount[:-1]]
    paid[-1] += amount[-1]
    return np.asarray(paid, dtype=np.float64)


def _at_end(amount: float, horizon: int) -> FloatArray:
    out = np.zeros(horizon)
    out[-1] = amount
    return out


def bill_of_materials_per_unit(scenario: Scenario) -> float:
    """The components bought for one unit sold: Σ qty × list cost × (1 + uplift), every part."""
    return sum(p.qty_per_unit * spare_unit_cost(scenario, p) for p in scenario.parts)


def input_vat(log: EventLog, scenario: Scenario, received: Layers | None = None) -> FloatArray:
    """Input VAT of each month: spares received (``received``: ``operations.layers`` when the
    caller has it) and the components of the units sold."""
    received = ops.layers(log, scenario) if received is None else received
    bought = len(log.purchases.part)  # layers list the purchases first, then refurbished parts
    cost = received.qty[:bought] * received.unit_cost[:bought]
    spares = ops.monthly(log, received.day[:bought], cost)
    components = log.units_sold * bill_of_materials_per_unit(scenario)
    return np.asarray(scenario.tax.vat_rate * (spares + components), dtype=np.float64)


def book_vat(
    entries: list[Entry],
    log: EventLog,
    scenario: Scenario,
    output_vat: FloatArray,
    owed: Payables,
    received: Layers | None = None,
) -> dict[str, FloatArray]:
    """Input VAT, the returns, the surcharges and their payments (output VAT is booked with the
    sale); returns the monthly output VAT, input VAT and VAT paid (net of the refund)."""
    inputs = input_vat(log, scenario, received)
    on_credit = scenario.tax.vat_rate * (owed.spares_on_credit + owed.components_on_credit)
    post(entries, "input VAT owed to suppliers", A.VAT_PAYABLE, A.ACCOUNTS_PAYABLE, on_credit)
    post(entries, "input VAT paid with cash purchases", A.VAT_PAYABLE, A.CASH, inputs - on_credit)
    returns = settle(output_vat, inputs, scenario.tax)
    post(entries, "VAT paid", A.VAT_PAYABLE, A.CASH, returns.paid)
    post(entries, "VAT credit refunded", A.CASH, A.VAT_PAYABLE, returns.refunded)
    post(entries, "taxes and surcharges", A.TAXES_AND_SURCHARGES, A.SURCHARGES_PAYABLE,
         returns.surcharges)  # fmt: skip
    post(entries, "surcharges paid", A.SURCHARGES_PAYABLE, A.CASH, returns.surcharges_paid)
    return {
        "output_vat": output_vat,
        "input_vat": inputs,
        "vat_paid": returns.paid - returns.refunded,
    }
