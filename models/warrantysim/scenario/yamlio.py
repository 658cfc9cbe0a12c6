"""Reading and writing scenario YAML: duplicate keys refused, text that round-trips.

Errors are :class:`~warrantysim.scenario.errors.ScenarioError` lines naming the file (``label``)
and, for syntax errors, the line and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from warrantysim.scenario.errors import ScenarioError, show


class Dumper(yaml.SafeDumper):
    """SafeDumper that double-quotes text with Unicode line breaks, which PyYAML's plain and
    single-quoted styles do not read back unchanged (found by the round-trip property test)."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if any(c in text for c in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


Dumper.add_representer(str, _represent_str)


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one mapping (YAML says keys are unique)."""


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
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


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)


def load_value(text: str, label: str, path: str) -> Any:
    """One ``--set`` value, read as YAML."""
    try:
        return yaml.load(text, Loader=StrictLoader)
    except yaml.YAMLError as e:
        problem = getattr(e, "problem", None) or "cannot be read"
        raise ScenarioError(label, path, f"value is not valid YAML: {problem}") from None


def read_mapping(path: Path, label: str) -> dict[str, Any]:
    """A YAML file that must hold a mapping of scenario fields."""
    text = _read_text(path, label)
    try:
        data = yaml.load(text, Loader=StrictLoader)
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
