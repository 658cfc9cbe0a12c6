"""The scenario: a typed, validated description of one policy world.

The schema here is the contract of ``scenarios/README.md``: every field, its unit and its default.
Loading a YAML file (``extends:``, ``--set`` overrides, error messages that name the file and the
path) lives in :mod:`warrantysim.scenario_files`.

Units are in the field names: ``*_days`` are days, ``*_months`` months, money is CNY, ``*_share``
and ``*_rate`` are fractions (0.25 = 25 %).
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

DAYS_PER_MONTH = 365.25 / 12
"""D in DESIGN.md: month m (1-based) covers days [(m-1)·D, m·D)."""

Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]
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


class Simulation(_Model):
    horizon_months: Annotated[int, Field(ge=1)] | None = None
    """Months simulated; ``None`` = sales_months + warranty_months."""
    replications: Annotated[int, Field(ge=1)] = 20
    seed: Annotated[int, Field(ge=0)] = 2026
    parameter_uncertainty: bool = False
    """Each replication draws the parts' life parameters from their ``life_uncertainty``."""


class DemandNoise(StrEnum):
    POISSON = "poisson"
    NONE = "none"


class Product(_Model):
    sales_months: Annotated[int, Field(ge=1)]
    units_per_month: Positive
    growth_per_year: Annotated[float, Field(gt=-1.0)] = 0.0
    seasonality: Annotated[list[Positive], Field(min_length=12, max_length=12)] = Field(
        default_factory=lambda: [1.0] * 12
    )
    demand_noise: DemandNoise = DemandNoise.POISSON
    unit_cost: NonNegative
    warranty_months: Positive


class PricingPolicy(StrEnum):
    FIXED = "fixed"
    COST_PLUS = "cost_plus"


class Pricing(_Model):
    policy: PricingPolicy = PricingPolicy.FIXED
    price: Positive
    markup: Annotated[float, Field(gt=-1.0)] = 0.25
    include_warranty_cost: bool = False
    reference_price: Positive
    demand_elasticity: NonNegative = 0.0


class SalesTerms(_Model):
    receivable_days: NonNegative = 60.0
    bad_debt_rate: Share = 0.0


class Service(_Model):
    repair_days: NonNegative = 2.0
    labour_cost_per_repair: NonNegative = 0.0
    logistics_cost_per_repair: NonNegative = 0.0
    target_days: NonNegative = 5.0
    late_penalty_per_day: NonNegative = 0.0


class Weibull(_Model):
    """Weibull(β = shape, η = scale_months): F(t) = 1 − exp(−(t/η)^β); shape 1 is exponential."""

    shape: Positive
    scale_months: Positive

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
    level: Annotated[int, Field(ge=0)] | Literal["auto"] = "auto"
    target_fill_rate: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.95
    level_multiplier: Annotated[float, Field(ge=0.0)] = 1.0
    """Every month's S (fixed or auto) × this, rounded: a what-if on stocking depth."""


class MinMax(_Model):
    """Periodic review (R, s, S): every ``review_days``, if position <= min, order up to max."""

    policy: Literal["min_max"]
    min: Annotated[int, Field(ge=-1)]
    max: Annotated[int, Field(ge=1)]
    review_days: Positive = 7.0

    @model_validator(mode="after")
    def _max_above_min(self) -> MinMax:
        if self.max <= self.min:
            raise FieldError(("max",), f"expected more than min ({self.min}), got {self.max}")
        return self


Stocking = Annotated[BaseStock | MinMax, Field(discriminator="policy")]


class LastBuy(_Model):
    """From the start of ``month`` regular orders stop; one final order covers the expected rest."""

    month: Annotated[int, Field(ge=1)]
    service_level: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.95
    emergency_premium: NonNegative = 0.5
    """Extra share of unit cost paid for an emergency order when the last buy runs short."""


class Refurbish(_Model):
    yield_: Share = Field(alias="yield")
    cost: NonNegative = 0.0
    days: Positive = 14.0


class Part(_Model):
    name: Name
    qty_per_unit: Annotated[int, Field(ge=1)] = 1
    unit_cost: NonNegative
    life: Weibull
    early_defects: EarlyDefects | None = None
    life_uncertainty: LifeUncertainty | None = None
    supplier: Name | None = None
    supplier_fault_share: Share = 0.0
    lead_time_days: Positive
    stocking: Stocking
    last_buy: LastBuy | None = None
    refurbish: Refurbish | None = None
    scrap_value_share: Share = 0.0

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
    payment_days: NonNegative = 90.0
    price_uplift: Annotated[float, Field(ge=0.0)] = 0.0


class Quality(_Model):
    screening_coverage: Share = 0.0
    """Share of early-defect positions found and replaced by screening before shipment."""
    screening_cost_per_unit: NonNegative = 0.0
    reliability_growth_per_year: Annotated[float, Field(ge=0.0)] = 0.0
    """Later cohorts live longer: scale × (1 + g)^(years since the first sales month)."""


class SparesTreatment(StrEnum):
    CAPITALISE = "capitalise"
    EXPENSE_ON_PURCHASE = "expense_on_purchase"
    ACCRUE_PER_UNIT = "accrue_per_unit"


class LedgerLine(StrEnum):
    """P&L lines that ``performance_profit_excludes`` may add back."""

    AGE_WRITEDOWN = "age_writedown"
    CAP_WRITEDOWN = "cap_writedown"
    END_OF_LIFE_WRITEOFF = "end_of_life_writeoff"
    BAD_DEBT = "bad_debt"
    LATE_PENALTIES = "late_penalties"
    SCREENING_COST = "screening_cost"


class BookValueCap(_Model):
    absolute: NonNegative | None = None
    share_of_trailing_cost_of_sales: Share | None = None
    trailing_months: Annotated[int, Field(ge=1)] = 36
    prior_annual_cost_of_sales: NonNegative = 0.0
    """Cost of sales of each year before the simulation starts (for the trailing window)."""
    tranche_share: Annotated[float, Field(gt=0.0, le=1.0)] = 1.0


class Accounting(_Model):
    spares_treatment: SparesTreatment = SparesTreatment.CAPITALISE
    accrual_per_unit: NonNegative | Literal["auto"] = "auto"
    age_writedown_months: Annotated[int, Field(ge=1)] | None = None
    book_value_cap: BookValueCap = Field(default_factory=BookValueCap)
    fiscal_year_end_month: Annotated[int, Field(ge=1, le=12)] = 12
    discount_rate: Annotated[float, Field(gt=-1.0)] = 0.08
    performance_profit_excludes: list[LedgerLine] = Field(
        default_factory=lambda: [
            LedgerLine.AGE_WRITEDOWN,
            LedgerLine.CAP_WRITEDOWN,
            LedgerLine.END_OF_LIFE_WRITEOFF,
            LedgerLine.BAD_DEBT,
        ]
    )


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

    @property
    def horizon_months(self) -> int:
        if self.simulation.horizon_months is not None:
            return self.simulation.horizon_months
        return self.product.sales_months + math.ceil(self.product.warranty_months)

    @property
    def horizon_days(self) -> float:
        return self.horizon_months * DAYS_PER_MONTH

    def part(self, name: str) -> Part:
        for part in self.parts:
            if part.name == name:
                return part
        raise KeyError(name)
