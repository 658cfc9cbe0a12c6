"""Many replications of one scenario on every core: ``simulate`` at scale, resumable.

The same numbers as :func:`warrantysim.api.simulate` (replication r of seed s), in the same
:class:`~warrantysim.api.Results`, computed by any executor and optionally stored in a results
directory.
"""

from __future__ import annotations

from warrantysim.api import Results
from warrantysim.experiments.options import Experiment, RunOptions, make_job, planned_session
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
    extra = {"scenarios": {"base": to_raw(scenario)}}
    with planned_session(experiment, options, n, extra) as session:
        session.run(job)
        tables = session.tables(options.tables)
    return Results(
        scenario, base_seed, tables[Table.KPIS], tables[Table.MONTHLY], tables[Table.ANNUAL]
    )
