"""The workbench: ipywidgets levers and Altair charts over a comparison of policies.

Import :class:`Dashboard` from :mod:`warrantysim.workbench.dashboard` (it needs ipywidgets);
:mod:`warrantysim.workbench.levers` and :mod:`~warrantysim.workbench.engine` work without a kernel.
"""

from __future__ import annotations

import os
from pathlib import Path

SCENARIOS_ENV = "WARRANTYSIM_SCENARIOS"
WORKDIR_ENV = "WARRANTYSIM_WORKDIR"
"""The folder ``warrantysim app`` lets the dashboard read scenario files from (besides
``scenarios/``)."""


EXPORTS = "exports"
"""The folder (in the kernel's, the app's folder) the page's exports are written to."""
EXPORTS_LINK = "warrantysim/exports/"
"""Where ``warrantysim app`` serves :data:`EXPORTS`, relative to the page's address."""
MAX_KERNELS = 4
"""Dashboards ``warrantysim app`` serves at once (a kernel is about 500 MB)."""
CULL_IDLE_SECONDS = 600
"""A kernel no browser is connected to is stopped after this long idle."""
PREHEATED_KERNELS = 1
"""Kernels ``warrantysim app --preheat N`` keeps running the notebook ahead of the next page
(its workers warm, its first answer computed), so a page's first chart comes in seconds, not
the ~20 s of running the notebook after the request; each counts against the kernel cap."""


def scenarios_dir() -> Path:
    """The shipped ``scenarios/`` folder: ``$WARRANTYSIM_SCENARIOS``, else the nearest one up."""
    if os.environ.get(SCENARIOS_ENV):
        return Path(os.environ[SCENARIOS_ENV])
    for start in (Path.cwd(), Path(__file__).resolve()):
        for folder in (start, *start.parents):
            if (folder / "scenarios" / "baseline.yaml").is_file():
                return folder / "scenarios"
    raise FileNotFoundError(f"no scenarios/ folder found; set {SCENARIOS_ENV}")


def policy_files(folder: Path | None = None) -> dict[str, Path]:
    """Policy scenario files by name (file stem), ``baseline.yaml`` excluded, status quo first."""
    folder = folder or scenarios_dir()
    paths = sorted(p for p in folder.glob("*.yaml") if p.stem != "baseline")
    paths.sort(key=lambda p: p.stem != "status-quo")
    return {p.stem: p for p in paths}
