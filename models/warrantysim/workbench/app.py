"""Serve the workbench notebook as a web app with Voila, on 127.0.0.1, with no network needed.

Voila renders the notebook's widgets only (no code) in a kernel of this Python. Nothing is loaded
from a CDN: Voila and the widget managers are served from the installed packages, and the charts
are :class:`~warrantysim.workbench.chartpanel.ChartPanel` widgets whose JavaScript bundles Vega
from vl-convert.
The notebook's py:percent source is converted to ``.ipynb`` in a temporary folder first.

The server is :mod:`warrantysim.workbench.server`: a token, Host and Origin checks, a cap on
kernels and their culling, every kernel stopped on SIGTERM (README, "Security and limits").
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import jupytext
import nbformat

from warrantysim.workbench import (
    CULL_IDLE_SECONDS,
    MAX_KERNELS,
    PREHEATED_KERNELS,
    SCENARIOS_ENV,
    WORKDIR_ENV,
    scenarios_dir,
)
from warrantysim.workbench.server import HOSTS_ENV, TOKEN_ENV

HOST = "127.0.0.1"
NOTEBOOK = "workbench.py"
TEMPLATE = "warrantysim"
JUPYTER_DATA = Path(__file__).parent / "jupyter"
"""Holds ``voila/templates/warrantysim``: lab's template without its CDN stylesheets."""
CULL_INTERVAL_SECONDS = 60
REFILL_DELAY_SECONDS = 10
"""How long after a page takes the preheated kernel the pool starts preheating the next one
(Voila's default is 1 s): preheating (imports, two workers, a first answer) takes both cores
of a small machine, and at 1 s it competes with the page as it loads its widgets, which then
miss updates (anywidget gives a model 2 s to load). A reload or a second page within this
time plus a preheat (about 20 s) waits for it."""


@dataclass(frozen=True)
class Access:
    """Who may drive the app, and how much of the machine it may take."""

    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    """Empty: no token (``--no-token``); anyone who can reach the port drives the app."""
    allow_hosts: tuple[str, ...] = ()
    max_kernels: int = MAX_KERNELS
    cull_idle_seconds: int = CULL_IDLE_SECONDS
    workdir: Path = field(default_factory=Path.cwd)
    """The folder (besides ``scenarios/``) the dashboard may read scenario files from."""
    preheated_kernels: int = PREHEATED_KERNELS
    """Kernels kept running the notebook ahead of the next page (each counts against the cap)."""

    def url(self, port: int) -> str:
        query = f"?token={self.token}" if self.token else ""
        return f"http://{HOST}:{port}/{query}"


def default_notebook() -> Path:
    return scenarios_dir().parent / "notebooks" / NOTEBOOK


def free_port() -> int:
    """A port nobody listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def to_ipynb(source: Path, folder: Path) -> Path:
    """The notebook at ``source`` (py:percent or ipynb) written as ``folder/<stem>.ipynb``."""
    notebook = jupytext.read(source)
    target = folder / f"{source.stem}.ipynb"
    nbformat.write(notebook, target)
    return target


def voila_command(notebook: Path, port: int, access: Access | None = None) -> list[str]:
    access = access or Access()
    manager = "warrantysim.workbench.server.CappedKernelManager"
    return [
        sys.executable,
        "-m",
        "warrantysim.workbench.server",
        str(notebook),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={HOST}",
        "--Voila.port_retries=0",
        f"--template={TEMPLATE}",
        # jupytext's lab extension is for JupyterLab's file browser; under Voila it only fails.
        "--VoilaConfiguration.extension_denylist=jupyterlab-jupytext",
        f"--VoilaConfiguration.multi_kernel_manager_class={manager}",
        f"--CappedKernelManager.max_kernels={access.max_kernels}",
        f"--MappingKernelManager.cull_idle_timeout={access.cull_idle_seconds}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
        "--MappingKernelManager.cull_connected=False",
        # Kernels run the notebook ahead of the next page (up to request_query), if asked.
        *(
            [
                "--VoilaConfiguration.preheat_kernel=True",
                f"--VoilaConfiguration.default_pool_size={access.preheated_kernels}",
                f"--VoilaKernelManager.fill_delay={REFILL_DELAY_SECONDS}",
            ]
            if access.preheated_kernels
            else []
        ),
    ]


def start(
    port: int,
    notebook: Path | None = None,
    folder: Path | None = None,
    *,
    access: Access | None = None,
    new_session: bool = False,
    log: IO[bytes] | None = None,
) -> subprocess.Popen[bytes]:
    """Start Voila in the background; the caller stops it (``new_session``: in its own process
    group, so a test can stop Voila and its kernels together; ``log``: where its output goes,
    e.g. to see when the preheated kernel is ready: ``urlstate.PREHEATED_LINE``)."""
    access = access or Access()
    folder = folder or Path(tempfile.mkdtemp(prefix="warrantysim-app-"))
    ipynb = to_ipynb(notebook or default_notebook(), folder)
    jupyter_path = os.pathsep.join(
        filter(None, [str(JUPYTER_DATA), os.environ.get("JUPYTER_PATH")])
    )
    env = {
        **os.environ,
        SCENARIOS_ENV: str(scenarios_dir().resolve()),
        WORKDIR_ENV: str(access.workdir.resolve()),
        "JUPYTER_PATH": jupyter_path,
        TOKEN_ENV: access.token,  # the environment: other users cannot read it, unlike argv
        HOSTS_ENV: ",".join(access.allow_hosts),
    }
    return subprocess.Popen(
        voila_command(ipynb, port, access),
        cwd=folder,
        env=env,
        start_new_session=new_session,
        stdout=log,
        stderr=log,
    )


def serve(port: int, notebook: Path | None = None, access: Access | None = None) -> int:
    """Run Voila in the foreground until Ctrl-C or SIGTERM (which it passes on); its exit code."""
    access = access or Access()
    with tempfile.TemporaryDirectory(prefix="warrantysim-app-") as folder:
        process = start(port, notebook, Path(folder), access=access)
        print(f"warrantysim app: {access.url(port)} (Ctrl-C stops it)", flush=True)
        previous = signal.signal(signal.SIGTERM, lambda *_: process.terminate())
        try:
            return _wait(process)
        finally:
            signal.signal(signal.SIGTERM, previous)


def _wait(process: subprocess.Popen[bytes]) -> int:
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()  # Voila stops its kernels on SIGTERM (server.py)
        return process.wait()
