"""The chart of accounts: the balance-sheet accounts and the P&L lines of the warranty ledger.

Postings are debit-positive: an asset or an expense grows with a positive amount, a liability, an
income or a contra-asset (accumulated write-downs) with a negative one. Retained earnings are not
posted to: they are the running sum of the P&L accounts (the ledger is never closed), which keeps
each month's P&L readable straight from the postings.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Account(IntEnum):
    # balance sheet
    CASH = 0
    TRADE_RECEIVABLES = 1
    CHARGEBACK_RECEIVABLE = 2
    SPARES_INVENTORY = 3
    """Spare parts at cost (FIFO purchase and refurbishment layers)."""
    SPARES_WRITEDOWNS = 4
    """Contra-asset: accumulated age, cap write-downs on the spares still held."""
    WARRANTY_PROVISION = 5
    # P&L
    REVENUE = 6
    PRODUCT_COST = 7
    SPARE_PARTS_COST = 8
    LABOUR_LOGISTICS = 9
    WARRANTY_ACCRUAL = 10
    PROVISION_RELEASE = 11
    LATE_PENALTIES = 12
    SCREENING_COST = 13
    AGE_WRITEDOWN = 14
    CAP_WRITEDOWN = 15
    END_OF_LIFE_WRITEOFF = 16
    SALVAGE_INCOME = 17
    CHARGEBACK_INCOME = 18
    CHARGEBACK_UNRECOVERED = 19
    BAD_DEBT = 20
    # issue 11 (new accounts go at the end, so the numbering of the others never moves)
    ACCOUNTS_PAYABLE = 21
    """What we owe suppliers for spares and product components (应付账款)."""
    SHORT_TERM_BORROWING = 22
    """The credit line drawn (短期借款)."""
    INTEREST_EXPENSE = 23
    """Interest on the credit line (财务费用)."""
    BAD_DEBT_ALLOWANCE = 24
    """Contra-asset: expected credit loss on the trade receivables still open (坏账准备)."""
    DEFERRED_TAX_ASSET = 25
    """递延所得税资产, as far as recognised (``accounting/tax.py``)."""
    INCOME_TAX_PAYABLE = 26
    """Corporate income tax owed (应交税费—应交所得税); negative when prepaid beyond it."""
    INCOME_TAX_CURRENT = 27
    INCOME_TAX_DEFERRED = 28
    # issue 10
    CAP_WRITEDOWN_REVERSAL = 29
    """存货跌价准备转回: cap write-downs a higher cap no longer requires (CAS 1 para 19)."""
    # issue 11: VAT and the period costs
    VAT_PAYABLE = 30
    """应交税费—应交增值税: output less input VAT, paid the month after; negative: a credit
    carried forward (留抵, shown under 其他流动资产)."""
    SURCHARGES_PAYABLE = 31
    """应交税费—城建税及教育费附加, paid with the VAT."""
    TAXES_AND_SURCHARGES = 32
    """税金及附加: the surcharges on the VAT paid (``accounting/vat.py``)."""
    SELLING_EXPENSES = 33
    """销售费用 (``expenses.selling_expense_per_unit``)."""
    ADMINISTRATIVE_EXPENSES = 34
    """管理费用 (``expenses.administrative_expense_per_month``)."""

    @property
    def column(self) -> str:
        """The statement column of a P&L account (``LedgerLine`` values use the same names)."""
        return self.name.lower()


BALANCE_SHEET = (
    Account.CASH,
    Account.TRADE_RECEIVABLES,
    Account.CHARGEBACK_RECEIVABLE,
    Account.SPARES_INVENTORY,
    Account.SPARES_WRITEDOWNS,
    Account.WARRANTY_PROVISION,
    Account.ACCOUNTS_PAYABLE,
    Account.SHORT_TERM_BORROWING,
    Account.BAD_DEBT_ALLOWANCE,
    Account.DEFERRED_TAX_ASSET,
    Account.INCOME_TAX_PAYABLE,
    Account.VAT_PAYABLE,
    Account.SURCHARGES_PAYABLE,
)
INCOME = (
    Account.REVENUE,
    Account.PROVISION_RELEASE,
    Account.SALVAGE_INCOME,
    Account.CHARGEBACK_INCOME,
    Account.CAP_WRITEDOWN_REVERSAL,
)
EXPENSES = (
    Account.PRODUCT_COST,
    Account.SPARE_PARTS_COST,
    Account.LABOUR_LOGISTICS,
    Account.WARRANTY_ACCRUAL,
    Account.LATE_PENALTIES,
    Account.SCREENING_COST,
    Account.AGE_WRITEDOWN,
    Account.CAP_WRITEDOWN,
    Account.END_OF_LIFE_WRITEOFF,
    Account.CHARGEBACK_UNRECOVERED,
    Account.BAD_DEBT,
    Account.INTEREST_EXPENSE,
    Account.TAXES_AND_SURCHARGES,
    Account.SELLING_EXPENSES,
    Account.ADMINISTRATIVE_EXPENSES,
)
TAXES = (Account.INCOME_TAX_CURRENT, Account.INCOME_TAX_DEFERRED)
"""所得税费用, current and deferred: below profit before tax, not a line appraisal may exclude."""
PNL = tuple(a for a in Account if a in INCOME or a in EXPENSES or a in TAXES)
"""Every P&L line, in the order of the chart (the order the statements show them in)."""
PNL_COLUMNS = tuple(a.column for a in PNL)
WRITEDOWNS = (Account.AGE_WRITEDOWN, Account.CAP_WRITEDOWN, Account.END_OF_LIFE_WRITEOFF)
WRITEDOWN_COLUMNS = tuple(a.column for a in WRITEDOWNS)

LedgerLine = StrEnum("LedgerLine", {a.name: a.column for a in EXPENSES})  # type: ignore[misc]
"""The expense lines ``accounting.performance_profit_excludes`` may add back, by column name
(generated from the chart, so a new expense account can be named there without another list)."""

COST_OF_SALES = (
    Account.PRODUCT_COST,
    Account.SPARE_PARTS_COST,
    Account.LABOUR_LOGISTICS,
    Account.WARRANTY_ACCRUAL,
)
"""What the brief calls cost of sales (销售成本): the product plus the warranty cost as the
treatment recognises it (spares consumed or bought, labour and logistics, or the accrual).
Write-downs are kept out so that the cap, which is a share of it, does not feed on itself."""
