"""Calibration from the maker's own warranty data: readers (Nevada charts, claim lists, life
tables; CSV or XLSX), censored maximum-likelihood fits with their uncertainty, the model
recommendation, forecasts of returns, and the fitted lives written into a scenario.

It depends only on the scenario schema and the simulation (for exporting simulated claims as
Nevada charts); charts of its diagnostics live in :mod:`warrantysim.charts`.
"""

from __future__ import annotations

from warrantysim.calibration.distributions import ModelKind
from warrantysim.calibration.errors import DataError
from warrantysim.calibration.fitting import (
    DefectiveFitter,
    ExponentialFitter,
    LifeFitter,
    MixtureFitter,
    WeibullFitter,
    fitter,
)
from warrantysim.calibration.lifedata import Grouping, LifeData, life_data
from warrantysim.calibration.load import DataFormat, FieldData, ReadOptions, read_field_data
from warrantysim.calibration.nevada import AgeUnit, Censoring, NevadaChart, read_nevada
from warrantysim.calibration.select import Recommendation, recommend

__all__ = [
    "AgeUnit",
    "Censoring",
    "DataError",
    "DataFormat",
    "DefectiveFitter",
    "ExponentialFitter",
    "FieldData",
    "Grouping",
    "LifeData",
    "LifeFitter",
    "MixtureFitter",
    "ModelKind",
    "NevadaChart",
    "ReadOptions",
    "Recommendation",
    "WeibullFitter",
    "fitter",
    "life_data",
    "read_field_data",
    "read_nevada",
    "recommend",
]
