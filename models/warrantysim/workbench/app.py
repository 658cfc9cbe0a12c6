"""Serve the workbench notebook as a web app with Voila, on 127.0.0.1, with no network needed.

Voila renders the notebook's widgets only (no code) in a kernel of this Python. Nothing is loaded
from a CDN: Voila and the widget managers are served from the installed packages, and the charts
are ``JupyterChart`` widgets whose JavaScript is the vl-convert bundle (``enable_offline``).
The notebook's py:percent source is converted to ``.ipynb`` in a temporary folder first.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import jupytext
import nbformat

from warrantysim.workbench import SCENARIOS_ENV, scenarios_dir

HOST = "127.0.0.1"
NOTEBOOK = "workbench.py"
TEMPLATE = "warrantysim"
JUPYTER_DATA = Path(__file__).parent / "jupyter"
"""Holds ``voila/templates/warrantysim``: lab's template without its CDN stylesheets."""


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


def voila_command(notebook: Path, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={HOST}",
        "--Voila.port_retries=0",
        f"--template={TEMPLATE}",
        # jupytext's lab extension is for JupyterLab's file browser; under Voila it only fails.
        "--VoilaConfiguration.extension_denylist=jupyterlab-jupytext",
    ]


def start(
    port: int,
    notebook: Path | None = None,
    folder: Path | None = None,
    *,
    new_session: bool = False,
) -> subprocess.Popen[bytes]:
    """Start Voila in the background; the caller stops it (``new_session``: in its own process
    group, so a test can stop Voila and its kernels together)."""
    folder = folder or Path(tempfile.mkdtemp(prefix="warrantysim-app-"))
    ipynb = to_ipynb(notebook or default_notebook(), folder)
    jupyter_path = os.pathsep.join(
        filter(None, [str(JUPYTER_DATA), os.environ.get("JUPYTER_PATH")])
    )
    env = {
        **os.environ,
        SCENARIOS_ENV: str(scenarios_dir().resolve()),
        "JUPYTER_PATH": jupyter_path,
    }
    return subprocess.Popen(
        voila_command(ipynb, port), cwd=folder, env=env, start_new_session=new_session
    )


def serve(port: int, notebook: Path | None = None) -> int:
    """Run Voila in the foreground until interrupted; its exit code."""
    with tempfile.TemporaryDirectory(prefix="warrantysim-app-") as folder:
        process = start(port, notebook, Path(folder))
        print(f"warrantysim app: http://{HOST}:{port}/ (Ctrl-C stops it)", flush=True)
        try:
            return process.wait()
        except KeyboardInterrupt:
            process.terminate()
            return process.wait()
