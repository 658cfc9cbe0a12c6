"""How a preheated kernel learns which page it serves: a file, not Voila's ``/voila/query``.

Voila hands a preheated kernel its page's request over a websocket, ``/voila/query/<kernel
id>``, that asks for no login (anyone who can reach the port may read any page's request, the
token in its query string included) and that the kernel must reach within 5 s
(``voila.utils.wait_for_request``), else the request is silently lost and a reloaded page comes
up without its view. Here the server writes the request, the token taken out, to
``<folder>/<kernel id>.json`` in a private folder (mode 0700, like the kernels' connection
files, which give far more: the kernel itself) named by :data:`REQUESTS_ENV`, and the kernel
waits for that file. Nothing is served: the websocket route is not registered
(:mod:`warrantysim.workbench.server`).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from warrantysim.atomic import write_json_atomic

REQUESTS_ENV = "WARRANTYSIM_APP_REQUESTS"
"""The private folder the server hands page requests to its kernels through."""
POLL_SECONDS = 0.05
"""How often a waiting kernel looks for its file: a stat call, far below the page's render."""
SECRET_PARAMETERS = ("token",)
"""Query parameters a kernel never receives (the app's login)."""


def without_secrets(query: str) -> str:
    """``query`` (no leading ``?``) without the token."""
    kept = [
        (k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k not in SECRET_PARAMETERS
    ]
    return urlencode(kept)


def url_without_secrets(url: str) -> str:
    """``url`` with the token taken out of its query string."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=without_secrets(parts.query)))


def request_file(folder: Path, kernel_id: str) -> Path:
    if not kernel_id or "/" in kernel_id or kernel_id.startswith("."):
        raise ValueError(f"not a kernel id: {kernel_id!r}")
    return folder / f"{kernel_id}.json"


def give(folder: Path, kernel_id: str, url: str) -> dict[str, str]:
    """Hand the page request ``url`` to kernel ``kernel_id`` (server side); what it will see."""
    clean = url_without_secrets(url)
    request = {"QUERY_STRING": urlsplit(clean).query, "VOILA_REQUEST_URL": clean}
    write_json_atomic(request_file(folder, kernel_id), request)
    return request


def receive(folder: Path, kernel_id: str) -> dict[str, str]:
    """Wait (as long as it takes: a preheated kernel waits for its page) for this kernel's
    request, then remove the file (kernel side)."""
    path = request_file(folder, kernel_id)
    while not path.exists():
        time.sleep(POLL_SECONDS)
    request = json.loads(path.read_text())
    path.unlink(missing_ok=True)
    return {str(k): str(v) for k, v in request.items()}


def folder_from_environment() -> Path | None:
    value = os.environ.get(REQUESTS_ENV)
    return Path(value) if value else None
