"""Reading the YAML a user hands us (scenario files, experiment specs, ``--set`` values) safely.

A hostile or unlucky file must give one line naming the problem, never eat the machine:

- only regular files are read (a FIFO would block for ever, ``/dev/zero`` never ends), and only
  up to :data:`MAX_FILE_BYTES`;
- a key written twice in one mapping is an error (YAML says keys are unique);
- keys are read as text: under YAML 1.1 the supplier ``no:`` would be the key ``False``;
- ``1e30`` is a number, as in YAML 1.2 (YAML 1.1 wants ``1.0e+30``);
- aliases may not expand a document beyond :data:`MAX_EXPANDED_NODES` nodes (a "billion
  laughs" file is a few hundred bytes that expand to gigabytes), and nesting is bounded by
  :data:`MAX_DEPTH` levels (a self-referencing alias nests for ever).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

__all__ = ["MAX_DEPTH", "MAX_EXPANDED_NODES", "MAX_FILE_BYTES", "InputError", "load", "read_text"]

MAX_FILE_BYTES = 1_000_000
"""Scenario files and specs are a few kilobytes; a megabyte is far more than any needs."""
MAX_EXPANDED_NODES = 100_000
"""Values a document may hold once its aliases are expanded (the baseline has about 300)."""
MAX_DEPTH = 64
"""Levels of nesting (the scenario schema needs 5)."""


class InputError(ValueError):
    """A file or text that cannot be read as YAML input; ``str`` is the reason, one line."""


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of a regular file of at most ``max_bytes`` bytes."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError("no such file") from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}") from None
    _require_regular(info.st_mode)
    # O_NONBLOCK: should the path become a FIFO after the check, open() must not block on it.
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        _require_regular(os.fstat(handle.fileno()).st_mode)
        raw = handle.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise InputError(f"larger than {max_bytes:,} bytes; not a scenario or spec file")
    return _decode(raw)


def _require_regular(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise InputError("is a directory, expected a YAML file")
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        raise InputError(f"is {kind}, not a regular file; expected a YAML file")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte 0x{raw[e.start]:02x} on line {line})") from None


def load(text: str) -> Any:
    """The YAML document in ``text``, with the checks above; :class:`InputError` if refused."""
    try:
        return yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise InputError(f"{where}{e.problem or e.context}") from None
    except yaml.YAMLError as e:
        raise InputError(f"not valid YAML: {' '.join(str(e).split())}") from None
    except RecursionError:
        raise InputError(f"nested deeper than {MAX_DEPTH} levels") from None


class _Loader(yaml.SafeLoader):
    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        _check_size(node)
        return self.construct_document(node)


def _check_size(root: yaml.Node) -> None:
    """Refuse a document too deep or too large once aliases are expanded.

    Sizes are memoised per node, so the check costs the size of the node graph (what was
    written), not of the expansion; a node met again on its own path is a self-reference.
    """
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int, path: set[int]) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if id(node) in path:
            raise _refusal(node, "an alias refers to the value it is part of (a loop)")
        if depth > MAX_DEPTH:
            raise _refusal(node, f"nested deeper than {MAX_DEPTH} levels")
        children = _children(node)
        inner = path | {id(node)}
        total = 1 + sum(size(child, depth + 1, inner) for child in children)
        if total > MAX_EXPANDED_NODES:
            raise _refusal(node, f"expands to more than {MAX_EXPANDED_NODES:,} values (aliases)")
        sizes[id(node)] = total
        return total

    size(root, 0, set())


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _refusal(node: yaml.Node, problem: str) -> yaml.MarkedYAMLError:
    return yaml.constructor.ConstructorError(None, None, problem, node.start_mark)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    written = {id(k) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"}
    loader.flatten_mapping(node)  # `<<: *anchor` keys come first; written ones override them
    first_line: dict[str, int] = {}
    out: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = _key(loader, key_node)
        if id(key_node) in written:
            if key in first_line:
                problem = f"duplicate key {key!r} (first at line {first_line[key] + 1})"
                raise yaml.constructor.ConstructorError(None, None, problem, key_node.start_mark)
            first_line[key] = key_node.start_mark.line
        out[key] = loader.construct_object(value_node, deep=True)
    return out


def _key(loader: _Loader, node: yaml.Node) -> Any:
    """A scalar key as the text written: ``no``, ``on``, ``1`` and ``null`` are names here."""
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    key = loader.construct_object(node, deep=True)
    raise yaml.constructor.ConstructorError(
        None, None, f"a key must be a name, got {type(key).__name__}", node.start_mark
    )


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# YAML 1.1 (PyYAML) needs a dot in a float: `1e30` would be the text "1e30", and a stock level
# of "1e30" a puzzling "expected a whole number". YAML 1.2 reads it as the number it looks like.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)
