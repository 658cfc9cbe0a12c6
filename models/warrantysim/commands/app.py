"""Serve the workbench dashboard in the browser with Voila, on 127.0.0.1, fully offline.

Opens nothing by itself: open the printed address, which carries the access token (as Jupyter
does). Only requests naming this machine (localhost, 127.0.0.1, [::1]) in their Host and Origin
are served, unless --allow-host adds a name. The page shows the workbench notebook's widgets (no
code); each browser tab gets its own kernel (about 7 s to start, about 500 MB): at most
--max-kernels run at once, and a kernel no tab is connected to is stopped after
--cull-idle-seconds. The scenario-file box reads files only from scenarios/ and --workdir.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from warrantysim.commands import UsageError, positive_int
from warrantysim.workbench import CULL_IDLE_SECONDS, MAX_KERNELS, PREHEATED_KERNELS

HELP = "serve the workbench dashboard (Voila) on 127.0.0.1, behind a token"
DEFAULT_PORT = 8866
NO_TOKEN_WARNING = (
    "warning: --no-token: any program or user on this machine can drive the dashboard "
    "and read the scenario files it can reach"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--notebook",
        type=Path,
        help="notebook to serve, py:percent or .ipynb (default notebooks/workbench.py)",
    )
    parser.add_argument(
        "--no-token", action="store_true", help="serve without a token (not recommended)"
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer to this Host name, e.g. behind a proxy (repeatable)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path.cwd(),
        help="folder the dashboard may read scenario files from, besides scenarios/ "
        "(default: the current folder)",
    )
    parser.add_argument(
        "--max-kernels",
        type=positive_int,
        default=MAX_KERNELS,
        help=f"dashboards served at once ({MAX_KERNELS})",
    )
    parser.add_argument(
        "--cull-idle-seconds",
        type=positive_int,
        default=CULL_IDLE_SECONDS,
        help=f"stop a kernel no tab is connected to after this long idle ({CULL_IDLE_SECONDS})",
    )
    parser.add_argument(
        "--preheat",
        type=int,
        default=PREHEATED_KERNELS,
        metavar="N",
        help="keep N kernels running the notebook ahead of the next page (workers warm, first "
        "answer computed), so a page, a reload or a shared link shows its first chart in "
        "seconds; each counts against --max-kernels (a page takes it); 0 runs the notebook "
        f"for each page ({PREHEATED_KERNELS})",
    )


def run(args: argparse.Namespace) -> int:
    from warrantysim.workbench import app

    if args.notebook is not None and not args.notebook.is_file():
        raise UsageError(f"no such notebook: {args.notebook}")
    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be between 1 and 65535, got {args.port}")
    if not args.workdir.is_dir():
        raise UsageError(f"--workdir {args.workdir}: not a folder")
    if not 0 <= args.preheat <= args.max_kernels:
        # A preheated kernel is a page's kernel in waiting: all of them may be.
        raise UsageError(f"--preheat must be between 0 and --max-kernels, got {args.preheat}")
    if args.no_token:
        print(NO_TOKEN_WARNING, file=sys.stderr)
    access = app.Access(
        allow_hosts=tuple(args.allow_host),
        max_kernels=args.max_kernels,
        cull_idle_seconds=args.cull_idle_seconds,
        workdir=args.workdir,
        preheated_kernels=args.preheat,
        **({"token": ""} if args.no_token else {}),
    )
    return app.serve(args.port, args.notebook, access)
