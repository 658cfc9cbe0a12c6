"""One entry point for the three field-data formats, as the CLI and the notebook use them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from warrantysim.calibration.claims import read_claims
from warrantysim.calibration.errors import DataError
from warrantysim.calibration.lifedata import LifeData
from warrantysim.calibration.lifetable import read_life_table
from warrantysim.calibration.nevada import (
    AgeUnit,
    Censoring,
    NevadaChart,
    read_nevada,
    to_life_data,
)


class DataFormat(StrEnum):
    NEVADA = "nevada"
    CLAIMS = "claims"
    LIFE = "life"


@dataclass(frozen=True)
class FieldData:
    life: LifeData
    chart: NevadaChart | None
    """The Nevada chart itself (diagnostics and forecasts need it), when the data were one."""


@dataclass(frozen=True)
class ReadOptions:
    part: str
    qty_per_unit: int = 1
    warranty_months: float | None = None
    age_unit: AgeUnit = AgeUnit.MONTHS
    censoring: Censoring = Censoring.EXACT
    sheet: str | None = None
    shipments: Path | None = None
    today: date | None = None


def read_field_data(path: str | Path, data_format: DataFormat, options: ReadOptions) -> FieldData:
    o = options
    if data_format is DataFormat.NEVADA:
        chart = read_nevada(path, sheet=o.sheet, age_unit=o.age_unit, today=o.today)
        return FieldData(to_life_data(chart, o.qty_per_unit, o.warranty_months, o.censoring), chart)
    if data_format is DataFormat.CLAIMS:
        if o.shipments is None:
            raise DataError(str(path), "", "expected --shipments FILE with a claims list")
        life = read_claims(
            path, o.shipments, part=o.part, qty_per_unit=o.qty_per_unit,
            warranty_months=o.warranty_months, sheet=o.sheet, today=o.today,
        )  # fmt: skip
        return FieldData(life, None)
    life = read_life_table(
        path, sheet=o.sheet, age_unit=o.age_unit, warranty_months=o.warranty_months
    )
    return FieldData(life, None)
