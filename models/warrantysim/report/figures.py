"""A comparison of policies and the set of charts every view of it shows.

:class:`PolicyResults` holds the stacked result frames of two or more policies (the first is
the base); :func:`figures` builds the workbench's and the report's charts from it, in one place,
so the app, the notebooks and the exported report always show the same pictures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import altair as alt
import pandas as pd

from warrantysim import charts
from warrantysim.headline import HEADLINE_KPIS
from warrantysim.report import tables
from warrantysim.report.i18n import DEFAULT_LABELS, Labels


class ResultFrames(Protocol):
    """What :func:`warrantysim.api.simulate` returns, or a results directory read back."""

    @property
    def kpis(self) -> pd.DataFrame: ...
    @property
    def monthly(self) -> pd.DataFrame: ...
    @property
    def annual(self) -> pd.DataFrame: ...


class ExperimentFrames(Protocol):
    """``warrantysim.experiments.compare``'s result: every run, a ``scenario`` column."""

    @property
    def scenarios(self) -> list[str]: ...
    @property
    def kpis(self) -> pd.DataFrame: ...
    @property
    def monthly(self) -> pd.DataFrame: ...
    @property
    def annual(self) -> pd.DataFrame: ...


EXPERIMENT_LABELS = ("point", "seed", "scenario", "scenario_hash", "version")
REPLICATION = tables.REPLICATION


@dataclass(frozen=True)
class PolicyResults:
    """Results of several policies, stacked with a ``policy`` column; the first is the base."""

    kpis: pd.DataFrame
    monthly: pd.DataFrame
    annual: pd.DataFrame
    descriptions: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls, results: Mapping[str, ResultFrames], descriptions: Mapping[str, str] | None = None
    ) -> PolicyResults:
        return cls(
            kpis=tables.stack({k: r.kpis for k, r in results.items()}),
            monthly=tables.stack({k: r.monthly for k, r in results.items()}),
            annual=tables.stack({k: r.annual for k, r in results.items()}),
            descriptions=dict(descriptions or {}),
        )

    @classmethod
    def from_experiment(
        cls, result: ExperimentFrames, descriptions: Mapping[str, str] | None = None
    ) -> PolicyResults:
        """From ``experiments.compare``'s result: one table of all runs, keyed by ``scenario``."""

        def split(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
            runs = frame.sort_values(["scenario", REPLICATION])
            drop = [c for c in EXPERIMENT_LABELS if c in runs]
            return {s: runs[runs["scenario"] == s].drop(columns=drop) for s in result.scenarios}

        return cls(
            kpis=tables.stack(split(result.kpis)),
            monthly=tables.stack(split(result.monthly)),
            annual=tables.stack(split(result.annual)),
            descriptions=dict(descriptions or {}),
        )

    @property
    def policies(self) -> list[str]:
        return [str(p) for p in self.kpis[tables.POLICY].cat.categories]

    @property
    def base(self) -> str:
        return self.policies[0]

    @property
    def replications(self) -> int:
        return int(self.kpis.groupby(tables.POLICY, observed=True).size().min())

    def differences(self) -> pd.DataFrame:
        return tables.paired_differences(self.kpis, self.base)

    def kpi_means(self) -> pd.DataFrame:
        kpis = [k for k in HEADLINE_KPIS if k in self.kpis]
        return tables.long_mean_ci(self.kpis, [tables.POLICY], kpis)


ChartSpec = alt.TopLevelMixin
FIGURE_NAMES = ("annual_profit", "cumulative_profit", "book_value", "writedowns", "service")


def figures(comparison: PolicyResults, labels: Labels = DEFAULT_LABELS) -> dict[str, Any]:
    """The named charts of a comparison, in the order a reader should see them."""
    c = comparison
    by_year = [tables.POLICY, "fiscal_year"]
    profit_kinds = ["profit", "performance_profit"]
    return {
        "annual_profit": charts.annual_profit(
            tables.long_mean_ci(c.annual, by_year, profit_kinds), labels
        ),
        "cumulative_profit": charts.cumulative_profit(tables.cumulative_profit(c.monthly), labels),
        "book_value": charts.book_value(tables.book_value_over_time(c.monthly), labels),
        "writedowns": charts.writedowns(tables.writedowns_by_kind(c.annual), labels),
        "service": charts.service(_service_summary(c), labels),
    }


def _service_summary(c: PolicyResults) -> pd.DataFrame:
    return tables.long_mean_ci(c.kpis, [tables.POLICY], ["fill_rate", "mean_wait_days"])
