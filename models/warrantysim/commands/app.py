"""Serve the workbench dashboard in the browser with Voila, on 127.0.0.1, fully offline.

Opens nothing by itself: point a browser at the printed address. The page shows the workbench
notebook's widgets (no code); each browser tab gets its own kernel (about 7 s to start).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from warrantysim.commands import UsageError

HELP = "serve the workbench dashboard (Voila) on 127.0.0.1"
DEFAULT_PORT = 8866


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--notebook",
        type=Path,
        help="notebook to serve, py:percent or .ipynb (default notebooks/workbench.py)",
    )


def run(args: argparse.Namespace) -> int:
    from warrantysim.workbench import app

    if args.notebook is not None and not args.notebook.is_file():
        raise UsageError(f"no such notebook: {args.notebook}")
    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be between 1 and 65535, got {args.port}")
    return app.serve(args.port, args.notebook)
