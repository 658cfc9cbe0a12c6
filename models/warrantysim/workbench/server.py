"""The Voila server ``warrantysim app`` runs: Voila, locked down for a machine shared with others.

Standalone Voila trusts whoever reaches its port: it sets ``allow_remote_access``, which turns
Jupyter's own ``Host`` check off, so any local process, and through DNS rebinding any web page
the user visits, could drive the dashboard. Here:

- every request needs the token (``?token=`` once, then the login cookie), as in Jupyter; the
  token comes in the environment, never on a command line other users can read with ``ps``;
- the ``Host`` and ``Origin`` headers of every request, pages and websockets alike, must name
  this machine's loopback (``localhost``, ``127.0.0.1``, ``[::1]``) or a name given with
  ``--allow-host``; anything else gets 403 before any handler runs;
- at most ``max_kernels`` kernels run (each about 500 MB): a new page first retires kernels no
  browser is connected to, else gets 503; idle unconnected kernels are culled;
- SIGTERM stops every kernel before the server exits (kernels run in their own sessions, so a
  signal to the server's process group would not reach them).

Run as ``python -m warrantysim.workbench.server NOTEBOOK [voila options]``.
"""

from __future__ import annotations

import ipaddress
import os
import re
import signal
import sys
import tempfile
import time
from collections.abc import Collection
from typing import Any
from urllib.parse import urlsplit

import tornado.ioloop
import tornado.web
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Integer, List, Unicode
from voila.app import Voila

TOKEN_ENV = "WARRANTYSIM_APP_TOKEN"
HOSTS_ENV = "WARRANTYSIM_APP_HOSTS"
"""Extra host names (comma-separated) the server answers to, from ``--allow-host``."""
LOOPBACK_NAMES = ("localhost",)
RETIRE_AFTER_SECONDS = 60.0
"""A kernel this old that no browser is connected to may be replaced by a new page: its page
was fetched by something that is not a browser, or its tab was closed (a browser connects a
second or two after its page arrives, and a page takes well under a minute to render)."""


def _host_name(netloc: str) -> str:
    """``example.org:8866`` -> ``example.org``; ``[::1]:8866`` -> ``::1``."""
    match = re.match(r"^(\[[^\]]*\]|[^:]*)(:\d+)?$", netloc.strip())
    host = match.group(1) if match else netloc
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


def host_allowed(netloc: str, extra_names: Collection[str] = ()) -> bool:
    """Whether a ``Host`` value names this machine's loopback or an allowed name."""
    host = _host_name(netloc).lower().rstrip(".")
    if host in LOOPBACK_NAMES or host in {n.lower() for n in extra_names}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refusal(headers: Any, extra_names: Collection[str] = ()) -> str | None:
    """Why a request with these headers is refused (foreign Host or Origin), or None."""
    host = headers.get("Host", "")
    if not host_allowed(host, extra_names):
        return f"refused: Host {host!r} is not this machine (start with --allow-host to add it)"
    origin = headers.get("Origin")
    if origin is not None and not host_allowed(urlsplit(origin).netloc, extra_names):
        return f"refused: Origin {origin!r} is not this machine"
    return None


class _Refused(tornado.web.RequestHandler):
    def initialize(self, reason: str) -> None:
        self.reason = reason

    def prepare(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(self.reason + "\n")


class GuardedApplication(tornado.web.Application):
    """Every request's Host and Origin are checked before routing: no handler can forget it."""

    extra_names: tuple[str, ...] = ()

    def find_handler(self, request: Any, **kwargs: Any) -> Any:
        reason = refusal(request.headers, self.extra_names)
        if reason is not None:
            return self.get_handler_delegate(request, _Refused, {"reason": reason})
        return super().find_handler(request, **kwargs)


class CappedKernelManager(AsyncMappingKernelManager):
    """At most ``max_kernels`` kernels; a new one first retires kernels no browser uses."""

    max_kernels = Integer(4, config=True, help="kernels (dashboards) running at once")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]
        self._started: dict[str, float] = {}

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        for old_id in self._retirable():
            if len(self.list_kernel_ids()) < self.max_kernels:
                break
            self.log.info("retiring kernel %s: no browser is connected to it", old_id)
            await self.shutdown_kernel(old_id)  # type: ignore[no-untyped-call]
        if len(self.list_kernel_ids()) >= self.max_kernels:
            raise tornado.web.HTTPError(
                503,
                reason=f"the workbench serves at most {self.max_kernels} dashboards at once; "
                "close another tab and reload",
            )
        kernel_id: str = await super().start_kernel(*args, **kwargs)
        self._started[kernel_id] = time.monotonic()
        return kernel_id

    def _retirable(self) -> list[str]:
        """Kernels no browser is connected to, started long enough ago, oldest first."""
        now = time.monotonic()
        old = []
        for kernel_id in self.list_kernel_ids():
            started = self._started.get(kernel_id, 0.0)
            connected = self._kernel_connections.get(kernel_id, 0) > 0
            if not connected and now - started >= RETIRE_AFTER_SECONDS:
                old.append((started, kernel_id))
        return [kernel_id for _, kernel_id in sorted(old)]


class WorkbenchVoila(Voila):  # type: ignore[misc]  # Voila is untyped
    """Voila with the guards above; the token and extra host names come from the environment."""

    extra_names = List(Unicode(), config=True)

    def start(self) -> None:
        # Voila.start with one change: the application class (Voila builds it inline).
        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        settings = self.init_settings()
        settings["allow_remote_access"] = False  # Jupyter's own Host check too, where it runs
        settings["local_hostnames"] = [*LOOPBACK_NAMES, *self.extra_names]
        GuardedApplication.extra_names = tuple(self.extra_names)
        self.app = GuardedApplication(**settings)
        self.app.settings.update(self.tornado_settings)
        self.app.add_handlers(".*$", self.init_handlers())
        loop = tornado.ioloop.IOLoop.current()
        # SIGTERM ends the loop like Ctrl-C does, so Voila's stop() shuts every kernel down.
        loop.asyncio_loop.add_signal_handler(signal.SIGTERM, loop.stop)  # type: ignore[attr-defined]
        self.listen()


def main(argv: list[str] | None = None) -> None:
    # Taken out of the environment so that the kernels (which inherit it) never see the token.
    token = os.environ.pop(TOKEN_ENV, None)
    names = [n for n in os.environ.pop(HOSTS_ENV, "").split(",") if n]
    if token is None:
        sys.exit(f"{TOKEN_ENV} is not set: start the app with `warrantysim app`")
    WorkbenchVoila.launch_instance(
        argv=argv if argv is not None else sys.argv[1:], token=token, extra_names=names
    )


if __name__ == "__main__":
    main()
