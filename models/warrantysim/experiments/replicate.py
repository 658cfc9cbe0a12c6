"""Many replications of one scenario on every core: ``simulate`` at scale, resumable.

The same numbers as :func:`warrantysim.api.simulate` (replication r of seed s), in the same
:class:`~warrantysim.api.Results`, computed by any executor and optionally stored in a results
directory.
"""

from __future__ import annotations

from warrantysim.api import Results
from warrantysim.experiments.options import (
    Experiment,
    RunOptions,
    chunk_runs,
    make_job,
    open_session,
)
from warrantysim.experiments.runner import plan_chunks
from warrantysim.experiments.store import Table
from warrantysim.experiments.work import Point
from warrantysim.scenario import Scenario, scenario_hash, to_raw


def replicate(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    options: RunOptions | None = None,
) -> Results:
    """Replications 0..n-1 of ``seed`` (defaults: the scenario's ``simulation`` section)."""
    options = options or RunOptions()
    n = replications or scenario.simulation.replications
    base_seed = scenario.simulation.seed if seed is None else seed
    point = Point(0, {}, {"scenario": scenario.name, "scenario_hash": scenario_hash(scenario)})
    job = make_job([scenario], [point], base_seed, options)
    experiment = Experiment("replicate", job, {"replications": n})
    with open_session(options) as session:
        plan = plan_chunks(1, 0, n, chunk_runs(options, session.executor, n))
        session.open(
            experiment.manifest(plan), options.resume, {"scenarios": {"base": to_raw(scenario)}}
        )
        session.run(job)
        tables = session.tables(options.tables)
    return Results(
        scenario, base_seed, tables[Table.KPIS], tables[Table.MONTHLY], tables[Table.ANNUAL]
    )
