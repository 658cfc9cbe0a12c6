"""The Python API: a scenario in, aligned tables out (a row per replication, month or year).

``simulate`` runs replications one after another in this process; ``warrantysim.experiments``
spreads the same ``run_one`` over processes or a Dask cluster. Replication r of seed s draws
from streams keyed by (s, r, name): two scenarios run with the same (s, r) share common random
numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from warrantysim.accounting import account, postings_table
from warrantysim.accounting.pricing import unit_price
from warrantysim.scenario import Scenario
from warrantysim.sim.eventlog import EventLog
from warrantysim.sim.key import simulation_key
from warrantysim.sim.model import run_replication
from warrantysim.sim.physical import monthly_parts, monthly_physical, physical_kpis
from warrantysim.sim.stocking import StockPlan, plan_stock
from warrantysim.stats import summary_table

CAS_STATEMENTS = ("income_statement", "balance_sheet", "cash_flow")


@dataclass(frozen=True)
class ReplicationTables:
    """One replication's outcomes."""

    kpis: dict[str, float]
    monthly: pd.DataFrame
    annual: pd.DataFrame
    parts: pd.DataFrame
    """A row per (part, month): claims, stock, waits, turnaround, technician utilisation."""
    journal: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Every posting (``accounting.postings_table``) when asked for; empty otherwise."""
    statements: dict[str, pd.DataFrame] = field(default_factory=dict)
    """The CAS statements (``accounting.cas``): income_statement, balance_sheet, cash_flow."""


@dataclass(frozen=True)
class Results:
    """Outcomes of several replications of one scenario; each table has a ``replication`` column."""

    scenario: Scenario
    seed: int
    kpis: pd.DataFrame
    monthly: pd.DataFrame
    annual: pd.DataFrame
    parts: pd.DataFrame = field(default_factory=pd.DataFrame)
    """A row per replication, part and month (``sim.physical.monthly_parts``); empty where the
    results came through ``experiments`` (its stores keep kpis, monthly and annual)."""
    journal: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Every posting of every replication when ``simulate(..., journal=True)``; else empty."""
    income_statement: pd.DataFrame = field(default_factory=pd.DataFrame)
    """利润表, a row per replication and month and per replication and fiscal year."""
    balance_sheet: pd.DataFrame = field(default_factory=pd.DataFrame)
    """资产负债表 at month and fiscal-year ends."""
    cash_flow: pd.DataFrame = field(default_factory=pd.DataFrame)
    """现金流量表 (direct method) with its indirect reconciliation (补充资料)."""

    def summary(self, confidence: float = 0.95) -> pd.DataFrame:
        """Mean of each KPI across replications with a Student-t confidence interval."""
        return summary_table(self.kpis.drop(columns="replication"), confidence)


@dataclass(frozen=True)
class Prepared:
    """What every replication of a scenario shares: the price and the stocking plan."""

    price: float
    plan: StockPlan


def prepare(scenario: Scenario) -> Prepared:
    """Price and stocking plan (renewal theory, Palm), each cached by what it reads: the price
    by the whole scenario (cost-plus reads costs and terms), the plan by the physical fields and
    the price only (:func:`~warrantysim.sim.key.simulation_key`), so an accounting or chargeback
    change reuses the plan."""
    price = _price_cached(scenario.model_dump_json())
    key = simulation_key(scenario, price)
    plan = _PLANS.get(key)
    if plan is None:
        plan = plan_stock(scenario, price)
        _PLANS[key] = plan
        while len(_PLANS) > PLANS_KEPT:
            _PLANS.pop(next(iter(_PLANS)))  # the oldest (dicts keep insertion order)
    return Prepared(price, plan)


PLANS_KEPT = 64
_PLANS: dict[str, StockPlan] = {}


@lru_cache(maxsize=64)
def _price_cached(scenario_json: str) -> float:
    return unit_price(Scenario.model_validate_json(scenario_json))


def run_one(
    scenario: Scenario, seed: int, replication: int = 0, *, journal: bool = False
) -> ReplicationTables:
    """Simulate, book and report one replication (with its postings if ``journal``)."""
    prepared = prepare(scenario)
    log = run_replication(scenario, seed, replication, price=prepared.price, plan=prepared.plan)
    return tables_from_log(log, scenario, prepared.price, journal=journal)


@dataclass(frozen=True)
class Physical:
    """What the tables read of a log alone (and of the service's target): the same for every
    booking of that log, so one that is booked again may keep it (:func:`physical_of`)."""

    monthly: pd.DataFrame
    """``sim.physical.monthly_physical``."""
    kpis: dict[str, float]
    """``sim.physical.physical_kpis``."""


def physical_of(log: EventLog, scenario: Scenario) -> Physical:
    """The physical counts and service KPIs of ``log``, simulated under ``scenario``."""
    return Physical(monthly_physical(log), physical_kpis(log, scenario.service))


def tables_from_log(
    log: EventLog,
    scenario: Scenario,
    price: float,
    *,
    journal: bool = False,
    parts: bool = True,
    physical: Physical | None = None,
) -> ReplicationTables:
    """The physical counts and the books of one event log, aligned by month and fiscal year;
    without ``parts`` the per-part table (``monthly_parts``, a fifth of the booking's time) is
    left empty, for callers that never read it (the workbench's workers); ``physical``: this
    log's :func:`physical_of`, when the caller kept it."""
    books = account(log, scenario, price)
    counts = physical_of(log, scenario) if physical is None else physical
    physical_frame = counts.monthly
    monthly = books.monthly.merge(physical_frame, on="month", how="left", validate="one_to_one")
    annual_physical = (
        physical_frame[["units_sold", "claims", "claims_filled_from_stock"]]
        .groupby(books.monthly["fiscal_year"].to_numpy())
        .sum()
        .rename_axis("fiscal_year")
        .reset_index()
    )
    annual = books.annual.merge(
        annual_physical, on="fiscal_year", how="left", validate="one_to_one"
    )
    kpis = {**counts.kpis, **books.kpis}
    postings = postings_table(books.ledger) if journal else pd.DataFrame()
    by_part = monthly_parts(log) if parts else pd.DataFrame()
    return ReplicationTables(kpis, monthly, annual, by_part, postings, books.cas_statements())


def simulate(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    *,
    journal: bool = False,
) -> Results:
    """Run ``replications`` (default: the scenario's) replications from ``seed`` (likewise);
    ``journal``: keep every posting too (``Results.journal``)."""
    n = scenario.simulation.replications if replications is None else replications
    base_seed = scenario.simulation.seed if seed is None else seed
    if n < 1:
        raise ValueError(f"replications must be >= 1, got {n}")
    return results_from_tables(
        scenario, base_seed, [run_one(scenario, base_seed, r, journal=journal) for r in range(n)]
    )


def results_from_tables(scenario: Scenario, seed: int, runs: list[ReplicationTables]) -> Results:
    """Replications 0, 1, ... of one scenario stacked into :class:`Results`."""
    return Results(
        scenario=scenario,
        seed=seed,
        kpis=pd.DataFrame([{"replication": r, **run.kpis} for r, run in enumerate(runs)]),
        monthly=stack_replications([run.monthly for run in runs]),
        annual=stack_replications([run.annual for run in runs]),
        parts=stack_replications([run.parts for run in runs]),
        journal=stack_replications([run.journal for run in runs]),
        **{
            name: stack_replications([run.statements[name] for run in runs])
            for name in CAS_STATEMENTS
        },
    )


def stack_replications(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Per-replication tables (replication 0, 1, ...) as one, with a ``replication`` column."""
    framed = [t.assign(replication=r) for r, t in enumerate(tables)]
    stacked = pd.concat(framed, ignore_index=True)
    return stacked[["replication", *[c for c in stacked.columns if c != "replication"]]]
