"""Scenario files: YAML with ``extends:``, ``--set PATH=VALUE`` overrides, and clear errors.

Resolution, in order: the ``extends:`` chain from the root ancestor down to the file (paths are
relative to the file that names them), each layer merged onto the one before it; then the
overrides, left to right. Merging (docs/design.md): mappings merge key by key, lists and scalars
replace. One addition: a mapping written where the parent has a list of named items (``parts:``)
merges into those items by name, so a child can change one part without repeating the list.

Every problem is a :class:`ScenarioError` whose ``str`` is one line naming the file (the layer
that set the offending value, or ``FILE --set`` for an override), the dotted path and what was
expected.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from warrantysim.scenario.errors import ScenarioError, show, translate
from warrantysim.scenario.overrides import Overrides, override, parse_overrides, to_raw
from warrantysim.scenario.paths import find_item, format_path, item_name, readable_path
from warrantysim.scenario.schema import Scenario
from warrantysim.scenario.yamlio import dump_yaml, read_mapping

Origins = dict[tuple[str, ...], str]


def load_scenario(path: str | Path, overrides: Overrides = ()) -> Scenario:
    """Read, merge and validate a scenario file; raises ScenarioError on any problem."""
    raw, origins = _resolve(Path(path), overrides)
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise translate(exc, raw, lambda p: _origin(origins, p)) from None


def resolve(path: str | Path, overrides: Overrides = ()) -> dict[str, Any]:
    """The merged raw mapping (extends chain and overrides applied), not yet validated."""
    return _resolve(Path(path), overrides)[0]


def dump_scenario(scenario: Scenario) -> str:
    """The resolved scenario as YAML; ``load_scenario`` of it gives an equal Scenario."""
    return dump_yaml(to_raw(scenario))


def scenario_hash(scenario: Scenario) -> str:
    """sha256 of the scenario's canonical JSON: equal scenarios hash alike whatever files made
    them. One identity for run manifests, sweep rows and caches (well under a millisecond)."""
    text = scenario.model_dump_json(by_alias=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
        merged = override(merged, segments, value, set_label)
        readable = readable_path(merged, segments)
        for n in range(1, len(readable)):
            origins.setdefault(readable[:n], set_label)  # mappings the override created
        _forget(origins, readable)
        _record(origins, value, readable, set_label)
        if readable[-1:] == (DISCRIMINATOR,):
            # A new policy changes which keys its mapping needs: what is now missing or
            # unknown there is the override's doing, not the file's.
            _forget(origins, readable[:-1])
            origins[readable[:-1]] = set_label
    return merged, origins


DISCRIMINATOR = "policy"
"""The key that selects a mapping's variant (``stocking.policy``: base_stock or min_max)."""
MAX_EXTENDS = 32
"""Files in one ``extends:`` chain (the shipped scenarios use 2)."""


def _chain(path: Path, seen: list[Path]) -> list[tuple[str, dict[str, Any]]]:
    """[(label, mapping)] from the root ancestor to ``path``; ``extends`` removed. A loop, not
    recursion: a chain may be long, and each link is only checked, never trusted."""
    chain: list[tuple[str, dict[str, Any]]] = []
    while True:
        label = _display(path)
        data = read_mapping(path, label)
        parent_name = data.pop("extends", None)
        chain.append((label, data))
        if parent_name is None:
            return chain[::-1]
        seen = [*seen, _resolved(path, label)]
        if len(seen) >= MAX_EXTENDS:
            raise ScenarioError(label, "extends", f"more than {MAX_EXTENDS} files in the chain")
        path = _parent(path, parent_name, label, seen)


def _parent(path: Path, parent_name: Any, label: str, seen: list[Path]) -> Path:
    if not isinstance(parent_name, str) or not parent_name.strip():
        raise ScenarioError(label, "extends", f"expected a file name, got {show(parent_name)}")
    parent = _resolved(path.parent / parent_name, label)
    if parent in seen:
        loop = " -> ".join(_display(p) for p in [*seen[seen.index(parent) :], parent])
        raise ScenarioError(label, "extends", f"extends loop: {loop}")
    if not parent.is_file():
        raise ScenarioError(label, "extends", f"no such file {parent_name!r} ({_display(parent)})")
    return parent


def _resolved(path: Path, label: str) -> Path:
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError on a symbolic-link loop
        raise ScenarioError(label, "extends", f"{path}: a loop of symbolic links") from None


def _display(path: Path) -> str:
    """The path relative to the working directory when it is below it, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path.resolve()) if path.is_absolute() or ".." in path.parts else str(path)
    except (RuntimeError, OSError):  # a loop of symbolic links: show it as written
        return str(path)


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
