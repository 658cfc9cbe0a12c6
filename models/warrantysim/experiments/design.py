"""Designs: which parameter values each design point gets.

A design is a table with one row per point and one column per dotted path. Grid designs take
the product of each parameter's levels; random and Latin-hypercube designs draw points in the
unit cube (LHS: McKay, Beckman & Conover 1979, via ``scipy.stats.qmc``) and map them into each
parameter's bounds. The same mapping turns SALib's samples into points. Every point is then
applied to the base scenario as overrides (``relative`` values multiply the base value).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from warrantysim.experiments.spec import DesignKind, Parameter
from warrantysim.scenario import Scenario, ScenarioError, apply_overrides, get_path
from warrantysim.sim.rng import stream_key

Parameters = Mapping[str, Parameter]


def design_rng(seed: int) -> np.random.Generator:
    """The design's own stream, apart from every simulation stream of the same seed."""
    return np.random.Generator(
        np.random.PCG64(np.random.SeedSequence([seed, stream_key("design")]))
    )


def grid_design(parameters: Parameters) -> pd.DataFrame:
    levels = [grid_levels(p) for p in parameters.values()]
    rows = list(itertools.product(*levels))
    return _table(parameters, rows)


def sampled_design(
    parameters: Parameters, kind: DesignKind, samples: int, seed: int
) -> pd.DataFrame:
    """A random or Latin-hypercube design of ``samples`` points."""
    rng = design_rng(seed)
    if kind is DesignKind.LHS:
        from scipy.stats import qmc  # heavy; only Latin-hypercube designs need it

        unit = qmc.LatinHypercube(d=len(parameters), rng=rng).random(samples)
    elif kind is DesignKind.RANDOM:
        unit = rng.random((samples, len(parameters)))
    else:
        raise ValueError(f"{kind.value} is not a sampled design")
    return design_from_matrix(parameters, scale_unit(parameters, unit))


def make_design(
    parameters: Parameters, kind: DesignKind, samples: int | None, seed: int
) -> pd.DataFrame:
    if kind is DesignKind.GRID:
        return grid_design(parameters)
    if samples is None:
        raise ValueError(f"a {kind.value} design needs a number of samples")
    return sampled_design(parameters, kind, samples, seed)


def grid_levels(parameter: Parameter) -> list[Any]:
    if parameter.values is not None:
        return list(parameter.values)
    low, high = parameter.bounds
    levels = [_number(x, parameter.integer) for x in np.linspace(low, high, parameter.steps)]
    return list(dict.fromkeys(levels))  # rounding to integers may repeat a level


def scale_unit(parameters: Parameters, unit: NDArray[np.float64]) -> NDArray[np.float64]:
    """Map points of [0, 1)^d into each parameter's bounds."""
    low = np.array([p.bounds[0] for p in parameters.values()])
    high = np.array([p.bounds[1] for p in parameters.values()])
    return np.asarray(low + unit * (high - low), dtype=np.float64)


def design_from_matrix(parameters: Parameters, matrix: NDArray[np.float64]) -> pd.DataFrame:
    """A design from points in the parameters' bounds (a sampler's or SALib's matrix)."""
    rows = [
        tuple(_value(p, float(x)) for p, x in zip(parameters.values(), row, strict=True))
        for row in matrix
    ]
    return _table(parameters, rows)


def relative_bases(base: Scenario, parameters: Parameters) -> dict[str, float]:
    """The scenario's own value at each ``relative`` parameter's path."""
    return {path: _base_number(base, path) for path, p in parameters.items() if p.relative}


def point_overrides(
    bases: Mapping[str, float], parameters: Parameters, point: Mapping[str, Any]
) -> dict[str, Any]:
    """The overrides of one design point, with ``relative`` factors turned into values."""
    overrides = {}
    for path, parameter in parameters.items():
        value = point[path]
        if parameter.relative:
            value = _number(bases[path] * float(value), parameter.integer)
        overrides[path] = value
    return overrides


def point_scenarios(base: Scenario, parameters: Parameters, design: pd.DataFrame) -> list[Scenario]:
    bases = relative_bases(base, parameters)
    return [apply_overrides(base, point_overrides(bases, parameters, r)) for r in records(design)]


def records(design: pd.DataFrame) -> list[dict[str, Any]]:
    """The design's points as {path: value} mappings, in point order."""
    return [{str(k): v for k, v in row.items()} for row in design.to_dict(orient="records")]


def _value(parameter: Parameter, x: float) -> Any:
    if parameter.values is not None:
        index = min(max(math.floor(x), 0), len(parameter.values) - 1)
        return parameter.values[index]
    return _number(x, parameter.integer)


def _number(x: float, integer: bool) -> float | int:
    return round(x) if integer else float(x)


def _base_number(base: Scenario, path: str) -> float:
    value = get_path(base, path, "relative parameter")
    if isinstance(value, bool) or not isinstance(value, int | float):
        message = f"relative: true needs a number here, but the scenario has {value!r}"
        raise ScenarioError("relative parameter", path, message)
    return float(value)


def _table(parameters: Parameters, rows: Sequence[tuple[Any, ...]]) -> pd.DataFrame:
    table = pd.DataFrame(list(rows), columns=list(parameters), dtype=object)
    table = table.apply(_tidy_column)
    table.index = pd.RangeIndex(len(table), name="point")
    return table


def _tidy_column(column: pd.Series) -> pd.Series:
    """Numbers as numbers; a column mixing kinds (``auto`` and 300) as text, so Parquet takes it."""
    kinds = {type(v) for v in column}
    if kinds <= {int}:
        return column.astype("int64")
    if kinds <= {int, float}:
        return column.astype("float64")
    if kinds <= {bool}:
        return column.astype(bool)
    if kinds <= {str}:
        return column.astype(str)
    return column
