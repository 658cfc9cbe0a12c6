"""Experiment specs: the YAML files ``warrantysim sweep`` and ``warrantysim sensitivity`` read.

The format is documented in ``scenarios/README.md`` ("Experiment specs"). A spec names a
scenario file (relative to the spec), optional fixed overrides (``set``), the parameters to
vary as dotted scenario paths, and the design; replications and seed default to the
scenario's ``simulation`` section.
"""

from __future__ import annotations

import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from warrantysim import safe_yaml
from warrantysim.experiments.errors import SpecError

MAX_DESIGN_POINTS = 100_000
"""A design larger than this is a typo (``steps: 100000000``), not a plan: split the study."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Parameter(_Spec):
    """One varied input: a numeric ``range`` [low, high] or a list of ``values``."""

    range: tuple[float, float] | None = None
    values: Annotated[list[Any], Field(min_length=1)] | None = None
    steps: Annotated[int, Field(ge=2)] = 3
    """Grid designs only: points across a range, ends included."""
    integer: bool = False
    """Round each value to the nearest integer (stock levels, months)."""
    relative: bool = False
    """The value multiplies the scenario's own value at this path (0.8..1.2 = ±20 %)."""

    @model_validator(mode="after")
    def _one_kind(self) -> Parameter:
        if (self.range is None) == (self.values is None):
            raise ValueError("give either range: [low, high] or values: [...], not both")
        if self.range is not None and not self.range[0] < self.range[1]:
            raise ValueError(f"range must be [low, high] with low < high, got {list(self.range)}")
        return self

    @property
    def bounds(self) -> tuple[float, float]:
        """The interval samplers draw from; a list of k values maps [0, k) to its items."""
        if self.range is not None:
            return self.range
        assert self.values is not None
        return (0.0, float(len(self.values)))


class DesignKind(StrEnum):
    GRID = "grid"
    RANDOM = "random"
    LHS = "lhs"


class SensitivityMethod(StrEnum):
    SOBOL = "sobol"
    MORRIS = "morris"


class _ExperimentSpec(_Spec):
    scenario: Path
    set: dict[str, Any] = Field(default_factory=dict)
    parameters: Annotated[dict[str, Parameter], Field(min_length=1)]
    replications: Annotated[int, Field(ge=1)] | None = None
    seed: Annotated[int, Field(ge=0)] | None = None
    kpis: list[str] = Field(default_factory=list)
    description: str = ""
    source: Path | None = Field(default=None, exclude=True)
    """The file this spec was read from, for messages (not part of the spec)."""

    @property
    def label(self) -> str:
        return str(self.source) if self.source is not None else "the spec"


class SweepSpec(_ExperimentSpec):
    kind: Literal["sweep"] = "sweep"
    design: DesignKind = DesignKind.GRID
    samples: Annotated[int, Field(ge=1)] | None = None
    """Design points of a random or Latin-hypercube design."""

    @model_validator(mode="after")
    def _samples_when_sampled(self) -> SweepSpec:
        if self.design is not DesignKind.GRID and self.samples is None:
            raise ValueError(f"a {self.design.value} design needs samples: N")
        points = self.points
        if points > MAX_DESIGN_POINTS:
            raise ValueError(
                f"the design has {points:,} points, more than {MAX_DESIGN_POINTS:,}; "
                "fewer steps or samples, or split the sweep"
            )
        return self

    @property
    def points(self) -> int:
        """Design points: the grid's product of levels, or the samples drawn."""
        if self.design is not DesignKind.GRID:
            return self.samples or 0
        return math.prod(len(p.values) if p.values else p.steps for p in self.parameters.values())


class SensitivitySpec(_ExperimentSpec):
    kind: Literal["sensitivity"] = "sensitivity"
    method: SensitivityMethod = SensitivityMethod.SOBOL
    n: Annotated[int, Field(ge=2)]
    """Sobol: the base sample N (a power of two; runs = N(2D+2), or N(D+2) without second
    order). Morris: the number of trajectories (runs = N(D+1))."""
    second_order: bool = False
    levels: Annotated[int, Field(ge=2)] = 4
    """Morris grid levels."""
    kpis: Annotated[list[str], Field(min_length=1)]

    @model_validator(mode="after")
    def _power_of_two(self) -> SensitivitySpec:
        if self.method is SensitivityMethod.SOBOL and not _is_power_of_two(self.n):
            lower = 2 ** int(math.log2(self.n))
            raise ValueError(
                f"Sobol needs n a power of two (Sobol' sequence), e.g. {lower} or {2 * lower}"
            )
        if self.points > MAX_DESIGN_POINTS:
            raise ValueError(
                f"n: {self.n} gives {self.points:,} design points, more than "
                f"{MAX_DESIGN_POINTS:,}; a smaller n, or fewer parameters"
            )
        return self

    @property
    def points(self) -> int:
        """Sobol: N(2D+2), or N(D+2) without second order; Morris: N(D+1) (SALib's samplers)."""
        d = len(self.parameters)
        if self.method is SensitivityMethod.MORRIS:
            return self.n * (d + 1)
        return self.n * (2 * d + 2 if self.second_order else d + 2)


SpecT = TypeVar("SpecT", SweepSpec, SensitivitySpec)


def load_sweep_spec(path: str | Path) -> SweepSpec:
    return _load(Path(path), SweepSpec)


def load_sensitivity_spec(path: str | Path) -> SensitivitySpec:
    return _load(Path(path), SensitivitySpec)


def _load(path: Path, model: type[SpecT]) -> SpecT:
    try:
        data = safe_yaml.load(safe_yaml.read_text(path))
    except safe_yaml.InputError as error:
        raise SpecError(f"{path}: {error}") from None
    if not isinstance(data, dict):
        raise SpecError(f"{path}: a spec is a YAML mapping, got {type(data).__name__}")
    try:
        spec = model.model_validate(data)
    except ValidationError as error:
        raise SpecError(f"{path}: {_first_problem(error)}") from None
    return spec.model_copy(
        update={"scenario": (path.parent / spec.scenario).resolve(), "source": path}
    )


def _first_problem(error: ValidationError) -> str:
    """The first problem as ``path: message`` (one line), and how many more there are."""
    problems = error.errors()
    item = problems[0]
    where = ".".join(str(p) for p in item["loc"]) or "the spec"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    given = f", got {item['input']!r}" if _shows_input(item) else ""
    message = " ".join(item["msg"].removeprefix("Value error, ").split())
    return f"{where}: {message}{given}{more}"


def _shows_input(item: Any) -> bool:
    value = item.get("input")
    return item["type"] != "value_error" and isinstance(value, int | float | str | bool)


def _is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0
