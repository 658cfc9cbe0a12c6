"""Reading and writing scenario YAML: duplicate keys refused, text that round-trips.

Reading goes through :mod:`warrantysim.safe_yaml` (regular files of bounded size only, keys as
text, aliases and nesting bounded), which experiment specs use too. Errors are
:class:`~warrantysim.scenario.errors.ScenarioError` lines naming the file (``label``) and, for
syntax errors, the line and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from warrantysim import safe_yaml
from warrantysim.scenario.errors import ScenarioError


class Dumper(yaml.SafeDumper):
    """SafeDumper that double-quotes text with Unicode line breaks, which PyYAML's plain and
    single-quoted styles do not read back unchanged (found by the round-trip property test)."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if any(c in text for c in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)


def load_value(text: str, label: str, path: str) -> Any:
    """One ``--set`` value, read as YAML (with :mod:`warrantysim.safe_yaml`'s limits)."""
    try:
        return safe_yaml.load(text)
    except safe_yaml.InputError as e:
        raise ScenarioError(label, path, f"value is not valid YAML: {e}") from None


def read_mapping(path: Path, label: str) -> dict[str, Any]:
    """A YAML file that must hold a mapping of scenario fields: a regular file of at most
    :data:`~warrantysim.safe_yaml.MAX_FILE_BYTES`, keys read as text, aliases bounded."""
    try:
        data = safe_yaml.load(safe_yaml.read_text(path))
    except safe_yaml.InputError as e:
        raise ScenarioError(label, "", str(e)) from None
    if data is None:
        raise ScenarioError(label, "", "file is empty; expected a mapping of scenario fields")
    if not isinstance(data, dict):
        # Never the value itself: this may be any file (`extends: /etc/passwd`).
        kind = "text" if isinstance(data, str) else f"a {type(data).__name__}"
        raise ScenarioError(label, "", f"expected a mapping of scenario fields, got {kind}")
    return data
