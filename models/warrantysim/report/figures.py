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
from warrantysim.accounting import cas
from warrantysim.headline import HEADLINE_KPIS
from warrantysim.report import tables
from warrantysim.report.i18n import DEFAULT_LABELS, Labels
from warrantysim.report.policies import PolicyInfo, display_names


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
STATEMENT_TABLES = ("income_statement", "balance_sheet", "cash_flow")
"""The CAS statements (利润表, 资产负债表, 现金流量表) a run writes beside its frames."""


@dataclass(frozen=True)
class PolicyResults:
    """Results of several policies, stacked with a ``policy`` column; the first is the base."""

    kpis: pd.DataFrame
    monthly: pd.DataFrame
    annual: pd.DataFrame
    descriptions: Mapping[str, str] = field(default_factory=dict)
    infos: Mapping[str, PolicyInfo] = field(default_factory=dict)
    """Names in Chinese and the resolved scenario of each policy, where known."""
    statements: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    """CAS statements by table name (``income_statement``, ...), stacked like the frames."""

    @classmethod
    def of(
        cls,
        results: Mapping[str, ResultFrames],
        descriptions: Mapping[str, str] | None = None,
        infos: Mapping[str, PolicyInfo] | None = None,
    ) -> PolicyResults:
        statements = {
            name: tables.stack({k: getattr(r, name) for k, r in results.items()})
            for name in STATEMENT_TABLES
            if all(_has_rows(getattr(r, name, None)) for r in results.values())
        }
        return cls(
            kpis=tables.stack({k: r.kpis for k, r in results.items()}),
            monthly=tables.stack({k: r.monthly for k, r in results.items()}),
            annual=tables.stack({k: r.annual for k, r in results.items()}),
            descriptions=dict(descriptions or {}),
            infos=dict(infos or {}),
            statements=statements,
        )

    @classmethod
    def from_experiment(
        cls,
        result: ExperimentFrames,
        descriptions: Mapping[str, str] | None = None,
        infos: Mapping[str, PolicyInfo] | None = None,
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
            infos=dict(infos or {}),
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

    def statement(self, name: str) -> pd.DataFrame | None:
        """The CAS statement ``name`` of every policy and replication: as the runs wrote it, or
        (利润表, 资产负债表, which need no journal) derived from the monthly frame; None for a
        cash-flow statement the runs did not keep."""
        if name in self.statements:
            return self.statements[name]
        derive = {"income_statement": cas.income_statement, "balance_sheet": cas.balance_sheet}
        if name not in derive:
            return None
        parts = []
        groups = self.monthly.groupby([tables.POLICY, REPLICATION], observed=True, sort=True)
        for key, rows in groups:
            policy, replication = key
            # only the numbers: a workbench comparison's frames also carry text columns
            table = derive[name](rows.select_dtypes(include="number").reset_index(drop=True))
            parts.append(
                table.assign(policy=str(policy), replication=str(replication)).astype(
                    {REPLICATION: int}
                )
            )
        out = pd.concat(parts, ignore_index=True)
        out[tables.POLICY] = pd.Categorical(out[tables.POLICY], self.policies, ordered=True)
        return out

    @property
    def start(self) -> str | None:
        """The base scenario's ``simulation.start`` (calendar labels), where known."""
        info = self.infos.get(self.base)
        simulation = info.scenario.get("simulation") if info else None
        return simulation.get("start") if isinstance(simulation, Mapping) else None

    def renamed(self, names: Mapping[str, str]) -> PolicyResults:
        """The same results with policy ``p`` called ``names[p]`` (order and base kept)."""
        order = [names.get(p, p) for p in self.policies]

        def rename(frame: pd.DataFrame) -> pd.DataFrame:
            column = frame[tables.POLICY].astype(str).map(lambda p: names.get(p, p))
            return frame.assign(**{tables.POLICY: pd.Categorical(column, order, ordered=True)})

        return PolicyResults(
            kpis=rename(self.kpis),
            monthly=rename(self.monthly),
            annual=rename(self.annual),
            descriptions={names.get(k, k): v for k, v in self.descriptions.items()},
            infos={names.get(k, k): v for k, v in self.infos.items()},
            statements={k: rename(v) for k, v in self.statements.items()},
        )

    def with_base(self, base: str) -> PolicyResults:
        """The same results with ``base`` first (the base of every difference and report)."""
        order = [base, *(p for p in self.policies if p != base)]

        def reorder(frame: pd.DataFrame) -> pd.DataFrame:
            if frame.empty:
                return frame
            column = frame[tables.POLICY].cat.reorder_categories(order, ordered=True)
            return frame.assign(**{tables.POLICY: column})

        return PolicyResults(
            kpis=reorder(self.kpis),
            monthly=reorder(self.monthly),
            annual=reorder(self.annual),
            descriptions=self.descriptions,
            infos=self.infos,
            statements={k: reorder(v) for k, v in self.statements.items()},
        )

    def localised(self, labels: Labels) -> tuple[PolicyResults, list[str]]:
        """Policies named and described in ``labels``' language; warnings for fallbacks."""
        names, warnings = display_names(self.policies, self.infos, labels)
        texts = {
            p: self.infos[p].text(labels.lang) if p in self.infos else self.descriptions.get(p, "")
            for p in self.policies
        }
        missing = [
            p for p in self.policies if p in self.infos and self.infos[p].description
            and labels.lang.value == "zh" and not self.infos[p].description_zh
        ]  # fmt: skip
        warnings += [f"{p}: no description_zh; the English description is shown" for p in missing]
        described = PolicyResults(
            self.kpis, self.monthly, self.annual, texts, self.infos, self.statements
        )
        return described.renamed(names), warnings


def _has_rows(frame: object) -> bool:
    return isinstance(frame, pd.DataFrame) and not frame.empty


ChartSpec = alt.TopLevelMixin
FIGURE_NAMES = (
    "annual_profit",
    "cumulative_profit",
    "cumulative_difference",
    "book_value",
    "writedowns",
    "service",
)
"""Every chart a comparison may have; :func:`figures` leaves out the write-downs when no policy
writes anything down, and the cumulative difference when there is a single policy."""


def figures(
    comparison: PolicyResults, labels: Labels = DEFAULT_LABELS, base: str | None = None
) -> dict[str, Any]:
    """The named charts of a comparison, in the order a reader should see them; differences
    are from ``base`` (default: the comparison's first policy)."""
    c = comparison
    by_year = [tables.POLICY, "fiscal_year"]
    profit_kinds = ["profit", "performance_profit"]
    out: dict[str, Any] = {
        "annual_profit": charts.annual_profit(
            tables.long_mean_ci(c.annual, by_year, profit_kinds), labels
        ),
        "cumulative_profit": charts.cumulative_profit(tables.cumulative_profit(c.monthly), labels),
    }
    if len(c.policies) > 1:
        difference = tables.cumulative_difference(c.monthly, base or c.base)
        out["cumulative_difference"] = charts.cumulative_difference(difference, labels)
    out["book_value"] = charts.book_value(tables.book_value_over_time(c.monthly), labels)
    writedowns = tables.writedowns_by_kind(c.annual)
    if not writedowns.empty:
        out["writedowns"] = charts.writedowns(writedowns, labels)
    out["service"] = charts.service(_service_summary(c), labels)
    return out


def _service_summary(c: PolicyResults) -> pd.DataFrame:
    return tables.long_mean_ci(c.kpis, [tables.POLICY], ["fill_rate", "mean_wait_days"])
