"""Scenario files: extends chains, merge rules, dotted-path overrides, dump/load round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from factories import write_file
from warrantysim.scenario import (
    MinMax,
    ScenarioError,
    SparesTreatment,
    apply_overrides,
    dump_scenario,
    load_scenario,
    parse_overrides,
    resolve,
    scenario_hash,
)

BASE = """\
name: base
description: two parts
simulation: {replications: 3, seed: 7}
product:
  sales_months: 3
  units_per_month: 100
  seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]
  unit_cost: 4200
  warranty_months: 12
pricing: {price: 5600, reference_price: 5600}
parts:
  - name: ssd
    unit_cost: 260
    life: {shape: 0.7, scale_months: 2000}
    supplier: diskco
    lead_time_days: 21
    stocking: {policy: base_stock, level: 5}
  - name: fan
    unit_cost: 70
    life: {shape: 2.0, scale_months: 270}
    lead_time_days: 21
    stocking: {policy: min_max, min: 2, max: 6}
suppliers:
  diskco: {chargeback_share: 0.5, recovery_rate: 0.9}
accounting: {age_writedown_months: 36}
"""


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The parent scenario; the working directory is its folder, so errors show short names."""
    monkeypatch.chdir(tmp_path)
    return write_file(tmp_path, "base.yaml", BASE)


def test_mappings_merge_key_by_key(base: Path) -> None:
    child = write_file(
        base.parent, "child.yaml", "extends: base.yaml\nname: c\nproduct: {unit_cost: 4000}\n"
    )
    scenario = load_scenario(child)
    assert scenario.name == "c"
    assert scenario.product.unit_cost == 4000
    assert scenario.product.units_per_month == 100  # kept from the parent
    assert scenario.description == "two parts"
    assert scenario.suppliers["diskco"].recovery_rate == 0.9


def test_lists_and_scalars_replace(base: Path) -> None:
    text = (
        "extends: base.yaml\n"
        "product: {seasonality: [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]}\n"
        "accounting: {age_writedown_months: null}\n"
        "parts:\n  - {name: hdd, unit_cost: 300, life: {shape: 1.1, scale_months: 900},\n"
        "     lead_time_days: 30, stocking: {policy: base_stock}}\n"
    )
    scenario = load_scenario(write_file(base.parent, "child.yaml", text))
    assert scenario.product.seasonality == [2.0] * 12
    assert scenario.accounting.age_writedown_months is None  # null replaces 36
    assert [p.name for p in scenario.parts] == ["hdd"]


def test_a_mapping_onto_named_items_changes_only_those_items(base: Path) -> None:
    text = "extends: base.yaml\nparts:\n  fan: {life: {shape: 3.0}, refurbish: {yield: 0.4}}\n"
    scenario = load_scenario(write_file(base.parent, "child.yaml", text))
    parent = load_scenario(base)
    assert scenario.part("fan").life.shape == 3.0
    assert scenario.part("fan").life.scale_months == 270  # merged, not replaced
    assert scenario.part("fan").refurbish is not None
    assert scenario.part("fan").refurbish.yield_ == 0.4
    assert scenario.part("ssd") == parent.part("ssd")
    assert [p.name for p in scenario.parts] == ["ssd", "fan"]


def test_extends_chains_with_paths_relative_to_each_file(base: Path) -> None:
    mid = write_file(
        base.parent,
        "policies/mid.yaml",
        "extends: ../base.yaml\nname: mid\npricing: {price: 6000}\n",
    )
    leaf = write_file(base.parent, "policies/deep/leaf.yaml", "extends: ../mid.yaml\nname: leaf\n")
    scenario = load_scenario(leaf)
    assert (scenario.name, scenario.pricing.price, scenario.pricing.reference_price) == (
        "leaf",
        6000,
        5600,
    )
    assert load_scenario(mid).name == "mid"


def test_resolve_returns_the_merged_mapping_without_extends(base: Path) -> None:
    child = write_file(base.parent, "child.yaml", "extends: base.yaml\nname: c\n")
    raw = resolve(child, ["simulation.seed=11"])
    assert "extends" not in raw
    assert raw["name"] == "c"
    assert raw["simulation"] == {"replications": 3, "seed": 11}
    assert raw["parts"][0]["name"] == "ssd"


def test_set_parses_values_as_yaml_and_addresses_items_by_name(base: Path) -> None:
    scenario = load_scenario(
        base,
        [
            "parts.ssd.life.shape=1.3",
            "suppliers.diskco.chargeback_share=0.25",
            "parts.fan.stocking={policy: min_max, min: 10, max: 40, review_days: 14}",
            "accounting.spares_treatment=expense_on_purchase",
            "accounting.age_writedown_months=",
            "pricing.include_warranty_cost=true",
            "description=several words = fine",
        ],
    )
    assert scenario.part("ssd").life.shape == 1.3
    assert scenario.suppliers["diskco"].chargeback_share == 0.25
    assert scenario.part("fan").stocking == MinMax(policy="min_max", min=10, max=40, review_days=14)
    assert scenario.accounting.spares_treatment is SparesTreatment.EXPENSE_ON_PURCHASE
    assert scenario.accounting.age_writedown_months is None  # an empty VALUE is YAML null
    assert scenario.pricing.include_warranty_cost is True
    assert scenario.description == "several words = fine"


def test_set_by_index_and_by_mapping(base: Path) -> None:
    by_index = load_scenario(base, ["parts.1.unit_cost=75"])
    by_mapping = load_scenario(base, {"parts.fan.unit_cost": 75})
    assert by_index == by_mapping
    assert by_index.part("fan").unit_cost == 75


def test_set_applies_left_to_right(base: Path) -> None:
    scenario = load_scenario(base, ["simulation.seed=1", "simulation.seed=2"])
    assert scenario.simulation.seed == 2


def test_set_creates_missing_mappings_the_schema_allows(base: Path) -> None:
    scenario = load_scenario(
        base,
        [
            "simulation.horizon_months=6",
            "quality.screening_coverage=0.5",
            "parts.fan.early_defects={share: 0.01, shape: 0.5, scale_months: 2}",
            "parts.ssd.last_buy.month=3",
        ],
    )
    assert scenario.horizon_months == 6
    assert scenario.quality.screening_coverage == 0.5
    assert scenario.part("fan").early_defects is not None
    assert scenario.part("fan").early_defects.share == 0.01
    assert scenario.part("ssd").last_buy is not None
    assert scenario.part("ssd").last_buy.month == 3


@pytest.mark.parametrize(
    ("override", "line"),
    [
        (
            "parts.hdd.unit_cost=1",
            "base.yaml --set: parts.hdd: no item named 'hdd' (have: ssd, fan)",
        ),
        (
            "product.unitcost=1",
            "base.yaml --set: product.unitcost: unknown key 'unitcost' (did you mean 'unit_cost'?)",
        ),
        (
            "suppliers.nope.chargeback_share=1",
            "base.yaml --set: suppliers.nope: no entry named 'nope' (have: diskco)",
        ),
        (
            "product.unit_cost.usd=1",
            "base.yaml --set: product.unit_cost: is a single value; 'usd' cannot be inside it",
        ),
        (
            "parts..unit_cost=1",
            "base.yaml --set: expected a dotted path like parts.ssd.life.shape,"
            " got 'parts..unit_cost'",
        ),
        (
            "parts.ssd.unit_cost=[1",
            "base.yaml --set: parts.ssd.unit_cost: value is not valid YAML:"
            " line 1, column 3: expected ',' or ']', but got '<stream end>'",
        ),
    ],
)
def test_set_to_a_path_that_does_not_exist_is_an_error(
    base: Path, override: str, line: str
) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(base, [override])
    assert str(caught.value) == line


def test_errors_name_the_file_that_set_the_value(base: Path) -> None:
    child = write_file(
        base.parent, "child.yaml", "extends: base.yaml\nparts: {ssd: {unit_cost: -1}}\n"
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(child)
    error = caught.value
    assert (error.file, error.path) == ("child.yaml", "parts.ssd.unit_cost")
    assert (
        str(error)
        == "child.yaml: parts.ssd.unit_cost: expected a number from 0 to 1000000000, got -1"
    )


def test_every_problem_is_listed_one_line_each(base: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(
            base,
            ["parts.ssd.life.shape=0", "product.sales_months=2.5", "quality.screening_coverage=2"],
        )
    assert caught.value.lines() == [
        "base.yaml --set: product.sales_months: expected a whole number, got 2.5",
        "base.yaml --set: parts.ssd.life.shape: expected a number from 0.05 to 50, got 0",
        "base.yaml --set: quality.screening_coverage: expected a number from 0 to 1, got 2",
    ]


def test_a_union_field_names_both_alternatives(base: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(base, ["accounting.accrual_per_unit=-3"])
    assert caught.value.message == "expected a number >= 0 or 'auto', got -3"


def test_parse_overrides_keeps_everything_after_the_first_equals() -> None:
    assert parse_overrides(["a.b=x=y", "c= [1, 2]"]) == [(("a", "b"), "x=y"), (("c",), [1, 2])]


def test_dump_then_load_gives_an_equal_scenario(base: Path) -> None:
    scenario = load_scenario(base, ["parts.ssd.refurbish={yield: 0.3, cost: 60}"])
    text = dump_scenario(scenario)
    again = load_scenario(write_file(base.parent, "dumped.yaml", text))
    assert again == scenario
    assert "yield: 0.3" in text  # the YAML spelling, not the Python attribute yield_
    assert scenario_hash(again) == scenario_hash(scenario)


def test_the_hash_changes_with_any_value(base: Path) -> None:
    scenario = load_scenario(base)
    assert scenario_hash(scenario) != scenario_hash(load_scenario(base, ["parts.fan.unit_cost=71"]))
    assert len(scenario_hash(scenario)) == 64


def test_apply_overrides_on_a_loaded_scenario(base: Path) -> None:
    scenario = load_scenario(base)
    changed = apply_overrides(scenario, {"parts.ssd.stocking.level": 9, "simulation.seed": 3})
    assert changed == load_scenario(base, ["parts.ssd.stocking.level=9", "simulation.seed=3"])
    assert scenario.part("ssd").stocking.policy == "base_stock"
    assert scenario.simulation.seed == 7  # the original is untouched
    with pytest.raises(
        ScenarioError, match=r"^sweep: parts.ssd.life.shape: expected a number from 0.05 to 50"
    ):
        apply_overrides(scenario, {"parts.ssd.life.shape": -1}, label="sweep")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    shape=st.floats(min_value=0.05, max_value=50, allow_subnormal=False),
    share=st.floats(min_value=0, max_value=1),
    level=st.one_of(st.just("auto"), st.integers(min_value=0, max_value=10**6)),
    description=st.text(max_size=30),
)
@example(shape=1.0, share=0.0, level="auto", description="\x85")  # PyYAML's own dump fails this
def test_round_trip_holds_for_any_valid_values(
    base: Path, shape: float, share: float, level: int | str, description: str
) -> None:
    overrides = {
        "parts.ssd.life.shape": shape,
        "suppliers.diskco.chargeback_share": share,
        "parts.ssd.stocking.level": level,
        "description": description,
    }
    scenario = load_scenario(base, overrides)
    assert load_scenario(write_file(base.parent, "rt.yaml", dump_scenario(scenario))) == scenario


def test_duplicate_keys_are_refused_even_in_overrides(base: Path) -> None:
    with pytest.raises(ScenarioError, match="duplicate key 'min'"):
        load_scenario(base, ["parts.fan.stocking={policy: min_max, min: 1, min: 2, max: 5}"])


def test_a_byte_order_mark_is_accepted(base: Path) -> None:
    path = base.parent / "bom.yaml"
    path.write_bytes("\ufeff".encode() + BASE.encode("utf-8"))
    assert load_scenario(path) == load_scenario(base)


def test_yaml_dump_is_plain_yaml(base: Path) -> None:
    data = yaml.safe_load(dump_scenario(load_scenario(base)))
    assert data["accounting"]["spares_treatment"] == "capitalise"
    assert data["parts"][1]["stocking"] == {
        "policy": "min_max",
        "min": 2,
        "max": 6,
        "review_days": 7.0,
    }


def test_yaml_anchors_and_merge_keys_are_not_duplicates(base: Path) -> None:
    text = BASE.replace(
        "  - name: fan\n    unit_cost: 70\n    life: {shape: 2.0, scale_months: 270}\n"
        "    lead_time_days: 21\n    stocking: {policy: min_max, min: 2, max: 6}\n",
        "  - &fan\n    name: fan\n    unit_cost: 70\n    life: {shape: 2.0, scale_months: 270}\n"
        "    lead_time_days: 21\n    stocking: {policy: min_max, min: 2, max: 6}\n"
        "  - <<: *fan\n    name: fan2\n    unit_cost: 75\n",
    )
    scenario = load_scenario(write_file(base.parent, "anchors.yaml", text))
    assert scenario.part("fan2").unit_cost == 75
    assert scenario.part("fan2").life == scenario.part("fan").life
