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
  signal to the server's process group would not reach them);
- one kernel is kept preheated (the notebook run up to ``request_query``, its workers warm and
  its first answer computed), so a page opens in seconds; the kernels' pool is not counted
  against retirement, and is refilled when a page's kernel ends;
- a preheated kernel gets its page's request (the token taken out) in a private file
  (:mod:`warrantysim.workbench.handoff`): Voila's ``/voila/query/<kernel>`` websocket, which
  asks for no login and carries the token, is not served, and the next pool kernel no longer
  inherits the previous page's address in its environment;
- the files the page exports are served behind the token, from ``exports/`` only;
- a page sets the ``_xsrf`` cookie, so the beacon Voila sends when the page closes or reloads
  passes the XSRF check and stops the page's kernel at once (without it the kernel ran on
  until culled).

Run as ``python -m warrantysim.workbench.server NOTEBOOK [voila options]``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Collection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tornado.ioloop
import tornado.web
import voila.app
import voila.handler
from jupyter_server._tz import utcnow
from jupyter_server.base.handlers import AuthenticatedFileHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import url_path_join
from traitlets import Integer, List, Unicode
from voila.app import Voila
from voila.handler import VoilaHandler
from voila.request_info_handler import RequestInfoSocketHandler
from voila.utils import ENV_VARIABLE
from voila.voila_kernel_manager import voila_kernel_manager_factory

from warrantysim.workbench import EXPORTS, EXPORTS_LINK, handoff

EXPORTS_URL = EXPORTS_LINK.strip("/")
"""The page's exports (charts, reports), served from the app folder's ``exports/``, behind
the token like every page (Voila's own ``/voila/files/`` asks for none)."""
TOKEN_ENV = "WARRANTYSIM_APP_TOKEN"
HOSTS_ENV = "WARRANTYSIM_APP_HOSTS"
"""Extra host names (comma-separated) the server answers to, from ``--allow-host``."""
LOOPBACK_NAMES = ("localhost",)
RETIRE_AFTER_SECONDS = 60.0
"""A kernel idle this long that no browser is connected to may be replaced by a new page: its
page was fetched by something that is not a browser, or its tab was closed (a browser connects
a second or two after its page arrives, and a page takes well under a minute to render). The
preheated kernel waiting for the next page is never retired."""


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
        """Kernels no browser is connected to, idle long enough, oldest first; never the
        preheated ones (:meth:`_reserved`)."""
        now = time.monotonic()
        old = []
        for kernel_id in set(self.list_kernel_ids()) - self._reserved():
            started = self._started.get(kernel_id, 0.0)
            connected = self._kernel_connections.get(kernel_id, 0) > 0
            if (
                not connected
                and min(now - started, self._idle_s(kernel_id)) >= RETIRE_AFTER_SECONDS
            ):
                old.append((started, kernel_id))
        return [kernel_id for _, kernel_id in sorted(old)]

    def _idle_s(self, kernel_id: str) -> float:
        last = getattr(self.get_kernel(kernel_id), "last_activity", None)
        return (utcnow() - last).total_seconds() if last is not None else float("inf")

    def _reserved(self) -> set[str]:
        """Kernels waiting for a page (the preheated pool; see :class:`PreheatedPool`)."""
        return set()


class PreheatedPool:
    """Mixed into Voila's preheating kernel manager (which Voila builds around the configured
    class, so plain subclassing cannot reach it): a pool entry whose kernel could not start
    (at the cap) is dropped instead of failing the next page, the pool is refilled when a
    page's kernel ends, and the pool's kernels are reserved from retirement."""

    _pools: dict[str, list[Any]]
    notebook_path: str | None
    _stopping = False

    def get_pool_size(self, notebook_name: str) -> int:
        pool = self._pools.get(notebook_name, [])
        pool[:] = [t for t in pool if not _failed(t)]
        return len(pool)

    def _reserved(self) -> set[str]:
        tasks = [t for pool in self._pools.values() for t in pool]
        return {t.result()["kernel_id"] for t in tasks if t.done() and not _failed(t)}

    async def get_rendered_notebook(
        self, notebook_name: str, extra_kernel_env_variables: dict[str, str], **kwargs: Any
    ) -> tuple[Any, list[str], str]:
        """A preheated kernel for a page: its request goes to it in a file (:mod:`handoff`).

        Voila passes the page's address as environment for the pool's *next* kernel (which
        would start with this page's URL, token included); it is kept out of that one."""
        extra = dict(extra_kernel_env_variables)
        url = extra.pop(ENV_VARIABLE.VOILA_REQUEST_URL, "")
        rendered: tuple[Any, list[str], str] = await super().get_rendered_notebook(  # type: ignore[misc]
            notebook_name, extra, **kwargs
        )
        handoff.give(_requests_folder(), rendered[2], url)
        return rendered

    async def wait_for_pool(self, notebook_name: str) -> None:
        """Until the pool's first kernel has started. Voila sends a page that comes before that
        (just after the server starts) past the pool, to a kernel of its own: one more
        kernel, and a page that waits for the whole notebook, where the pool's would do."""
        pool = self._pools.get(notebook_name, [])
        if pool and not self.notebook_data.get(notebook_name):  # type: ignore[attr-defined]
            await asyncio.wait([pool[0]])

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        await super().shutdown_kernel(kernel_id, *args, **kwargs)  # type: ignore[misc]
        if not self._stopping and self.notebook_path is not None:
            self.fill_if_needed(notebook_name=self.notebook_path)  # type: ignore[attr-defined]

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:
        self._stopping = True
        await super().shutdown_all(*args, **kwargs)  # type: ignore[misc]


def _requests_folder() -> Path:
    folder = handoff.folder_from_environment()
    if folder is None:
        raise RuntimeError(
            f"{handoff.REQUESTS_ENV} is not set: start the app with `warrantysim app`"
        )
    return folder


class _NoRequestSocket:
    """Stands in for Voila's request websocket where its page handler reports a request: the
    request goes to the kernel through :mod:`handoff` instead, and Voila's stand-by copy of it
    (kept forever for a socket that never comes, token included) is not made."""

    @classmethod
    def send_updates(cls, msg: dict[str, Any]) -> None:
        del msg


def _failed(task: Any) -> bool:
    return bool(task.done() and (task.cancelled() or task.exception() is not None))


def _kernel_manager_factory(base: type, preheat: bool, pool_size: int, **kwargs: Any) -> type:
    made: type = voila_kernel_manager_factory(base, preheat, pool_size, **kwargs)
    return type(made.__name__, (PreheatedPool, made), {}) if preheat else made


class _PageHandler:
    """Mixed into the dashboard page's handler. Once the request is logged in (``prepare``):

    - it sets the ``_xsrf`` cookie, which the page's close-or-reload beacon
      (``/voila/api/shutdown/<kernel>``) must send back;
    - it takes the token out of the request, so no kernel is given it: Voila copies the
      request's query and URL into the kernel's environment (and its workers', started from
      it) or hands them to a preheated kernel."""

    xsrf_token: bytes
    request: Any
    kernel_manager: Any
    notebook_path: str

    async def prepare(self) -> None:
        await super().prepare()  # type: ignore[misc]
        self.xsrf_token  # noqa: B018  # reading it sets the cookie
        _drop_secrets(self.request)
        wait_for_pool = getattr(self.kernel_manager, "wait_for_pool", None)
        if wait_for_pool is not None and self.notebook_path:
            await wait_for_pool(self.notebook_path)


def _drop_secrets(request: Any) -> None:
    request.query = handoff.without_secrets(request.query)
    request.uri = request.path + (f"?{request.query}" if request.query else "")
    for name in handoff.SECRET_PARAMETERS:
        request.query_arguments.pop(name, None)
        request.arguments.pop(name, None)


def _page_handler(handler: tuple[Any, ...]) -> tuple[Any, ...]:
    page = handler[1] if len(handler) > 1 else None
    if isinstance(page, type) and issubclass(page, VoilaHandler):
        return (handler[0], type(page.__name__, (_PageHandler, page), {}), *handler[2:])
    return handler


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
        exports = (
            url_path_join(self.server_url, rf"/{EXPORTS_URL}/(.*)"),
            AuthenticatedFileHandler,
            {"path": os.path.join(self.root_dir, EXPORTS)},
        )
        served = [h for h in self.init_handlers() if h[1] is not RequestInfoSocketHandler]
        handlers = [exports, *(_page_handler(h) for h in served)]
        self.app.add_handlers(".*$", handlers)
        loop = tornado.ioloop.IOLoop.current()
        # SIGTERM ends the loop like Ctrl-C does, so Voila's stop() shuts every kernel down.
        loop.asyncio_loop.add_signal_handler(signal.SIGTERM, loop.stop)  # type: ignore[attr-defined]
        self.listen()


# Voila builds its preheating kernel manager inside Voila.init_settings from this name.
voila.app.voila_kernel_manager_factory = _kernel_manager_factory
# Voila's page handler reports each page's request to this name (handoff.py replaces it).
voila.handler.RequestInfoSocketHandler = _NoRequestSocket


def main(argv: list[str] | None = None) -> None:
    # Taken out of the environment so that the kernels (which inherit it) never see the token.
    token = os.environ.pop(TOKEN_ENV, None)
    names = [n for n in os.environ.pop(HOSTS_ENV, "").split(",") if n]
    if token is None:
        sys.exit(f"{TOKEN_ENV} is not set: start the app with `warrantysim app`")
    # Private (0700), inherited by the kernels: where each preheated one finds its request.
    requests = tempfile.mkdtemp(prefix="warrantysim-requests-")
    os.environ[handoff.REQUESTS_ENV] = requests
    try:
        WorkbenchVoila.launch_instance(
            argv=argv if argv is not None else sys.argv[1:], token=token, extra_names=names
        )
    finally:
        shutil.rmtree(requests, ignore_errors=True)


if __name__ == "__main__":
    main()
