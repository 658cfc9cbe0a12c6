"""Every file in scenarios/ loads, runs on a short horizon, and says what its policy says.

The baseline's calibration is held to the figures in scenarios/README.md: 8-12 part types,
about 450,000 units, expected warranty cost 2-3.5 % of revenue (the range computer makers
publish), infant-mortality shapes below 1 for electronics and wear-out above 1 for the
mechanical and chemical parts.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest
import yaml
from pydantic import BaseModel

from warrantysim.accounting.pricing import expected_warranty_cost_per_unit, unit_price
from warrantysim.api import simulate
from warrantysim.scenario import PricingPolicy, Scenario, SparesTreatment, load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
FILES = sorted(SCENARIOS.glob("*.yaml"))
POLICIES = [f for f in FILES if f.stem != "baseline"]
SHORT = ("simulation.horizon_months=6", "product.units_per_month=500")
ACCOUNTING_ONLY = (
    "status-quo",
    "absorb-cost",
    "expense-on-purchase",
    "age-writedown-cap",
    "cap-share",
)
"""Policies that change only the books: same physics, so the same claims on the same days."""


def _load(stem: str, *overrides: str) -> Scenario:
    return load_scenario(SCENARIOS / f"{stem}.yaml", list(overrides))


def test_the_brief_s_policies_are_all_shipped() -> None:
    expected = {
        "baseline",
        "status-quo",
        "absorb-cost",
        "absorb-cost-plus",
        "expense-on-purchase",
        "age-writedown-cap",
        "cap-share",
        "supplier-chargeback",
        "salvage-refurbish",
        "quality-programme",
        "legacy-warehouse",
        "legacy-cap",
        "legacy-cap-share",
    }
    assert expected <= {f.stem for f in FILES}


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_every_file_loads_with_its_file_name_and_a_description(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.name == path.stem
    assert len(scenario.description) > 20


@pytest.mark.parametrize("path", POLICIES, ids=[f.stem for f in POLICIES])
def test_every_policy_extends_the_baseline(path: Path) -> None:
    """Directly, or through a shipped scenario that does (the legacy caps extend
    legacy-warehouse.yaml, which extends the baseline)."""
    parent = yaml.safe_load(path.read_text(encoding="utf-8"))["extends"]
    while parent != "baseline.yaml":
        assert (SCENARIOS / parent) in FILES, parent
        parent = yaml.safe_load((SCENARIOS / parent).read_text(encoding="utf-8"))["extends"]


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_every_file_runs_on_a_short_horizon(path: Path) -> None:
    scenario = load_scenario(path, list(SHORT))
    results = simulate(scenario, replications=1)
    assert len(results.kpis) == 1
    assert results.kpis["claims"].iloc[0] > 0
    assert list(results.monthly["month"]) == [1, 2, 3, 4, 5, 6]
    assert results.monthly["units_sold"].sum() > 0
    assert len(results.annual) >= 1


def test_baseline_is_a_mid_size_laptop_maker() -> None:
    base = _load("baseline")
    assert 8 <= len(base.parts) <= 12
    assert base.product.units_per_month * base.product.sales_months == pytest.approx(450_000)
    assert base.product.warranty_months == 36
    assert sum(base.product.seasonality) == pytest.approx(12.0)
    assert base.simulation.replications == 20
    assert base.simulation.seed == 2026
    assert any(p.refurbish for p in base.parts)
    assert any(p.early_defects for p in base.parts)
    assert {p.stocking.policy for p in base.parts} == {"base_stock", "min_max"}
    assert all(7 <= p.lead_time_days <= 90 for p in base.parts)  # weeks, not days or months


def test_baseline_lives_have_the_right_failure_modes() -> None:
    parts = {p.name: p for p in _load("baseline").parts}
    for electronic in ("mainboard", "ssd", "memory", "display", "wifi_card"):
        assert parts[electronic].life.shape < 1, electronic  # infant mortality
    for worn in ("battery", "fan", "keyboard", "hinge_cover"):
        assert parts[worn].life.shape > 1, worn  # wear-out


def test_baseline_warranty_cost_is_in_the_published_range() -> None:
    """Expected warranty cost (renewal function × cost per claim) over the price: 2-3.5 %."""
    base = _load("baseline")
    share = expected_warranty_cost_per_unit(base) / unit_price(base)
    assert 0.02 <= share <= 0.035
    assert share == pytest.approx(0.025, abs=0.001)  # the figure scenarios/README.md quotes


def test_each_policy_sets_its_levers() -> None:
    base = _load("baseline")
    assert _load("status-quo").accounting.spares_treatment is SparesTreatment.CAPITALISE
    absorb = _load("absorb-cost-plus")
    assert absorb.accounting.spares_treatment is SparesTreatment.ACCRUE_PER_UNIT
    assert absorb.accounting.accrual_per_unit == "auto"
    assert absorb.pricing.policy is PricingPolicy.COST_PLUS
    assert absorb.pricing.include_warranty_cost
    assert unit_price(absorb) > unit_price(base)  # the warranty cost is priced in
    expense = _load("expense-on-purchase").accounting.spares_treatment
    assert expense is SparesTreatment.EXPENSE_ON_PURCHASE
    capped = _load("age-writedown-cap").accounting
    assert capped.age_writedown_months == 36
    assert capped.book_value_cap.absolute == 15_000_000
    share_cap = _load("cap-share").accounting.book_value_cap
    assert share_cap.share_of_trailing_cost_of_sales == 0.0065
    assert share_cap.prior_annual_cost_of_sales > 0
    chargeback = _load("supplier-chargeback").suppliers.values()
    assert all(s.chargeback_share > 0 and s.price_uplift > 0 for s in chargeback)
    assert all(s.chargeback_share == 0 for s in base.suppliers.values())
    quality = _load("quality-programme").quality
    assert quality.screening_coverage > 0
    assert quality.reliability_growth_per_year > 0


def test_salvage_raises_yields_and_scrap_values_and_nothing_else() -> None:
    base, salvage = _load("baseline"), _load("salvage-refurbish")
    for old, new in zip(base.parts, salvage.parts, strict=True):
        assert new.scrap_value_share >= old.scrap_value_share
        old_yield = old.refurbish.yield_ if old.refurbish else 0.0
        assert (new.refurbish.yield_ if new.refurbish else 0.0) >= old_yield
        assert new.life == old.life
        assert new.stocking == old.stocking
    assert sum(p.refurbish is not None for p in salvage.parts) > sum(
        p.refurbish is not None for p in base.parts
    )


@pytest.mark.parametrize("stem", ACCOUNTING_ONLY)
def test_accounting_policies_keep_the_baseline_s_physics(stem: str) -> None:
    """Only the books differ, so the same seed gives the same claims and sales (common random
    numbers, DESIGN.md) and, over the whole life, the same profit (the brief's claim)."""
    base, policy = _load("baseline", *SHORT), _load(stem, *SHORT)
    assert policy.parts == base.parts
    assert policy.product == base.product
    a, b = simulate(base, replications=1), simulate(policy, replications=1)
    columns = ["units_sold", "claims", "claims_filled_from_stock", "on_hand_end"]
    assert a.monthly[columns].equals(b.monthly[columns])
    assert b.kpis["lifetime_profit"].iloc[0] == pytest.approx(a.kpis["lifetime_profit"].iloc[0])


def _documented_fields(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[str]:
    """Every field name (YAML spelling) of the schema below ``model``."""
    seen.add(model)
    names = set()
    for name, info in model.model_fields.items():
        names.add(info.alias or name)
        for inner in _models_in(info.annotation):
            if inner not in seen:
                names |= _documented_fields(inner, seen)
    return names


def _models_in(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


def test_the_readme_documents_every_field() -> None:
    readme = (SCENARIOS / "README.md").read_text(encoding="utf-8")
    for field in sorted(_documented_fields(Scenario, set())):
        assert re.search(rf"`([a-z_]+\.)*{field}(\.[a-z_]+)*`", readme), (
            f"{field} is not in scenarios/README.md"
        )
    for path in FILES:
        assert f"`{path.name}`" in readme
    assert readme.rstrip().endswith("## Experiment specs") or "\n## Experiment specs\n" in readme
