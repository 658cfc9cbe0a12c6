"""Honest editing: what a policy's levers changed from its file, and that change saved as a file.

A policy whose levers differ from the ones its scenario file gives is *modified*: the dashboard
marks its name (:data:`MODIFIED_MARK`) and lists the changed levers. "Save as scenario" writes a
YAML file that ``extends:`` the original and holds exactly the changed fields (the dotted
overrides the levers produce, nested), plus its own ``name``, so the saved policy never passes
itself off as the original; the equivalent ``--set`` line is shown beside it. Loading that file
gives the scenario the dashboard simulated (tested through ``warrantysim run``).
"""

from __future__ import annotations

import dataclasses
import os
import shlex
from pathlib import Path
from typing import Any

from warrantysim.atomic import write_text_atomic
from warrantysim.scenario.yamlio import dump_yaml
from warrantysim.workbench.engine import Policy
from warrantysim.workbench.levers import Levers, stocking_overrides

MODIFIED_MARK = " ✎"


def changed_levers(policy: Policy) -> dict[str, tuple[object, object]]:
    """Lever name → (value in the file, value now), for the levers that moved."""
    start = Levers.of(policy.scenario)
    out: dict[str, tuple[object, object]] = {}
    for field in dataclasses.fields(Levers):
        before, now = getattr(start, field.name), getattr(policy.levers, field.name)
        if before != now:
            out[field.name] = (before, now)
    return out


def is_modified(policy: Policy) -> bool:
    return bool(changed_levers(policy))


def shown_name(name: str, policy: Policy) -> str:
    return name + MODIFIED_MARK if is_modified(policy) else name


def changed_fields(policy: Policy) -> dict[str, object]:
    """The dotted scenario paths (``--set`` form) the levers change, in the order applied."""
    fields = dict(policy.levers.overrides(policy.scenario))
    if policy.levers.stocking_multiplier != 1.0:
        fields |= stocking_overrides(policy.scenario, policy.levers.stocking_multiplier)
    return fields


def set_line(fields: dict[str, object]) -> str:
    """The ``--set`` options that reproduce ``fields`` on the command line."""
    return " ".join(
        f"--set {shlex.quote(f'{path}={_yaml_scalar(v)}')}" for path, v in fields.items()
    )


def _yaml_scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def nested(fields: dict[str, object]) -> dict[str, Any]:
    """``{"a.b": 1}`` → ``{"a": {"b": 1}}``; a mapping under ``parts`` merges into parts by name."""
    out: dict[str, Any] = {}
    for path, value in fields.items():
        *heads, last = path.split(".")
        node = out
        for head in heads:
            node = node.setdefault(head, {})
        node[last] = value
    return out


def scenario_yaml(policy: Policy, source: Path, target: Path, name: str) -> str:
    """The text of a scenario file at ``target`` that extends ``source`` with the changes.

    Its own name, description and Chinese title say it is the original modified (inherited,
    they would pass it off as the original in a report)."""
    parent = os.path.relpath(source.resolve(), target.resolve().parent)
    original = policy.scenario
    changes = ", ".join(changed_fields(policy))
    document: dict[str, Any] = {
        "extends": parent,
        "name": name,
        "description": f"{original.name} modified in the workbench: {changes}",
    }
    if original.title_zh:
        document["title_zh"] = f"{original.title_zh}（修改：{name}）"[:64]
        document["description_zh"] = f"{original.title_zh}在工作台中修改：{changes}"
    return dump_yaml({**document, **nested(changed_fields(policy))})


def save_as_scenario(policy: Policy, source: Path, target: Path) -> Path:
    """Write the modified ``policy`` as ``target`` (named after its stem); returns the path."""
    write_text_atomic(target, scenario_yaml(policy, source, target, target.stem))
    return target
