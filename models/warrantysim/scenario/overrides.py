"""Overrides: values set at dotted paths of a scenario (``--set``, design points, levers).

One syntax (:mod:`warrantysim.scenario.paths`), one setter, one getter. Overrides are given as
``PATH=VALUE`` strings (VALUE read as YAML), ``(PATH, VALUE)`` pairs, or a mapping of paths to
values; applying them returns a new, re-validated :class:`Scenario`, and a bad value raises a
one-line :class:`ScenarioError` naming ``label`` (``--set``, ``design point 3``, ...) and the path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from warrantysim.scenario.errors import ScenarioError, show, translate
from warrantysim.scenario.paths import PathError, format_path, get_value, parse_path, set_value
from warrantysim.scenario.schema import Scenario
from warrantysim.scenario.yamlio import load_value

Overrides = Mapping[str, object] | Sequence[str | tuple[str, object]]
Parsed = list[tuple[tuple[str, ...], Any]]


def to_raw(scenario: Scenario) -> dict[str, Any]:
    """The scenario as the mapping a YAML file would hold."""
    return scenario.model_dump(mode="json", by_alias=True)


def override_items(*overrides: Overrides) -> list[str | tuple[str, object]]:
    """Several sets of overrides, in any of their forms, as one list in the order given."""
    return [item for o in overrides for item in (o.items() if isinstance(o, Mapping) else o)]


def parse_overrides(items: Overrides, label: str = "--set") -> Parsed:
    """(segments, value) pairs from strings, pairs or a mapping, in the order given."""
    return [_parse_one(item, label) for item in override_items(items)]


def _parse_one(item: str | tuple[str, object], label: str) -> tuple[tuple[str, ...], Any]:
    if isinstance(item, tuple):
        return _segments(item[0], label), item[1]
    text, eq, value_text = str(item).partition("=")
    if not eq:
        raise ScenarioError(label, "", f"expected PATH=VALUE, got {show(str(item))}")
    path = text.strip()
    return _segments(path, label), load_value(value_text, label, path)


def _segments(text: str, label: str) -> tuple[str, ...]:
    try:
        return parse_path(text)
    except PathError as e:
        raise ScenarioError(label, "", e.message) from None


def override(raw: Mapping[str, Any], segments: Sequence[str], value: Any, label: str) -> Any:
    """``raw`` with one value set; a path the schema lacks is a ScenarioError."""
    try:
        return set_value(raw, segments, value)
    except PathError as e:
        raise ScenarioError(label, format_path(e.path), e.message) from None


def apply_overrides(
    scenario: Scenario,
    overrides: Overrides,
    label: str = "--set",
    base_raw: Mapping[str, Any] | None = None,
) -> Scenario:
    """A new scenario with every override applied, validated as a whole.

    ``base_raw`` (``to_raw(scenario)``) may be passed to save dumping the base for every point.
    """
    parsed = parse_overrides(overrides, label)
    if not parsed:
        return scenario
    data: Any = dict(base_raw) if base_raw is not None else to_raw(scenario)
    for segments, value in parsed:
        data = override(data, segments, value, label)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise translate(exc, data, lambda _: label) from None


def get_path(scenario: Scenario, path: str, label: str = "design") -> Any:
    """The value at a dotted path of the scenario."""
    try:
        return get_value(to_raw(scenario), _segments(path, label))
    except PathError as e:
        raise ScenarioError(label, path, e.message) from None
