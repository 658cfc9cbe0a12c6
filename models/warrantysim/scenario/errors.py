"""One short line per problem in a scenario: ``file: path: what was expected, got what``.

Pydantic's errors are translated here: list indices become item names (``parts.ssd``, not
``parts.3``), the member tags of unions disappear (a union's errors merge into one "expected A
or B"), and the wording is for people who write YAML, not Python.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import annotated_types as at
from pydantic import ValidationError

from warrantysim.scenario.paths import MISSING, Node, describe_loc, union_tags, unknown_key_message
from warrantysim.scenario.schema import FieldError


class ScenarioError(ValueError):
    """A broken scenario: the file, the dotted path inside it (may be empty) and what is wrong.

    ``errors`` lists every problem found (this one first); ``str()`` is the first, one line.
    """

    def __init__(
        self, file: str, path: str, message: str, *, more: Sequence[ScenarioError] = ()
    ) -> None:
        super().__init__(message)
        self.file = file
        self.path = path
        self.message = message
        self.errors: list[ScenarioError] = [self, *more]

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.path}: {self.message}"
            if self.path
            else f"{self.file}: {self.message}"
        )

    def lines(self) -> list[str]:
        return [str(e) for e in self.errors]


def show(value: object) -> str:
    """A value as the user wrote it in YAML, shortened."""
    if value is MISSING:
        return "nothing"
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, str):
        text = repr(value)
    elif isinstance(value, dict):
        text = "a mapping"
    elif isinstance(value, list):
        text = f"a list of {len(value)}"
    else:
        text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def translate(
    exc: ValidationError, raw: Mapping[str, Any], origin: Callable[[Sequence[str]], str]
) -> ScenarioError:
    """All of a ValidationError's problems, grouped by path; ``origin`` names the file of a path."""
    groups: dict[tuple[str, ...], list[tuple[dict[str, Any], list[Node]]]] = {}
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        failure = err.get("ctx", {}).get("error")
        if isinstance(failure, FieldError):
            loc += failure.loc
        path, nodes = describe_loc(loc, raw)
        path += _extra_segment(err)
        groups.setdefault(tuple(path), []).append((dict(err), nodes))
    found = [
        ScenarioError(origin(path), ".".join(path), _message(items))
        for path, items in groups.items()
        if not _explained_by_a_typo(path, items, groups)
    ]
    return ScenarioError(found[0].file, found[0].path, found[0].message, more=found[1:])


def _explained_by_a_typo(
    path: tuple[str, ...], items: list[tuple[dict[str, Any], list[Node]]], groups: Mapping[Any, Any]
) -> bool:
    """A missing field that a misspelt key beside it was meant to be (its message says so)."""
    if [e["type"] for e, _ in items] != ["missing"]:
        return False
    for other, other_items in groups.items():
        err, nodes = other_items[0]
        sibling = other[:-1] == path[:-1] and err["type"] == "extra_forbidden"
        if sibling and _suggestion(other[-1], nodes[-2].fields) == path[-1]:
            return True
    return False


def _suggestion(key: str, known: Mapping[str, object]) -> str | None:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return close[0] if close else None


def _extra_segment(err: Mapping[str, Any]) -> list[str]:
    """A tagged union's problem is about its tag field (``stocking.policy``)."""
    if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
        return [err["ctx"]["discriminator"].strip("'")]
    return []


def _message(items: list[tuple[dict[str, Any], list[Node]]]) -> str:
    if len(items) == 1:
        err, nodes = items[0]
        return _single(err, nodes)
    expected = []
    for err, nodes in items:
        wanted = _expectation(err, nodes[-1])
        if wanted and wanted not in expected:
            expected.append(wanted)
    return f"expected {' or '.join(expected)}, got {show(items[0][0]['input'])}"


def _single(err: Mapping[str, Any], nodes: list[Node]) -> str:
    kind = err["type"]
    if kind == "missing":
        return "required field missing"
    if kind == "extra_forbidden":
        key = err["loc"][-1]
        return unknown_key_message(key, nodes[-2].fields if len(nodes) > 1 else {})
    if kind == "union_tag_not_found":
        return f"required field missing (one of {', '.join(union_tags(nodes[-1]))})"
    if kind == "value_error":
        return str(err["ctx"]["error"])
    wanted = _expectation(err, nodes[-1])
    if wanted is None:
        return str(err["msg"])[:1].lower() + str(err["msg"])[1:]
    got = err["ctx"]["tag"] if kind == "union_tag_invalid" else err["input"]
    if kind == "string_type" and isinstance(got, bool):  # `supplier: no` is YAML 1.1's false
        return (
            f"expected {wanted}, got {show(got)} (unquoted no, yes, on, off are booleans: quote it)"
        )
    return f"expected {wanted}, got {show(got)}"


_TYPE_WORDS = {
    "float_parsing": "a number",
    "float_type": "a number",
    "finite_number": "a finite number",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "string_pattern_mismatch": "a name of letters, digits, '_' and '-'",
}


def _expectation(err: Mapping[str, Any], node: Node) -> str | None:
    """What a field wanted, as a noun phrase ("a number from 0 to 1", "one of a, b")."""
    kind, ctx = err["type"], err.get("ctx", {})
    if kind in _TYPE_WORDS:
        return _TYPE_WORDS[kind]
    if kind in ("enum", "literal_error", "union_tag_invalid"):
        options = re.findall(r"'([^']*)'", ctx.get("expected") or ctx.get("expected_tags", ""))
        return f"one of {', '.join(options)}" if len(options) > 1 else f"{ctx['expected']}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return _range(ctx, node)
    if kind == "int_parsing_size":  # beyond any integer type: say what the field allows
        bounded = any(isinstance(c, at.Gt | at.Ge | at.Lt | at.Le) for c in node.metadata)
        return _range({}, node) if bounded else "a whole number (this one is beyond any limit)"
    if kind in ("too_short", "too_long"):
        return _length(ctx, node)
    if kind == "string_too_long":
        return f"at most {ctx['max_length']} characters"
    return None


_SIGNS = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}


def _range(ctx: Mapping[str, Any], node: Node) -> str:
    bounds = {k: v for k, v in ctx.items() if k in _SIGNS}
    for c in node.metadata:
        if isinstance(c, at.Gt | at.Ge | at.Lt | at.Le):
            name = type(c).__name__.lower()
            bounds.setdefault(name, getattr(c, name))
    noun = "a whole number" if all(isinstance(v, int) for v in bounds.values()) else "a number"
    if "ge" in bounds and "le" in bounds:
        return f"{noun} from {_num(bounds['ge'])} to {_num(bounds['le'])}"
    conditions = " and ".join(f"{_SIGNS[k]} {_num(v)}" for k, v in bounds.items())
    return f"{noun} {conditions}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _length(ctx: Mapping[str, Any], node: Node) -> str:
    low, high = ctx.get("min_length"), ctx.get("max_length")
    for c in node.metadata:
        low = c.min_length if isinstance(c, at.MinLen) else low
        high = c.max_length if isinstance(c, at.MaxLen) else high
    if low is not None and low == high:
        return f"a list of exactly {low} items"
    if low is not None:
        return f"a list of at least {low} items"
    return f"a list of at most {high} items"
