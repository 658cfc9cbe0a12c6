"""The CAS statements on the real logs of every shipped scenario: the balance sheet balances, the
cash-flow statement's net change is the change in cash and its indirect reconciliation agrees
with the direct method, every month and year; and cash never goes negative with the credit line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from warrantysim.api import run_one
from warrantysim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_statements_balance_and_reconcile_on_a_shipped_scenario(path: Path) -> None:
    spec = load_scenario(path)
    run = run_one(spec, 2026, 0)
    income, sheet, cash = (run.statements[k] for k in ("income_statement", "balance_sheet",
                                                       "cash_flow"))  # fmt: skip
    monthly = run.monthly
    scale = float(monthly["revenue"].abs().max()) or 1.0
    tolerance = 1e-9 * scale  # float rounding of sums of amounts of this size
    months = income["period"] == "month"
    assert np.allclose(income.loc[months, "净利润"], monthly["profit_after_tax"], atol=tolerance)
    assert np.allclose(sheet["资产总计"], sheet["负债和所有者权益总计"], atol=tolerance)
    provision = sheet["预计负债（流动部分）"] + sheet["预计负债（非流动部分）"]
    assert np.allclose(provision.iloc[: len(monthly)], monthly["warranty_provision_end"])
    assert (sheet["预计负债（流动部分）"] >= -tolerance).all()
    assert (sheet["预计负债（非流动部分）"] >= -tolerance).all()
    # every shipped scenario sells at a margin over its components, so it pays VAT and surcharges
    assert income.loc[months, "税金及附加"].sum() > 0.0
    change = monthly["cash_end"].diff().fillna(monthly["cash_end"])
    assert np.allclose(cash.loc[months, "现金及现金等价物净增加额"], change, atol=tolerance)
    assert np.allclose(
        cash["经营活动产生的现金流量净额"],
        cash["补充资料：经营活动产生的现金流量净额"],
        atol=tolerance,
    )
    years = cash["period"] == "year"
    year_end_cash = sheet.loc[sheet["period"] == "year", "货币资金"].to_numpy()
    assert np.allclose(
        np.cumsum(cash.loc[years, "现金及现金等价物净增加额"]), year_end_cash, atol=tolerance
    )
    assert monthly["cash_end"].min() >= -1e-6
