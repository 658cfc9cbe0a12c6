"""Global sensitivity: Morris screening and Sobol indices with SALib, on chosen KPIs.

Sobol: Saltelli's scheme as SALib implements it (``SALib.sample.sobol`` with a scrambled Sobol'
sequence, N a power of two; ``SALib.analyze.sobol``; Saltelli et al. 2010, "Variance based
sensitivity analysis of model output", Comput. Phys. Commun. 181) with bootstrap 95 %
intervals. Morris: elementary effects on a grid of ``levels`` (Morris 1991; μ* of Campolongo
et al. 2007). Each design point runs R replications with the same seeds (common random numbers
across points), and its output is their mean.

When the sample is too small the indices say so: wide intervals, or indices below zero (a
variance share cannot be negative). :func:`sobol_warnings` turns that into plain advice with
the N that would help, from the intervals shrinking as 1/√N.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from warrantysim.atomic import write_atomic
from warrantysim.experiments.design import Parameters, design_from_matrix, design_rng
from warrantysim.experiments.errors import OptionError
from warrantysim.experiments.options import Experiment, RunOptions, check_kpis, planned_session
from warrantysim.experiments.spec import SensitivityMethod, SensitivitySpec
from warrantysim.experiments.store import Table
from warrantysim.experiments.sweep import design_job, load_base
from warrantysim.scenario import Overrides, Scenario

CONFIDENCE = 0.95
WIDE_INTERVAL = 0.1
"""A Sobol index known only to ±0.1 or worse cannot rank parameters reliably."""
NEGATIVE_INDEX = -0.02
"""Estimates of a zero index scatter around zero; clearly below it means too few samples."""
MORRIS_RELATIVE_WIDTH = 0.5
INDICES_FILE = "indices.parquet"


@dataclass(frozen=True)
class SensitivityResult:
    method: SensitivityMethod
    indices: pd.DataFrame
    """A row per (kpi, parameter): S1, S1_conf, ST, ST_conf (Sobol) or mu, mu_star,
    mu_star_conf, sigma (Morris)."""
    warnings: list[str]
    design: pd.DataFrame
    kpis: pd.DataFrame


def problem(parameters: Parameters) -> dict[str, object]:
    """SALib's problem: names and bounds (a list of k values spans [0, k))."""
    return {
        "num_vars": len(parameters),
        "names": list(parameters),
        "bounds": [list(p.bounds) for p in parameters.values()],
    }


def salib_seed(seed: int) -> int:
    return int(design_rng(seed).integers(2**31 - 1))


def sample(spec: SensitivitySpec, seed: int) -> NDArray[np.float64]:
    """SALib's sample matrix for the spec's method, in the parameters' own units."""
    if spec.method is SensitivityMethod.SOBOL:
        return sobol_matrix(spec.parameters, spec.n, seed, spec.second_order)
    from SALib.sample import morris as morris_sample  # SALib: the "experiments" extra

    return np.asarray(
        morris_sample.sample(
            problem(spec.parameters), spec.n, num_levels=spec.levels, seed=salib_seed(seed)
        )
    )


def sobol_matrix(
    parameters: Parameters, n: int, seed: int, second_order: bool = False
) -> NDArray[np.float64]:
    """N(2D+2) rows with second order, N(D+2) without."""
    from SALib.sample import sobol as sobol_sample

    return np.asarray(
        sobol_sample.sample(
            problem(parameters), n, calc_second_order=second_order, seed=salib_seed(seed)
        )
    )


def sobol_indices(
    parameters: Parameters,
    outputs: NDArray[np.float64],
    seed: int,
    second_order: bool = False,
    kpi: str = "y",
) -> pd.DataFrame:
    """First and total indices with bootstrap intervals; S2 columns when asked."""
    from SALib.analyze import sobol as sobol_analyze

    result = sobol_analyze.analyze(
        problem(parameters),
        np.asarray(outputs, dtype=np.float64),
        calc_second_order=second_order,
        conf_level=CONFIDENCE,
        seed=salib_seed(seed),
    )
    table = pd.DataFrame(
        {
            "kpi": kpi,
            "parameter": list(parameters),
            **{k: result[k] for k in ("S1", "S1_conf", "ST", "ST_conf")},
        }
    )
    if second_order:
        for j, name in enumerate(parameters):
            table[f"S2:{name}"] = result["S2"][:, j]
    return table


def morris_indices(
    parameters: Parameters,
    matrix: NDArray[np.float64],
    outputs: NDArray[np.float64],
    levels: int,
    seed: int,
    kpi: str = "y",
) -> pd.DataFrame:
    from SALib.analyze import morris as morris_analyze

    result = morris_analyze.analyze(
        problem(parameters),
        matrix,
        np.asarray(outputs, dtype=np.float64),
        conf_level=CONFIDENCE,
        num_levels=levels,
        seed=salib_seed(seed),
    )
    return pd.DataFrame(
        {
            "kpi": kpi,
            "parameter": list(parameters),
            **{
                k: np.asarray(result[k], dtype=np.float64)
                for k in ("mu", "mu_star", "mu_star_conf", "sigma")
            },
        }
    )


def sensitivity(
    spec: SensitivitySpec, options: RunOptions | None = None, overrides: Overrides = ()
) -> SensitivityResult:
    """Sample, run every point R times (CRN), analyse each KPI of the spec."""
    options = options or RunOptions()
    return run_study(load_base(spec.scenario, spec.set, overrides), spec, options)


def run_study(base: Scenario, spec: SensitivitySpec, options: RunOptions) -> SensitivityResult:
    seed = spec.seed if spec.seed is not None else base.simulation.seed
    reps = spec.replications or 1
    matrix = sample(spec, seed)
    job, design = design_job(
        base, spec.parameters, design_from_matrix(spec.parameters, matrix), seed, options
    )
    check_kpis(spec.kpis, job, spec.label)
    experiment = Experiment(
        "sensitivity", job, {**spec.model_dump(mode="json"), "replications": reps}
    )
    with planned_session(experiment, options, reps, {"design": design}) as session:
        session.run(job)
        kpis = session.table(Table.KPIS)
    means = point_means(kpis, spec.kpis, len(design))
    indices = analyse(spec, matrix, means, seed)
    if options.out is not None:
        write_atomic(Path(options.out) / INDICES_FILE, indices.to_parquet)
    return SensitivityResult(spec.method, indices, warnings_for(spec, indices), design, kpis)


def point_means(kpis: pd.DataFrame, names: Sequence[str], n_points: int) -> pd.DataFrame:
    """Each point's mean over its replications, a row per point in design order."""
    missing = [k for k in names if k not in kpis.columns]
    if missing:
        known = ", ".join(c for c in kpis.columns if c not in {"point", "replication"})
        raise OptionError(f"kpis {', '.join(missing)} are not KPIs of the model; it has: {known}")
    means = kpis.groupby("point", sort=True)[list(names)].mean()
    if len(means) != n_points:
        raise RuntimeError(f"expected {n_points} points of results, got {len(means)}")
    return means


def analyse(
    spec: SensitivitySpec, matrix: NDArray[np.float64], means: pd.DataFrame, seed: int
) -> pd.DataFrame:
    tables = []
    for kpi in spec.kpis:
        y = means[kpi].to_numpy()
        if spec.method is SensitivityMethod.SOBOL:
            tables.append(sobol_indices(spec.parameters, y, seed, spec.second_order, kpi))
        else:
            tables.append(morris_indices(spec.parameters, matrix, y, spec.levels, seed, kpi))
    return pd.concat(tables, ignore_index=True)


def warnings_for(spec: SensitivitySpec, indices: pd.DataFrame) -> list[str]:
    if spec.method is SensitivityMethod.SOBOL:
        return sobol_warnings(indices, spec.n)
    return morris_warnings(indices, spec.n)


def sobol_warnings(indices: pd.DataFrame, n: int) -> list[str]:
    """Plain advice per KPI when its indices are too uncertain to rank the parameters."""
    out = []
    for kpi, rows in indices.groupby("kpi", sort=False):
        widest = float(np.nanmax(rows[["S1_conf", "ST_conf"]].to_numpy()))
        lowest = float(np.nanmin(rows[["S1", "ST"]].to_numpy()))
        if not math.isfinite(widest):
            out.append(
                f"{kpi}: the indices could not be estimated (the KPI hardly varies across "
                "the design, or it is not a number)"
            )
            continue
        problems = []
        if widest > WIDE_INTERVAL:
            problems.append(f"95 % intervals as wide as ±{widest:.2f}")
        if lowest < NEGATIVE_INDEX:
            problems.append(f"an index below zero ({lowest:.2f})")
        if problems:
            better = _power_of_two_at_least(n * max(4.0, (widest / WIDE_INTERVAL) ** 2))
            out.append(
                f"{kpi}: sample too small for trustworthy Sobol indices "
                f"({' and '.join(problems)}); try n: {better} (intervals shrink as 1/√N)"
            )
    return out


def morris_warnings(indices: pd.DataFrame, n: int) -> list[str]:
    out = []
    for kpi, rows in indices.groupby("kpi", sort=False):
        important = rows[rows["mu_star"] >= 0.1 * rows["mu_star"].max()]
        ratio = float((important["mu_star_conf"] / important["mu_star"]).max())
        if math.isfinite(ratio) and ratio > MORRIS_RELATIVE_WIDTH:
            better = math.ceil(n * (ratio / MORRIS_RELATIVE_WIDTH) ** 2)
            out.append(
                f"{kpi}: Morris μ* intervals are wide (±{ratio:.0%} of μ* for an important "
                f"parameter); try n: {better} trajectories"
            )
    return out


def _power_of_two_at_least(x: float) -> int:
    return int(2 ** math.ceil(math.log2(max(x, 2.0))))
