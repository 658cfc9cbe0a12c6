"""Designs and specs: grid products, Latin-hypercube strata, relative and integer values,
list parameters, spec errors, and design points applied as scenario overrides."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from factories import Writer
from warrantysim.experiments.design import (
    grid_design,
    point_scenarios,
    sampled_design,
)
from warrantysim.experiments.spec import (
    DesignKind,
    Parameter,
    SpecError,
    load_sensitivity_spec,
    load_sweep_spec,
)
from warrantysim.scenario import (
    ScenarioError,
    apply_overrides,
    load_scenario,
    scenario_hash,
    to_raw,
)

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"


def test_grid_is_the_product_of_levels() -> None:
    parameters = {
        "a": Parameter(range=(0.0, 1.0), steps=3),
        "b": Parameter(values=["x", "y"]),
    }
    design = grid_design(parameters)
    assert len(design) == 6
    assert sorted(set(design["a"])) == [0.0, 0.5, 1.0]
    assert list(design.index) == list(range(6))


def test_integer_grid_levels_are_rounded_and_not_repeated() -> None:
    design = grid_design({"n": Parameter(range=(1.0, 3.0), steps=5, integer=True)})
    assert list(design["n"]) == [1, 2, 3]


def test_latin_hypercube_puts_one_point_in_each_stratum() -> None:
    # LHS (McKay et al. 1979): each of the n equal slices of every range holds exactly one point
    n = 16
    parameters = {"a": Parameter(range=(10.0, 20.0)), "b": Parameter(range=(-1.0, 1.0))}
    design = sampled_design(parameters, DesignKind.LHS, n, seed=7)
    for path, (low, high) in (("a", (10.0, 20.0)), ("b", (-1.0, 1.0))):
        strata = np.floor((design[path].to_numpy() - low) / (high - low) * n)
        assert sorted(strata) == list(range(n))


def test_sampled_designs_are_reproducible_and_seed_dependent() -> None:
    parameters = {"a": Parameter(range=(0.0, 1.0)), "b": Parameter(values=[1, 2, 3])}
    first = sampled_design(parameters, DesignKind.RANDOM, 20, seed=3)
    assert first.equals(sampled_design(parameters, DesignKind.RANDOM, 20, seed=3))
    assert not first.equals(sampled_design(parameters, DesignKind.RANDOM, 20, seed=4))
    assert set(first["b"]) <= {1, 2, 3}


def test_relative_parameters_multiply_the_scenario_value() -> None:
    base = load_scenario(BASELINE)
    parameters = {
        "parts.ssd.life.scale_months": Parameter(values=[0.5, 2.0], relative=True),
        "parts.ssd.stocking.level": Parameter(values=[10, 40]),
    }
    scenarios = point_scenarios(base, parameters, grid_design(parameters))
    scale = base.part("ssd").life.scale_months
    assert [s.part("ssd").life.scale_months for s in scenarios] == [scale / 2] * 2 + [scale * 2] * 2
    assert [s.part("ssd").stocking.level for s in scenarios] == [10, 40, 10, 40]  # type: ignore[union-attr]
    assert len({scenario_hash(s) for s in scenarios}) == 4


def test_relative_needs_a_number_in_the_scenario() -> None:
    base = load_scenario(BASELINE)  # the SSD's stocking level is "auto"
    parameters = {"parts.ssd.stocking.level": Parameter(values=[0.5], relative=True)}
    with pytest.raises(
        ScenarioError, match=r"parts.ssd.stocking.level: relative: true needs a number"
    ):
        point_scenarios(base, parameters, grid_design(parameters))


def test_overrides_equal_a_scenario_loaded_with_set() -> None:
    base = load_scenario(BASELINE)
    changed = apply_overrides(
        base, {"parts.ssd.life.shape": 1.3, "pricing.markup": 0.2}, "p", to_raw(base)
    )
    direct = load_scenario(BASELINE, ["parts.ssd.life.shape=1.3", "pricing.markup=0.2"])
    assert changed == direct
    assert scenario_hash(changed) == scenario_hash(direct) != scenario_hash(base)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"parts.nosuch.life.shape": 1.0}, "no item named 'nosuch'"),
        ({"parts.ssd.life.shap": 1.0}, "unknown key 'shap'"),
        ({"parts.ssd.life.shape": -1.0}, "parts.ssd.life.shape"),
    ],
)
def test_bad_design_points_name_the_point_and_path(
    overrides: dict[str, float], message: str
) -> None:
    base = load_scenario(BASELINE)
    with pytest.raises(ScenarioError, match=message) as error:
        apply_overrides(base, overrides, "design point 3")
    assert "design point 3" in str(error.value)


def test_spec_scenario_is_relative_to_the_spec(tmp_path: Path) -> None:
    spec = load_sweep_spec(ROOT / "scenarios" / "experiments" / "sweep-example.yaml")
    assert spec.scenario == BASELINE
    assert (
        load_sensitivity_spec(ROOT / "scenarios" / "experiments" / "sensitivity-example.yaml").n
        == 256
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("scenario: b.yaml\nparameters: {a: {range: [1, 0]}}", "low < high"),
        ("scenario: b.yaml\nparameters: {a: {range: [0, 1], values: [1]}}", "not both"),
        ("scenario: b.yaml\ndesign: lhs\nparameters: {a: {range: [0, 1]}}", "needs samples"),
        ("scenario: b.yaml\nparameters: {}", "parameters"),
        ("scenario: b.yaml\nparameters: {a: {range: [0, 1]}}\nbogus: 1", "bogus"),
        ("- not a mapping", "YAML mapping"),
        ("scenario: [unclosed", "line 1, column 20: expected .,. or .]."),
    ],
)
def test_bad_sweep_specs_say_what_is_wrong(write: Writer, text: str, message: str) -> None:
    path = write("spec.yaml", text)
    with pytest.raises(SpecError, match=message) as error:
        load_sweep_spec(path)
    assert str(path) in str(error.value)


def test_sobol_needs_a_power_of_two(write: Writer) -> None:
    path = write(
        "spec.yaml", "scenario: b.yaml\nn: 100\nkpis: [x]\nparameters: {a: {range: [0, 1]}}"
    )
    with pytest.raises(SpecError, match=r"spec: Sobol needs n a power of two .*e.g. 64 or 128"):
        load_sensitivity_spec(path)
