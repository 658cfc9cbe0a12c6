"""A chart split in two: its spec, a function of its shape only, and its rows, named.

Building an Altair chart and validating its spec costs tens of milliseconds a chart, and the
workbench redraws seven of them on every answer whose numbers, not whose shape, changed. A
:class:`Figure` holds a module-level spec builder, the hashable arguments it takes (``shape``:
the labels, the policies in order, the years, whether there is a cap...) and the datasets the
spec names (``alt.NamedData``). The spec without rows is built once per shape and cached
(:meth:`Figure.template`); a new answer of the same shape only brings new rows, which the
workbench sends into the drawn charts in place (Vega changesets).

The builder sees the shape and nothing else, so a cached spec cannot carry an old answer's
numbers: whatever the rows change must reach the chart through the datasets.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import altair as alt
import pandas as pd
from altair.utils.core import sanitize_pandas_dataframe

SpecBuilder = Callable[..., alt.TopLevelMixin]
"""A module-level function of the shape's items to a chart whose data are ``alt.NamedData``."""


@dataclass(frozen=True)
class Figure:
    """A chart as (spec builder, shape) and its named datasets; ``to_dict`` is its Vega-Lite."""

    spec: SpecBuilder
    shape: tuple[Hashable, ...]
    datasets: Mapping[str, pd.DataFrame]

    def template(self) -> dict[str, Any]:
        """The Vega-Lite spec without rows (shared and cached: do not change it)."""
        return _template(self.spec, self.shape)

    def records(self) -> dict[str, list[dict[str, Any]]]:
        """Each dataset's rows as Vega-Lite reads them (dates as ISO text, NaN as null)."""
        return {name: rows(frame) for name, frame in self.datasets.items()}

    def to_dict(self) -> dict[str, Any]:
        """The whole Vega-Lite spec, rows included (a copy the caller may change)."""
        return with_rows(copy.deepcopy(self.template()), self.records())

    def chart(self) -> alt.TopLevelMixin:
        """The same as an Altair chart (for saving it with Altair's own tools)."""
        return self.spec(*self.shape).properties(datasets=self.records())

    def _repr_mimebundle_(self, *args: Any, **kwargs: Any) -> Any:
        """Shown in a notebook as its chart (with Altair's renderer, e.g. offline SVG)."""
        return self.chart()._repr_mimebundle_(*args, **kwargs)


def with_rows(template: dict[str, Any], records: Mapping[str, Any]) -> dict[str, Any]:
    """A template with the named rows added to the data it holds itself (a zero rule's)."""
    return {**template, "datasets": {**template.get("datasets", {}), **records}}


def rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame as JSON-ready records, as Altair's data transformer would write them."""
    records: list[dict[str, Any]] = sanitize_pandas_dataframe(frame).to_dict("records")  # type: ignore[assignment]  # column names are text
    return records


@lru_cache(maxsize=256)
def _template(spec: SpecBuilder, shape: tuple[Hashable, ...]) -> dict[str, Any]:
    built: dict[str, Any] = spec(*shape).to_dict()
    return built
