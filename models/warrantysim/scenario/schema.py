"""The scenario: a typed, validated description of one policy world.

The schema here is the contract of ``scenarios/README.md``: every field, its unit and its default.
Loading a YAML file (``extends:``, ``--set`` overrides, error messages that name the file and the
path) lives in :mod:`warrantysim.scenario`.

Units are in the field names: ``*_days`` are days, ``*_months`` months, money is CNY, ``*_share``
and ``*_rate`` are fractions (0.25 = 25 %).
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

DAYS_PER_MONTH = 365.25 / 12
"""D in docs/design.md: month m (1-based) covers days [(m-1)·D, m·D)."""

Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]

# Plausible bounds (scenarios/README.md, "Limits"): far beyond any real product, well inside
# what float64 sums and int64 counts hold, so no input can overflow to inf or wrap around.
MAX_AMOUNT_CNY = 1e9
"""A price, cost or penalty per unit, repair or day."""
MAX_TOTAL_CNY = 1e15
"""An annual or absolute total (a book-value cap, a year's cost of sales)."""
MAX_COUNT = 10_000_000
"""Units a month, stock levels: counts well inside int64 after any sum over a run."""
MAX_MONTHS = 1200
MAX_DAYS = 3650.0
MAX_RATE = 100.0
"""Growth, markup, uplift, discount rate: 100 = 10,000 %."""
MAX_INT64 = 2**63 - 1

Amount = Annotated[float, Field(ge=0.0, le=MAX_AMOUNT_CNY)]
PositiveAmount = Annotated[float, Field(ge=0.01, le=MAX_AMOUNT_CNY)]
"""At least one fen: a price divides demand (price / reference price)."""
Total = Annotated[float, Field(ge=0.0, le=MAX_TOTAL_CNY)]
Days = Annotated[float, Field(ge=0.0, le=MAX_DAYS)]
BoundedDays = Annotated[float, Field(gt=0.0, le=MAX_DAYS)]
Months = Annotated[int, Field(ge=1, le=MAX_MONTHS)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Name = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]*$", max_length=64)]


class FieldError(ValueError):
    """A model check that failed at a field below the model, so messages can name that field."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )


class Engine(StrEnum):
    """How the service (stock, repairs) is simulated."""

    AUTO = "auto"
    """``fast`` where it is exact, else ``simpy``."""
    SIMPY = "simpy"
    """Every claim lives in a SimPy model: stores, technicians, replenishment processes."""
    FAST = "fast"
    """Window arithmetic: fixed lead times, unlimited repair capacity, no no-fault-found."""


class Simulation(_Model):
    horizon_months: Months | None = None
    """Months simulated; ``None`` = sales_months + warranty_months."""
    replications: Annotated[int, Field(ge=1, le=1_000_000)] = 20
    seed: Annotated[int, Field(ge=0, le=MAX_INT64)] = 2026
    engine: Engine = Engine.AUTO
    end_of_life: bool = True
    """Whether the horizon ends the business: leftover stock scrapped, every account closed;
    ``false``: a continuing business, whose stock, provision and receivables carry on."""
    parameter_uncertainty: bool = False
    """Each replication draws the parts' life parameters from their ``life_uncertainty``."""


class FixedDays(_Model):
    """Always ``mean`` days."""

    dist: Literal["fixed"]
    mean: Days

    @property
    def mean_days(self) -> float:
        return self.mean


class ExponentialDays(_Model):
    """Exponential with mean ``mean`` days (cv 1)."""

    dist: Literal["exponential"]
    mean: BoundedDays

    @property
    def mean_days(self) -> float:
        return self.mean


class GammaDays(_Model):
    """Gamma with mean ``mean`` days and coefficient of variation ``cv``: shape 1/cv²."""

    dist: Literal["gamma"]
    mean: BoundedDays
    cv: Annotated[float, Field(gt=0.0, le=MAX_RATE)]

    @property
    def mean_days(self) -> float:
        return self.mean


class LognormalDays(_Model):
    """Lognormal with mean ``mean`` days and coefficient of variation ``cv``."""

    dist: Literal["lognormal"]
    mean: BoundedDays
    cv: Annotated[float, Field(gt=0.0, le=MAX_RATE)]

    @property
    def mean_days(self) -> float:
        return self.mean


class UniformDays(_Model):
    """Uniform on [``low``, ``high``] days."""

    dist: Literal["uniform"]
    low: Days
    high: BoundedDays

    @model_validator(mode="after")
    def _high_above_low(self) -> UniformDays:
        if self.high <= self.low:
            raise FieldError(("high",), f"expected more than low ({self.low}), got {self.high}")
        return self

    @property
    def mean_days(self) -> float:
        return (self.low + self.high) / 2.0


Duration = Annotated[
    FixedDays | ExponentialDays | GammaDays | LognormalDays | UniformDays,
    Field(discriminator="dist"),
]
"""A random time in days; a plain number in the YAML is a fixed time."""


def _number_or_dist(value: object) -> str:
    return "dist" if isinstance(value, dict | BaseModel) else "number"


# A number or a distribution, chosen by the value's shape, so a bad mapping is reported against
# the distributions alone (not also as "expected a number").
PositiveDays = Annotated[
    Annotated[BoundedDays, Tag("number")] | Annotated[Duration, Tag("dist")],
    Discriminator(_number_or_dist),
]
NonNegativeDays = Annotated[
    Annotated[Days, Tag("number")] | Annotated[Duration, Tag("dist")],
    Discriminator(_number_or_dist),
]


def mean_days(time: float | Duration) -> float:
    """The mean of a time given as a number (fixed) or a distribution."""
    return float(time) if isinstance(time, int | float) else time.mean_days


def is_fixed(time: float | Duration) -> bool:
    return isinstance(time, int | float | FixedDays)


class DemandNoise(StrEnum):
    POISSON = "poisson"
    NONE = "none"


class Product(_Model):
    sales_months: Months
    units_per_month: Annotated[float, Field(gt=0.0, le=MAX_COUNT)]
    growth_per_year: Annotated[float, Field(gt=-1.0, le=MAX_RATE)] = 0.0
    seasonality: Annotated[
        list[Annotated[float, Field(gt=0.0, le=100.0)]], Field(min_length=12, max_length=12)
    ] = Field(default_factory=lambda: [1.0] * 12)
    demand_noise: DemandNoise = DemandNoise.POISSON
    unit_cost: Amount
    warranty_months: Annotated[float, Field(gt=0.0, le=MAX_MONTHS)]
    history_months: Annotated[int, Field(ge=0, le=MAX_MONTHS)] = 0
    """Months sold before month 1 at the plan's rate, whose claims still arrive in the horizon."""


class PricingPolicy(StrEnum):
    FIXED = "fixed"
    COST_PLUS = "cost_plus"


class Pricing(_Model):
    policy: PricingPolicy = PricingPolicy.FIXED
    price: PositiveAmount
    markup: Annotated[float, Field(gt=-1.0, le=MAX_RATE)] = 0.25
    include_warranty_cost: bool = False
    reference_price: PositiveAmount
    demand_elasticity: Annotated[float, Field(ge=0.0, le=20.0)] = 0.0
    price_includes_vat: bool = False
    """Whether ``price`` and ``reference_price`` include VAT (含税价); the books are net of it."""


class SalesTerms(_Model):
    receivable_days: Days = 60.0
    bad_debt_rate: Share = 0.0


class RepairCentre(_Model):
    """Technicians who repair claims one at a time, first come, first served."""

    technicians: Annotated[int, Field(ge=1, le=100_000)]
    repair_days: NonNegativeDays
    """A technician's time per claim (fault found or not)."""


class Service(_Model):
    repair_days: Days = 2.0
    """Without a repair centre: every repair takes this long, with unlimited capacity."""
    repair_centre: RepairCentre | None = None
    no_fault_found_share: Annotated[float, Field(ge=0.0, lt=1.0)] = 0.0
    """Claims diagnosed with no fault: a technician's time and logistics, no part."""
    labour_cost_per_repair: Amount = 0.0
    logistics_cost_per_repair: Amount = 0.0
    target_days: Days = 5.0
    late_penalty_per_day: Amount = 0.0


class Weibull(_Model):
    """Weibull(β = shape, η = scale_months): F(t) = 1 − exp(−(t/η)^β); shape 1 is exponential."""

    shape: Annotated[float, Field(ge=0.05, le=50.0)]
    """Below 0.05 the mean life overflows (Γ(1 + 1/shape)); above 50 it is a fixed life."""
    scale_months: Annotated[float, Field(gt=0.0, le=1e6)]

    @property
    def mean_months(self) -> float:
        """E[T] = η Γ(1 + 1/β)."""
        return self.scale_months * math.gamma(1.0 + 1.0 / self.shape)


class EarlyDefects(Weibull):
    """A sub-population (``share`` of positions) whose first life is Weibull(shape, scale)."""

    share: Share = 0.0


class UncertainParameter(StrEnum):
    """A life parameter a fit estimates; drawn on its free scale (logit for the share, else log)."""

    LIFE_SHAPE = "life.shape"
    LIFE_SCALE_MONTHS = "life.scale_months"
    EARLY_SHARE = "early_defects.share"
    EARLY_SHAPE = "early_defects.shape"
    EARLY_SCALE_MONTHS = "early_defects.scale_months"


class LifeUncertainty(_Model):
    """The fit's sampling distribution: u ~ N(û, Σ), u = ln θ (logit θ for the share), û = the
    part's own values (so a ``--set`` of the life moves the centre with it)."""

    parameters: Annotated[tuple[UncertainParameter, ...], Field(min_length=1)]
    covariance: tuple[tuple[float, ...], ...]
    # tuples, not lists: a Part is hashed (renewal-theory caches), so its fields must be
    """Σ on the free scale, a row per parameter in ``parameters``' order."""

    @model_validator(mode="after")
    def _positive_semidefinite(self) -> LifeUncertainty:
        k = len(self.parameters)
        if len(set(self.parameters)) != k:
            raise FieldError(("parameters",), "expected each parameter once")
        if len(self.covariance) != k or any(len(row) != k for row in self.covariance):
            raise FieldError(("covariance",), f"expected a {k} x {k} matrix (one row and column "
                             "per parameter)")  # fmt: skip
        _check_covariance(self.covariance)
        return self


def _check_covariance(rows: tuple[tuple[float, ...], ...]) -> None:
    """Symmetric to 1e-9 of its largest entry; eigenvalues >= −1e-9 of the largest (rounding)."""
    import numpy as np  # scenario loading stays light; numpy is there anyway with the model

    matrix = np.array(rows, dtype=np.float64)
    tolerance = 1e-9 * max(float(np.abs(matrix).max()), 1e-300)
    if np.abs(matrix - matrix.T).max() > tolerance:
        raise FieldError(("covariance",), "expected a symmetric matrix, got one that is not")
    smallest = float(np.linalg.eigvalsh(matrix).min())
    if smallest < -tolerance:
        raise FieldError(("covariance",), "expected a positive semi-definite matrix, got one "
                         f"with eigenvalue {smallest:.3g}")  # fmt: skip


class BaseStock(_Model):
    """One-for-one continuous review: every claim orders a replacement unless stock is above S."""

    policy: Literal["base_stock"]
    level: Count | Literal["auto"] = "auto"
    target_fill_rate: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.95
    level_multiplier: Annotated[float, Field(ge=0.0, le=MAX_RATE)] = 1.0
    """Every month's S (fixed or auto) × this, rounded: a what-if on stocking depth."""


class MinMax(_Model):
    """Periodic review (R, s, S): every ``review_days``, if position <= min, order up to max."""

    policy: Literal["min_max"]
    min: Annotated[int, Field(ge=-1, le=MAX_COUNT)]
    max: Annotated[int, Field(ge=1, le=MAX_COUNT)]
    review_days: BoundedDays = 7.0

    @model_validator(mode="after")
    def _max_above_min(self) -> MinMax:
        if self.max <= self.min:
            raise FieldError(("max",), f"expected more than min ({self.min}), got {self.max}")
        return self


Stocking = Annotated[BaseStock | MinMax, Field(discriminator="policy")]


class LastBuy(_Model):
    """From the start of ``month`` regular orders stop; one final order covers the expected rest."""

    month: Months
    service_level: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.95
    emergency_premium: Annotated[float, Field(ge=0.0, le=MAX_RATE)] = 0.5
    """Extra share of unit cost paid for an emergency order when the last buy runs short."""


class Refurbish(_Model):
    yield_: Share = Field(alias="yield")
    cost: Amount = 0.0
    days: BoundedDays = 14.0


class Part(_Model):
    name: Name
    qty_per_unit: Annotated[int, Field(ge=1, le=1000)] = 1
    unit_cost: Amount
    life: Weibull
    early_defects: EarlyDefects | None = None
    life_uncertainty: LifeUncertainty | None = None
    supplier: Name | None = None
    supplier_fault_share: Share = 0.0
    lead_time_days: PositiveDays
    stocking: Stocking
    last_buy: LastBuy | None = None
    refurbish: Refurbish | None = None
    scrap_value_share: Share = 0.0

    @model_validator(mode="after")
    def _lead_time_positive(self) -> Part:
        if isinstance(self.lead_time_days, FixedDays) and self.lead_time_days.mean <= 0:
            raise FieldError(
                ("lead_time_days",), f"expected a mean above 0, got {self.lead_time_days.mean}"
            )
        return self

    @property
    def mean_lead_time_days(self) -> float:
        return mean_days(self.lead_time_days)

    @model_validator(mode="after")
    def _uncertain_early_defects_exist(self) -> Part:
        uncertain = self.life_uncertainty.parameters if self.life_uncertainty else []
        if self.early_defects is None and any(p.startswith("early_defects") for p in uncertain):
            raise FieldError(("life_uncertainty", "parameters"), "expected no early_defects "
                             "parameters, since the part has no early_defects")  # fmt: skip
        return self


class Supplier(_Model):
    chargeback_share: Share = 0.0
    recovery_rate: Share = 1.0
    payment_days: Days = 90.0
    """Payment terms both ways: we pay its spares and components, it pays accepted chargebacks."""
    price_uplift: Annotated[float, Field(ge=0.0, le=MAX_RATE)] = 0.0
    netting: bool = False
    """Accepted chargebacks are set off against what we owe this supplier (抵扣应付账款)."""
    acceptance_days: Days = 30.0
    """The supplier accepts or rejects a chargeback this long after the claim is served."""


class Quality(_Model):
    screening_coverage: Share = 0.0
    """Share of early-defect positions found and replaced by screening before shipment."""
    screening_cost_per_unit: Amount = 0.0
    reliability_growth_per_year: Annotated[float, Field(ge=0.0, le=MAX_RATE)] = 0.0
    """Later cohorts live longer: scale × (1 + g)^(years since the first sales month)."""


class SparesTreatment(StrEnum):
    CAPITALISE = "capitalise"
    EXPENSE_ON_PURCHASE = "expense_on_purchase"
    ACCRUE_PER_UNIT = "accrue_per_unit"


def _ledger_lines(names: list[str]) -> list[str]:
    """Each name must be an expense line of the chart of accounts (``accounting/chart.py``)."""
    # Imported here, not at the top: the accounting package imports this module, and the chart
    # is the one place that spells the ledger's lines.
    from warrantysim.accounting.chart import LedgerLine

    known = [line.value for line in LedgerLine]
    for i, name in enumerate(names):
        if name not in known:
            raise FieldError((i,), f"expected one of {', '.join(known)}, got {name!r}")
    return names


LedgerLineName = Annotated[str, Field(pattern=r"^[a-z_]+$")]


class BookValueCap(_Model):
    """The year-end cap's control points; the lowest configured one applies (accounting/cap.py)."""

    absolute: Total | None = None
    share_of_trailing_cost_of_sales: Share | None = None
    """Share of the cost of sales of the ``trailing_months`` before the fiscal year being closed."""
    trailing_months: Months = 36
    prior_annual_cost_of_sales: Total = 0.0
    """Cost of sales of each year before the simulation starts (for the trailing window)."""
    planned_annual_cost_of_sales: Total | Literal["auto"] = "auto"
    """This year's plan; ``auto``: the planned units × (product cost + expected warranty cost)."""
    share_of_planned_cost_of_sales: Share | None = None
    target_inventory_turns: Annotated[float, Field(gt=0.0, le=MAX_RATE)] | None = None
    """The cap is at most the planned annual cost of sales / these turns."""
    tranches: Annotated[int, Field(ge=1, le=100)] = 1
    """An excess found at a year end is written off in this many equal parts, one a year end."""

    @model_validator(mode="before")
    @classmethod
    def _tranche_share_moved(cls, data: object) -> object:
        # tranche_share wrote a fraction of the excess off each year, so it never finished
        if isinstance(data, dict) and "tranche_share" in data:
            raise FieldError(
                ("tranche_share",),
                "replaced by tranches: N (each excess written off in N equal parts)",
            )
        return data


class Accounting(_Model):
    spares_treatment: SparesTreatment = SparesTreatment.CAPITALISE
    accrual_per_unit: Amount | Literal["auto"] = "auto"
    age_writedown_months: Months | None = None
    book_value_cap: BookValueCap = Field(default_factory=BookValueCap)
    writedown_reversal: bool = True
    """Reverse cap write-downs a higher cap no longer requires (CAS 1 / IAS 2); false: ASC 330."""
    fiscal_year_end_month: Annotated[int, Field(ge=1, le=12)] = 12
    discount_rate: Annotated[float, Field(gt=-1.0, le=MAX_RATE)] = 0.08
    performance_profit_excludes: Annotated[list[LedgerLineName], AfterValidator(_ledger_lines)] = (
        Field(default_factory=lambda: ["age_writedown", "bad_debt"])
    )
    """Lines appraisal profit (考核利润) adds back; the cap write-down counts against it."""


class Tax(_Model):
    """China corporate income tax (``accounting/tax.py``)."""

    rate: Share = 0.25
    """25 %; 15 % for a high-tech enterprise (高新技术企业)."""
    loss_carry_forward_years: Annotated[int, Field(ge=1, le=20)] = 5
    """5 years; 10 for a high-tech enterprise."""
    deferred_tax_forecast_years: Annotated[int, Field(ge=0, le=20)] = 5
    """Years of the run's own future profit that make a deferred tax asset probable."""
    vat_rate: Share = 0.13
    """增值税 on sales and on purchases of spares and product components (``accounting/vat.py``)."""
    surcharge_rate: Share = 0.12
    """税金及附加 as a share of the VAT paid (城建税 7 %, 教育费附加 3 %, 地方教育附加 2 %)."""


class Expenses(_Model):
    """销售费用 and 管理费用: period costs outside the warranty, none unless stated."""

    selling_expense_per_unit: Amount = 0.0
    """CNY per unit sold (channel, marketing), paid when the unit is sold."""
    administrative_expense_per_month: Amount = 0.0
    """CNY a month over the whole horizon (the office behind the product line), paid then."""


class Financing(_Model):
    """A revolving credit line (短期借款) drawn when cash would go negative, repaid from surplus."""

    credit_line: Total | None = None
    """Limit of the line in CNY; ``null``: no line (cash may go negative)."""
    interest_rate: Share = 0.0
    """Annual rate on the amount drawn, charged monthly (rate / 12) and paid in cash."""


class Scenario(_Model):
    name: Name
    description: str = ""
    simulation: Simulation = Field(default_factory=Simulation)
    product: Product
    pricing: Pricing
    sales_terms: SalesTerms = Field(default_factory=SalesTerms)
    service: Service = Field(default_factory=Service)
    parts: Annotated[list[Part], Field(min_length=1)]
    suppliers: dict[Name, Supplier] = Field(default_factory=dict)
    quality: Quality = Field(default_factory=Quality)
    accounting: Accounting = Field(default_factory=Accounting)
    financing: Financing = Field(default_factory=Financing)
    tax: Tax = Field(default_factory=Tax)
    expenses: Expenses = Field(default_factory=Expenses)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        names = [p.name for p in self.parts]
        for i, name in enumerate(names):
            if name in names[:i]:
                raise FieldError(("parts", i, "name"), f"part name {name!r} is used twice")
        for i, part in enumerate(self.parts):
            if part.supplier is not None and part.supplier not in self.suppliers:
                known = ", ".join(sorted(self.suppliers)) or "none defined"
                raise FieldError(
                    ("parts", i, "supplier"),
                    f"expected a supplier listed under suppliers ({known}), got {part.supplier!r}",
                )
        return self

    @model_validator(mode="after")
    def _engine_serves(self) -> Scenario:
        blocker = fast_path_blocker(self)
        if self.simulation.engine is Engine.FAST and blocker is not None:
            raise FieldError(
                ("simulation", "engine"), f"the fast path cannot serve this scenario: {blocker}"
            )
        return self

    @property
    def horizon_months(self) -> int:
        if self.simulation.horizon_months is not None:
            return self.simulation.horizon_months
        return self.product.sales_months + math.ceil(self.product.warranty_months)

    @property
    def horizon_days(self) -> float:
        return self.horizon_months * DAYS_PER_MONTH

    @property
    def ends_at_horizon(self) -> bool:
        """``simulation.end_of_life``: the horizon is the end of the business."""
        return self.simulation.end_of_life

    def part(self, name: str) -> Part:
        for part in self.parts:
            if part.name == name:
                return part
        raise KeyError(name)


def fast_path_blocker(scenario: Scenario) -> str | None:
    """Why the fast path (sim/stock.py) cannot serve ``scenario`` exactly, or None if it can:
    it needs fixed lead times, unlimited repair capacity and every claim taking a part."""
    if scenario.service.repair_centre is not None:
        return "service.repair_centre is set (limited repair capacity)"
    if scenario.service.no_fault_found_share > 0:
        return "service.no_fault_found_share is above 0"
    for part in scenario.parts:
        if not is_fixed(part.lead_time_days):
            return f"parts.{part.name}.lead_time_days is random"
    return None
