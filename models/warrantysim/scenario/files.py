"""Scenario files: YAML with ``extends:``, ``--set PATH=VALUE`` overrides, and clear errors.

Resolution, in order: the ``extends:`` chain from the root ancestor down to the file (paths are
relative to the file that names them), each layer merged onto the one before it; then the
overrides, left to right. Merging (DESIGN.md): mappings merge key by key, lists and scalars
replace. One addition: a mapping written where the parent has a list of named items (``parts:``)
merges into those items by name, so a child can change one part without repeating the list.

Every problem is a :class:`ScenarioError` whose ``str`` is one line naming the file (the layer
that set the offending value, or ``FILE --set`` for an override), the dotted path and what was
expected.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from warrantysim.scenario import Scenario
from warrantysim.scenario_errors import ScenarioError, show, translate
from warrantysim.scenario_paths import (
    PathError,
    find_item,
    format_path,
    item_name,
    parse_path,
    set_value,
)

__all__ = [
    "ScenarioError",
    "apply_overrides",
    "dump_scenario",
    "load_scenario",
    "parse_overrides",
    "resolve",
    "scenario_hash",
]

Overrides = Mapping[str, object] | Sequence[str]
Origins = dict[tuple[str, ...], str]


def load_scenario(path: str | Path, overrides: Overrides = ()) -> Scenario:
    """Read, merge and validate a scenario file; raises ScenarioError on any problem."""
    raw, origins = _resolve(Path(path), overrides)
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise translate(exc, raw, lambda p: _origin(origins, p)) from None


def apply_overrides(scenario: Scenario, overrides: Overrides, label: str = "--set") -> Scenario:
    """A new, validated scenario with the overrides applied (experiments' design points)."""
    raw: dict[str, Any] = scenario.model_dump(mode="json", by_alias=True)
    for segments, value in parse_overrides(overrides, label):
        raw = _override(raw, segments, value, label)
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise translate(exc, raw, lambda _: label) from None


def resolve(path: str | Path, overrides: Overrides = ()) -> dict[str, Any]:
    """The merged raw mapping (extends chain and overrides applied), not yet validated."""
    return _resolve(Path(path), overrides)[0]


def dump_scenario(scenario: Scenario) -> str:
    """The resolved scenario as YAML; ``load_scenario`` of it gives an equal Scenario."""
    data = scenario.model_dump(mode="json", by_alias=True)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def scenario_hash(scenario: Scenario) -> str:
    """sha256 of the scenario's canonical JSON: equal scenarios hash alike whatever files made
    them. One identity for run manifests, sweep rows and caches (well under a millisecond)."""
    text = scenario.model_dump_json(by_alias=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_overrides(items: Overrides, label: str = "--set") -> list[tuple[tuple[str, ...], Any]]:
    """``PATH=VALUE`` strings (VALUE read as YAML) or a mapping of dotted paths to values."""
    if isinstance(items, Mapping):
        return [(_path(text, label), value) for text, value in items.items()]
    parsed = []
    for item in items:
        text, eq, value_text = str(item).partition("=")
        if not eq:
            raise ScenarioError(label, "", f"expected PATH=VALUE, got {show(str(item))}")
        parsed.append((_path(text.strip(), label), _yaml_value(value_text, label, text.strip())))
    return parsed


def _path(text: str, label: str) -> tuple[str, ...]:
    try:
        return parse_path(text)
    except PathError as e:
        raise ScenarioError(label, "", e.message) from None


def _yaml_value(text: str, label: str, path: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as e:
        problem = getattr(e, "problem", None) or "cannot be read"
        raise ScenarioError(label, path, f"value is not valid YAML: {problem}") from None


# --- resolution --------------------------------------------------------------------------


def _resolve(path: Path, overrides: Overrides) -> tuple[dict[str, Any], Origins]:
    label = _display(path)
    origins: Origins = {}
    merged: Any = {}
    for layer_label, data in _chain(path, []):
        merged = _merge(merged, data, (), origins, layer_label)
    origins[()] = label
    set_label = f"{label} --set"
    for segments, value in parse_overrides(overrides, set_label):
        merged = _override(merged, segments, value, set_label)
        readable = _readable(merged, segments)
        for n in range(1, len(readable)):
            origins.setdefault(readable[:n], set_label)  # mappings the override created
        _forget(origins, readable)
        _record(origins, value, readable, set_label)
    return merged, origins


def _override(raw: dict[str, Any], segments: tuple[str, ...], value: Any, label: str) -> Any:
    try:
        return set_value(raw, segments, value)
    except PathError as e:
        raise ScenarioError(label, format_path(e.path), e.message) from None


def _readable(raw: Any, segments: Sequence[str]) -> tuple[str, ...]:
    """Segments with list indices replaced by item names, as errors will show them."""
    out, node = [], raw
    for segment in segments:
        if isinstance(node, list):
            index = find_item(node, segment)
            node = node[index] if index is not None else None
            out.append(item_name(node) or segment)
        else:
            node = node.get(segment) if isinstance(node, dict) else None
            out.append(segment)
    return tuple(out)


def _chain(path: Path, seen: list[Path]) -> list[tuple[str, dict[str, Any]]]:
    """[(label, mapping)] from the root ancestor to ``path``; ``extends`` removed."""
    label = _display(path)
    data = _read_yaml(path, label)
    parent_name = data.pop("extends", None)
    if parent_name is None:
        return [(label, data)]
    if not isinstance(parent_name, str) or not parent_name.strip():
        raise ScenarioError(label, "extends", f"expected a file name, got {show(parent_name)}")
    parent = (path.parent / parent_name).resolve()
    here = [*seen, path.resolve()]
    if parent in here:
        loop = " -> ".join(_display(p) for p in [*here[here.index(parent) :], parent])
        raise ScenarioError(label, "extends", f"extends loop: {loop}")
    if not parent.is_file():
        raise ScenarioError(label, "extends", f"no such file {parent_name!r} ({_display(parent)})")
    return [*_chain(parent, here), (label, data)]


def _display(path: Path) -> str:
    """The path relative to the working directory when it is below it, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path.resolve()) if path.is_absolute() or ".." in path.parts else str(path)


# --- merging ----------------------------------------------------------------------------


def _merge(base: Any, over: Any, path: tuple[str, ...], origins: Origins, label: str) -> Any:
    if isinstance(over, dict) and isinstance(base, dict):
        origins.setdefault(path, label)
        out = dict(base)
        for key, value in over.items():
            out[key] = _merge(base.get(key), value, (*path, str(key)), origins, label)
        return out
    if isinstance(over, dict) and isinstance(base, list) and _all_named(base):
        return _merge_items(base, over, path, origins, label)
    _forget(origins, path)
    _record(origins, over, path, label)
    return over


def _all_named(items: list[Any]) -> bool:
    return bool(items) and all(item_name(i) is not None for i in items)


def _merge_items(
    base: list[Any], over: dict[str, Any], path: tuple[str, ...], origins: Origins, label: str
) -> list[Any]:
    out = list(base)
    for name, value in over.items():
        index = find_item(out, str(name))
        if index is None or not isinstance(value, dict):
            have = ", ".join(n for n in map(item_name, base) if n)
            message = f"no {path[-1]} item named {str(name)!r} to change (have: {have})"
            if index is not None:
                message = f"expected a mapping of changes to {name!r}, got {show(value)}"
            raise ScenarioError(label, format_path((*path, name)), message)
        out[index] = _merge(out[index], value, (*path, str(name)), origins, label)
    return out


def _forget(origins: Origins, path: tuple[str, ...]) -> None:
    for key in [k for k in origins if k[: len(path)] == path and len(k) >= len(path)]:
        del origins[key]


def _record(origins: Origins, value: Any, path: tuple[str, ...], label: str) -> None:
    origins[path] = label
    if isinstance(value, dict):
        for key, sub in value.items():
            _record(origins, sub, (*path, str(key)), label)
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            _record(origins, sub, (*path, item_name(sub) or str(i)), label)


def _origin(origins: Origins, path: Sequence[str]) -> str:
    """The file that set the longest known prefix of ``path``."""
    for n in range(len(path), -1, -1):
        if tuple(path[:n]) in origins:
            return origins[tuple(path[:n])]
    return origins[()]


# --- YAML ---------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """SafeDumper that double-quotes text with Unicode line breaks, which PyYAML's plain and
    single-quoted styles do not read back unchanged (found by the round-trip property test)."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if any(c in text for c in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one mapping (YAML says keys are unique)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    first_line: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # keys a `<<: *anchor` brings in may be overridden; that is its purpose
        key = loader.construct_object(key_node)
        if isinstance(key, str | int | float | bool) and key in first_line:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first at line {first_line[key] + 1})",
                key_node.start_mark,
            )
        if isinstance(key, str | int | float | bool):
            first_line[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=True)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path, label: str) -> dict[str, Any]:
    text = _read_text(path, label)
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        raise ScenarioError(label, "", f"{where}: {e.problem or e.context}") from None
    except yaml.YAMLError as e:
        raise ScenarioError(label, "", f"not valid YAML: {e}") from None
    if data is None:
        raise ScenarioError(label, "", "file is empty; expected a mapping of scenario fields")
    if not isinstance(data, dict):
        raise ScenarioError(label, "", f"expected a mapping of scenario fields, got {show(data)}")
    return data


def _read_text(path: Path, label: str) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(label, "", "no such file") from None
    except IsADirectoryError:
        raise ScenarioError(label, "", "is a directory, expected a YAML file") from None
    except OSError as e:
        raise ScenarioError(label, "", f"cannot read: {e.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        bad = raw[e.start]
        raise ScenarioError(
            label, "", f"not UTF-8 text (byte 0x{bad:02x} on line {line})"
        ) from None
