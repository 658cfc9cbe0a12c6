"""Scenarios: the schema, YAML files with ``extends:``, dotted paths and overrides, errors.

- :mod:`.schema`: the typed, validated description of one policy world (every field, its unit
  and default: the contract of ``scenarios/README.md``);
- :mod:`.files`: reading a file's ``extends:`` chain and ``--set`` overrides into a Scenario;
- :mod:`.paths` and :mod:`.overrides`: the one engine for dotted paths (``parts.ssd.life.shape``);
- :mod:`.errors`: one line per problem, naming the file, the path and what was expected.
"""

from __future__ import annotations

from warrantysim.scenario.errors import ScenarioError
from warrantysim.scenario.files import dump_scenario, load_scenario, resolve, scenario_hash
from warrantysim.scenario.overrides import (
    Overrides,
    apply_overrides,
    get_path,
    override_items,
    parse_overrides,
    to_raw,
)
from warrantysim.scenario.schema import (
    DAYS_PER_MONTH,
    Accounting,
    BaseStock,
    BookValueCap,
    DemandNoise,
    EarlyDefects,
    FieldError,
    LastBuy,
    MinMax,
    Name,
    NonNegative,
    Part,
    Positive,
    Pricing,
    PricingPolicy,
    Product,
    Quality,
    Refurbish,
    SalesTerms,
    Scenario,
    Service,
    Share,
    Simulation,
    SparesTreatment,
    Stocking,
    Supplier,
    Weibull,
)

__all__ = [
    "DAYS_PER_MONTH",
    "Accounting",
    "BaseStock",
    "BookValueCap",
    "DemandNoise",
    "EarlyDefects",
    "FieldError",
    "LastBuy",
    "MinMax",
    "Name",
    "NonNegative",
    "Overrides",
    "Part",
    "Positive",
    "Pricing",
    "PricingPolicy",
    "Product",
    "Quality",
    "Refurbish",
    "SalesTerms",
    "Scenario",
    "ScenarioError",
    "Service",
    "Share",
    "Simulation",
    "SparesTreatment",
    "Stocking",
    "Supplier",
    "Weibull",
    "apply_overrides",
    "dump_scenario",
    "get_path",
    "load_scenario",
    "override_items",
    "parse_overrides",
    "resolve",
    "scenario_hash",
    "to_raw",
]
