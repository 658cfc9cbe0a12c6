"""What a report says about each policy besides its numbers: names, descriptions, its scenario.

A policy is keyed by its scenario ``name`` in the result frames. A Chinese report shows
``title_zh`` instead (and ``description_zh``); where a scenario has none, the English is kept
and :func:`display_names` says so, one warning per policy, so a mixed-language report is never
made silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from warrantysim.report.i18n import Labels, Lang


@dataclass(frozen=True)
class PolicyInfo:
    """A policy's names and its resolved scenario (as plain data, for the appendix)."""

    name: str
    description: str = ""
    title_zh: str | None = None
    description_zh: str | None = None
    scenario: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_scenario(cls, data: Mapping[str, Any], fallback_name: str = "") -> PolicyInfo:
        """From a resolved scenario's mapping (``scenario.yaml``, ``model_dump(mode="json")``)."""
        return cls(
            name=str(data.get("name") or fallback_name),
            description=str(data.get("description") or ""),
            title_zh=_text(data.get("title_zh")),
            description_zh=_text(data.get("description_zh")),
            scenario=dict(data),
        )

    def title(self, lang: Lang) -> str | None:
        """The name to show in ``lang``; None where a Chinese title is wanted and missing."""
        return self.name if lang is Lang.EN else self.title_zh

    def text(self, lang: Lang) -> str:
        if lang is Lang.ZH and self.description_zh:
            return self.description_zh
        return self.description


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def display_names(
    policies: Sequence[str], infos: Mapping[str, PolicyInfo], labels: Labels
) -> tuple[dict[str, str], list[str]]:
    """Each policy's shown name (unique) and the warnings of the ones that fell back to English."""
    names: dict[str, str] = {}
    warnings = []
    for policy in policies:
        info = infos.get(policy, PolicyInfo(policy))
        title = info.title(labels.lang)
        if title is None:
            warnings.append(
                f"{policy}: no title_zh in its scenario; the Chinese report shows its English name"
            )
        names[policy] = _unique(title or policy, set(names.values()))
    return names, warnings


def _unique(name: str, taken: set[str]) -> str:
    n, candidate = 1, name
    while candidate in taken:
        n += 1
        candidate = f"{name} ({n})"
    return candidate
