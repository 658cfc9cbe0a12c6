"""Design points as dotted-path overrides on a resolved scenario.

Paths are those of scenario files and ``--set`` (:mod:`warrantysim.scenario_paths`): mapping
keys, a named list item by its name (``parts.ssd.stocking.level``). Applying overrides returns
a new, re-validated :class:`Scenario`; a bad value raises a one-line
:class:`~warrantysim.scenario_errors.ScenarioError` naming the design point and the path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from warrantysim.scenario import Scenario
from warrantysim.scenario_errors import ScenarioError, translate
from warrantysim.scenario_files import scenario_hash
from warrantysim.scenario_paths import PathError, find_item, format_path, parse_path, set_value

__all__ = ["ScenarioError", "apply_overrides", "get_path", "scenario_hash"]


def raw(scenario: Scenario) -> dict[str, Any]:
    return scenario.model_dump(mode="json", by_alias=True)


def get_path(scenario: Scenario, path: str, label: str = "design") -> Any:
    """The value at a dotted path of the scenario."""
    node: Any = raw(scenario)
    for segment in parse_path(path):
        if isinstance(node, list) and (index := find_item(node, segment)) is not None:
            node = node[index]
        elif isinstance(node, dict) and segment in node:
            node = node[segment]
        else:
            raise ScenarioError(label, path, f"the scenario has no value at {segment!r}")
    return node


def apply_overrides(
    scenario: Scenario,
    values: Mapping[str, Any],
    label: str = "design point",
    base_raw: Mapping[str, Any] | None = None,
) -> Scenario:
    """A new scenario with every ``path: value`` set, validated as a whole.

    ``base_raw`` (``raw(scenario)``) may be passed to save dumping the base for every point.
    """
    if not values:
        return scenario
    data: dict[str, Any] = dict(base_raw) if base_raw is not None else raw(scenario)
    for path, value in values.items():
        segments = parse_path(path)
        try:
            data = _with(data, segments, value)
        except (KeyError, TypeError):  # not a plain path: let the schema-aware setter explain
            data = _set_checked(data, segments, value, label)
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise translate(error, data, lambda _path: label) from None


def _with(node: Any, segments: tuple[str, ...], value: Any) -> Any:
    """``node`` with ``value`` at ``segments``, copying only the containers on the way.

    Cheaper than :func:`set_value` (a deep copy per call) for thousands of design points; a
    step it cannot take raises KeyError or TypeError.
    """
    if not segments:
        return value
    head, rest = segments[0], segments[1:]
    if isinstance(node, list):
        index = find_item(node, head)
        if index is None:
            raise KeyError(head)
        items = list(node)
        items[index] = _with(node[index], rest, value)
        return items
    if not isinstance(node, dict) or (rest and head not in node):
        raise TypeError(head)
    out = dict(node)
    out[head] = _with(node[head], rest, value) if rest else value
    return out


def _set_checked(
    data: dict[str, Any], segments: tuple[str, ...], value: Any, label: str
) -> dict[str, Any]:
    try:
        return set_value(data, segments, value)
    except PathError as error:
        raise ScenarioError(label, format_path(error.path), error.message) from None
