"""Dotted paths into a scenario's raw mapping, checked against the schema of :mod:`scenario`.

A path names mapping keys and, inside a list of named items, an item by its ``name``:
``parts.ssd.life.shape`` is ``raw["parts"][i]["life"]["shape"]`` for the part named ``ssd``
(a plain index, ``parts.0``, also works). This is the one engine for that syntax:
:func:`get_value` reads, :func:`set_value` writes (copy-on-write, checked against the schema),
:func:`readable_path` names list items, :func:`describe_loc` turns a pydantic error location
into such a path.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, Tag
from pydantic.fields import FieldInfo

from warrantysim.scenario.schema import Scenario

MISSING: Any = object()


class PathError(ValueError):
    """A dotted path that leads nowhere; ``path`` is as far as it got, plus the bad step."""

    def __init__(self, path: Sequence[str], message: str) -> None:
        super().__init__(message)
        self.path = tuple(path)
        self.message = message


@dataclass(frozen=True)
class Node:
    """A place in the scenario: its type (Annotated, Optional stripped), constraints, raw value."""

    ann: Any
    metadata: tuple[Any, ...] = ()
    raw: Any = MISSING
    fields: Mapping[str, FieldInfo] = field(default_factory=dict)


def parse_path(text: str) -> tuple[str, ...]:
    segments = tuple(text.split("."))
    if not text or any(not s.strip() for s in segments):
        raise PathError((), f"expected a dotted path like parts.ssd.life.shape, got {text!r}")
    return segments


def format_path(segments: Sequence[object]) -> str:
    return ".".join(str(s) for s in segments)


def root(raw: Any) -> Node:
    return node_for(Scenario, (), raw)


def node_for(ann: Any, metadata: Sequence[Any], raw: Any) -> Node:
    """Strip Annotated[...] (keeping its constraints) and Optional[...] from an annotation."""
    meta = list(metadata)
    while True:
        origin = get_origin(ann)
        if origin is Annotated:
            ann, *extra = get_args(ann)
            meta += _constraints(extra)
        elif _is_union(ann) and len(_members(ann)) == 1:
            ann = _members(ann)[0]
        else:
            break
    fields = _model_fields(ann)
    return Node(ann, tuple(meta), raw, fields)


def _constraints(extra: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    for item in extra:
        out += list(item.metadata) if isinstance(item, FieldInfo) else [item]
    return out


def _is_union(ann: Any) -> bool:
    return get_origin(ann) in (Union, types.UnionType)


def _members(ann: Any) -> list[Any]:
    return [a for a in get_args(ann) if a is not type(None)]


def _model_fields(ann: Any) -> dict[str, FieldInfo]:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return {f.alias or name: f for name, f in ann.model_fields.items()}
    return {}


def is_model_union(node: Node) -> bool:
    """A tagged union of models (``stocking``): the raw ``policy`` picks the member."""
    return _is_union(node.ann) and all(_model_fields(m) for m in _members(node.ann))


def tag_field(node: Node) -> str:
    """The name of the ``Literal`` field that tells a model union's members apart."""
    for member in _members(node.ann):
        for name, f in member.model_fields.items():
            if get_origin(f.annotation) is Literal:
                return str(f.alias or name)
    return "policy"


def _shaped_member(node: Node) -> Node | None:
    """In a union of a number and models chosen by the value's shape (a time: ``21`` or
    ``{dist: gamma, ...}``), the member a mapping goes to."""
    if not isinstance(node.raw, dict):
        return None
    for member in _members(node.ann):
        inner = node_for(member, (), node.raw)
        if inner.fields or is_model_union(inner):
            return inner
    return None


def _tagged_member(node: Node, segment: str | int) -> Node | None:
    """The member of a union with a callable discriminator that pydantic's ``Tag`` names."""
    for member in _members(node.ann):
        if get_origin(member) is Annotated:
            tags = [m.tag for m in get_args(member)[1:] if isinstance(m, Tag)]
            if segment in tags:
                return node_for(member, (), node.raw)
    return None


def union_tags(node: Node) -> dict[str, Any]:
    """Tag value -> member model, read from each member's ``Literal`` tag field."""
    tags: dict[str, Any] = {}
    for member in _members(node.ann):
        for f in member.model_fields.values():
            if get_origin(f.annotation) is Literal:
                tags.update(dict.fromkeys(get_args(f.annotation), member))
    return tags


def pick_member(node: Node, tag: object) -> Node | None:
    member = union_tags(node).get(tag) if isinstance(tag, str) else None
    return None if member is None else node_for(member, (), node.raw)


def child(node: Node, segment: str | int) -> Node:
    """The node one step down; raises PathError when the step does not exist."""
    if _is_union(node.ann) and not is_model_union(node):
        node = _shaped_member(node) or node
    if is_model_union(node):
        key = tag_field(node)
        tag = node.raw.get(key) if isinstance(node.raw, dict) else None
        member = pick_member(node, tag)
        if member is None:
            raise PathError((), f"cannot go inside: its {key!r} is missing or unknown")
        node = member
    if node.fields:
        return _field_child(node, str(segment))
    origin = get_origin(node.ann)
    if origin is list:
        return _item_child(node, segment)
    if origin is dict:
        raw = node.raw.get(segment, MISSING) if isinstance(node.raw, dict) else MISSING
        return node_for(get_args(node.ann)[1], (), raw)
    raise PathError((), f"is a single value; {str(segment)!r} cannot be inside it")


def _field_child(node: Node, key: str) -> Node:
    info = node.fields.get(key)
    if info is None:
        raise PathError((key,), unknown_key_message(key, node.fields))
    raw = node.raw.get(key, MISSING) if isinstance(node.raw, dict) else MISSING
    return node_for(info.annotation, info.metadata, raw)


def unknown_key_message(key: object, known: Sequence[str] | Mapping[str, object]) -> str:
    close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key {key!r}{hint}"


def _item_child(node: Node, segment: str | int) -> Node:
    items = node.raw if isinstance(node.raw, list) else []
    index = find_item(items, segment)
    if index is None:
        names = [n for n in map(item_name, items) if n is not None]
        close = difflib.get_close_matches(str(segment), names, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"have: {', '.join(names) or 'none'}"
        raise PathError((str(segment),), f"no item named {str(segment)!r} ({hint})")
    return node_for(get_args(node.ann)[0], (), items[index])


def item_name(item: object) -> str | None:
    name = item.get("name") if isinstance(item, dict) else None
    return name if isinstance(name, str) else None


def find_item(items: Sequence[Any], segment: str | int) -> int | None:
    """The index of the item named ``segment``; a number not used as a name is an index."""
    for i, item in enumerate(items):
        if item_name(item) == str(segment):
            return i
    text = str(segment)
    if text.isascii() and text.isdigit() and int(text) < len(items):  # not "²"
        return int(text)
    return None


def get_value(raw: Any, path: Sequence[str]) -> Any:
    """The raw value at ``path``; PathError (as far as it got) when there is none."""
    node = raw
    for depth, segment in enumerate(path):
        key = _key(node, segment)
        if key is None:
            raise PathError(path[: depth + 1], f"the scenario has no value at {segment!r}")
        node = node[key]
    return node


def readable_path(raw: Any, path: Sequence[str]) -> tuple[str, ...]:
    """``path`` with list indices given as item names, as error messages show them."""
    out, node = [], raw
    for segment in path:
        key = _key(node, segment)
        node = node[key] if key is not None else None
        named = item_name(node) if isinstance(key, int) else None
        out.append(named or segment)
    return tuple(out)


def _key(container: Any, segment: str) -> str | int | None:
    """Where ``segment`` is in ``container``: a list index, a mapping key, or None."""
    if isinstance(container, list):
        return find_item(container, segment)
    if isinstance(container, Mapping) and segment in container:
        return segment
    return None


def set_value(raw: Mapping[str, Any], path: Sequence[str], value: object) -> dict[str, Any]:
    """``raw`` with the value at ``path`` replaced, copy-on-write: only the containers on the
    way are copied, the rest is shared. Every step must exist in the schema.

    Missing mappings on the way are created (``simulation.horizon_months`` when the file has no
    ``simulation:``); list items must exist, and so must dict keys except the last.
    """
    out: dict[str, Any] = _set(raw, root(raw), tuple(path), 0, value)
    return out


def _set(container: Any, node: Node, path: tuple[str, ...], depth: int, value: object) -> Any:
    segment, last = path[depth], depth == len(path) - 1
    try:
        step = _checked_step(node, segment, last)
    except PathError as e:
        raise PathError((*path[:depth], *e.path[:1]), e.message) from None
    if last:
        return _replaced(container, segment, value)
    key = _key(container, segment)
    current = container[key] if key is not None else None
    if not isinstance(current, dict | list):
        current = {}
    inner = _set(current, node_for(step.ann, step.metadata, current), path, depth + 1, value)
    return _replaced(container, segment, inner)


def _checked_step(node: Node, segment: str, last: bool) -> Node:
    nxt = child(node, segment)
    if get_origin(node.ann) is dict and nxt.raw is MISSING and not last:
        known = ", ".join(node.raw) if isinstance(node.raw, dict) else "none"
        raise PathError((segment,), f"no entry named {segment!r} (have: {known})")
    return nxt


def _replaced(container: Any, segment: str, value: object) -> Any:
    """A shallow copy of ``container`` with ``segment`` (an item name or a key) set."""
    if isinstance(container, list):
        index = find_item(container, segment)
        assert index is not None  # _checked_step found it
        items = list(container)
        items[index] = value
        return items
    out = dict(container)
    out[segment] = value
    return out


def describe_loc(loc: Sequence[str | int], raw: Any) -> tuple[list[str], list[Node]]:
    """A pydantic location as user path segments (items by name, union tags dropped), and nodes.

    ``nodes[i]`` is the node reached after ``i`` of its segments (``nodes[0]`` is the root).
    """
    node = root(raw)
    path: list[str] = []
    nodes = [node]
    for segment in loc:
        member = _tagged_member(node, segment) if _is_union(node.ann) else None
        if member is not None:  # a shape tag ("dist"): the member stands for the field
            node = nodes[-1] = member
            continue
        node, shown = _loc_step(node, segment)
        if shown is not None:
            path.append(shown)
            nodes.append(node)
    return path, nodes


def _loc_step(node: Node, segment: str | int) -> tuple[Node, str | None]:
    if is_model_union(node):
        member = pick_member(node, segment)
        return (member, None) if member is not None else (node, str(segment))
    if _is_union(node.ann):
        return node, None  # a scalar union's member tag, e.g. 'constrained-int'
    try:
        nxt = child(node, segment)
    except PathError:
        return node_for(Any, (), MISSING), str(segment)
    shown = item_name(nxt.raw) if get_origin(node.ann) is list else None
    return nxt, shown or str(segment)
