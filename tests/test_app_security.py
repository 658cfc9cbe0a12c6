"""``warrantysim app`` is driven only by who holds its token, from this machine's names: a real
Voila server, raw HTTP and Debian's chromium via Playwright.

A request without the token gets the login page and starts no kernel; a foreign ``Host`` (what
DNS rebinding sends: chromium maps ``evil.example`` to 127.0.0.1 here) or ``Origin`` is refused
with 403, pages and websockets alike; ten page loads leave at most ``max_kernels`` kernels
(counted in the process tree, the preheated one among them); SIGTERM stops every kernel. The
exported files are served behind the token too. Voila's ``/voila/query/<kernel>`` websocket
(no login; it sent a preheated kernel its page's request, token included) is not served, and no
kernel or worker process is ever started with the token in its environment.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from warrantysim.report.pdf import OFFLINE_FLAGS
from warrantysim.workbench import app
from warrantysim.workbench.urlstate import PREHEATED_LINE

CHROMIUM = "/usr/bin/chromium"
MAX_KERNELS = 2
PAGE_LOADS = 10
PATIENCE_SECONDS = 180.0
UPGRADE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="needs Debian chromium"
)


@dataclass(frozen=True)
class Reply:
    status: int
    location: str
    body: str


class Server:
    def __init__(
        self, process: subprocess.Popen[bytes], port: int, access: app.Access, log: Path
    ) -> None:
        self.process, self.port, self.access, self.log = process, port, access, log
        self.preheated: set[int] = set()
        """The kernel the server keeps ready for the next page (no request started it)."""

    def request(self, path: str, **headers: str) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=PATIENCE_SECONDS)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            return Reply(response.status, response.getheader("Location", ""), body)
        finally:
            connection.close()

    def preheated_count(self) -> int:
        """Kernels that have reached ``request_query`` so far (its line in the log)."""
        return self.log.read_bytes().count(PREHEATED_LINE.encode())

    def kernels(self) -> list[int]:
        """Kernel processes the server started (its children running ipykernel)."""
        found = []
        for entry in Path("/proc").iterdir():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == self.process.pid and b"ipykernel" in cmdline and fields[0] != "Z":
                found.append(int(entry.name))
        return found


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = app.free_port()
    access = app.Access(
        max_kernels=MAX_KERNELS, workdir=tmp_path_factory.mktemp("work"), preheated_kernels=1
    )
    folder = tmp_path_factory.mktemp("app")
    log = folder / "app.log"
    with log.open("wb") as out:
        process = app.start(port, folder=folder, access=access, new_session=True, log=out)
    running = Server(process, port, access, log)
    deadline = time.monotonic() + PATIENCE_SECONDS
    # Up, with its one kernel preheated (started by the server, not by any request).
    while PREHEATED_LINE.encode() not in log.read_bytes():
        if time.monotonic() > deadline or process.poll() is not None:
            raise AssertionError("the app did not start") from None
        time.sleep(0.5)
    running.preheated = set(running.kernels())
    assert len(running.preheated) == access.preheated_kernels
    yield running
    if process.poll() is None:
        kernels = running.kernels()
        os.killpg(process.pid, signal.SIGKILL)
        for pid in kernels:
            os.kill(pid, signal.SIGKILL)
    process.wait()


def test_without_the_token_no_page_and_no_kernel(server: Server) -> None:
    response = server.request("/")
    assert response.status == 302
    assert "/login" in response.location
    wrong = server.request("/?token=not-the-token")
    assert wrong.status == 302
    assert "/login" in wrong.location
    exported = server.request("/warrantysim/exports/20270101-000000/report.html")
    assert exported.status == 302  # an export too asks for the token first
    assert "/login" in exported.location
    assert set(server.kernels()) == server.preheated


@pytest.mark.parametrize(
    "headers",
    [{"Host": "evil.example"}, {"Host": "evil.example:8866"}, {"Host": "192.168.1.5"},
     {"Origin": "http://evil.example"}, {"Origin": "null"}],
)  # fmt: skip
def test_a_foreign_host_or_origin_is_refused_even_with_the_token(
    server: Server, headers: dict[str, str]
) -> None:
    token = f"?token={server.access.token}"
    for path in ("/" + token, "/voila/static/voila.js", f"/api/kernels/{'0' * 32}/channels"):
        upgrade = UPGRADE if "channels" in path else {}
        response = server.request(path, **headers, **upgrade)
        assert response.status == 403, (path, headers)
        assert "refused:" in response.body
    assert set(server.kernels()) == server.preheated


def _kernel_id(pid: int) -> str:
    """A kernel's id, from its connection file (``.../kernel-<id>.json``) on its command line."""
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode()
    return cmdline.rsplit("kernel-", 1)[1].split(".json", 1)[0]


def _tree(pids: list[int]) -> set[int]:
    """``pids`` and all their descendants (a kernel's warm workers among them)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        try:
            parents[int(entry.name)] = int(
                (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
            )
        except (OSError, ValueError):
            continue
    tree, grown = set(pids), True
    while grown:
        children = {pid for pid, parent in parents.items() if parent in tree}
        grown = not children <= tree
        tree |= children
    return tree


def test_the_request_websocket_is_not_served(server: Server) -> None:
    """Voila's ``/voila/query/<kernel>`` answered anyone who could reach the port with the
    request of the page the kernel serves, token included; it is gone, token or not."""
    (preheated,) = server.preheated
    path = f"/voila/query/{_kernel_id(preheated)}"
    for query in ("", f"?token={server.access.token}"):
        response = server.request(path + query, **UPGRADE)
        assert response.status != 101, query  # no websocket
        assert response.status in (302, 404), (query, response.status)  # login page, or none
    assert set(server.kernels()) == server.preheated


def test_no_kernel_or_worker_is_given_the_token(server: Server) -> None:
    """A page opened with ``?token=``: neither its kernel, nor the pool's next one (Voila gave it
    that page's URL), nor their workers start with the token in their environment."""
    from playwright.sync_api import sync_playwright

    url = server.access.url(server.port)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(OFFLINE_FLAGS))
        page = browser.new_context().new_page()  # a tab: closing it sends the unload beacon
        page.goto(url, timeout=PATIENCE_SECONDS * 1000)
        page.wait_for_selector(".ws-ready", timeout=PATIENCE_SECONDS * 1000)
        deadline = time.monotonic() + PATIENCE_SECONDS
        while server.preheated_count() < 2:  # the pool refilled after the page took its kernel
            assert time.monotonic() < deadline, "the pool was not refilled"
            time.sleep(0.5)
        processes = _tree(server.kernels())
        assert len(processes) > 2  # two kernels and their workers
        environments = [Path(f"/proc/{pid}/environ").read_bytes() for pid in processes]
        assert all(server.access.token.encode() not in env for env in environments)
        page.close(run_before_unload=True)  # its kernel ends: the pool's one is left
        while len(server.kernels()) > 1:
            assert time.monotonic() < deadline, "the closed page's kernel still runs"
            time.sleep(0.2)
        browser.close()
    server.preheated = set(server.kernels())


def test_dns_rebinding_ten_page_loads_and_sigterm(server: Server) -> None:
    from playwright.sync_api import sync_playwright

    url = server.access.url(server.port)
    counts = []
    with sync_playwright() as p:
        rules = "--host-resolver-rules=MAP evil.example 127.0.0.1"
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*OFFLINE_FLAGS, rules])
        rebound = browser.new_page().goto(url.replace("127.0.0.1", "evil.example"))
        assert rebound is not None
        assert rebound.status == 403
        assert set(server.kernels()) == server.preheated
        pages, statuses = [], []
        for _ in range(PAGE_LOADS):  # tabs kept open: every one holds its kernel if served
            page = browser.new_page()
            response = page.goto(url, timeout=PATIENCE_SECONDS * 1000)
            assert response is not None
            statuses.append(response.status)
            if response.status == 200:
                page.wait_for_selector(".ws-ready", timeout=PATIENCE_SECONDS * 1000)
            pages.append(page)
            counts.append(len(server.kernels()))
        assert statuses.count(200) == MAX_KERNELS
        assert set(statuses[MAX_KERNELS:]) == {503}
        assert max(counts) <= MAX_KERNELS
        assert counts[-1] == MAX_KERNELS, counts
        kernels = server.kernels()  # tabs still open: their kernels are busy serving them
        server.process.send_signal(signal.SIGTERM)  # Voila only: kernels are in other sessions
        assert server.process.wait(timeout=60) == 0
        deadline = time.monotonic() + 60
        while any(alive(pid) for pid in kernels):
            assert time.monotonic() < deadline, "kernels survived SIGTERM"
            time.sleep(0.2)
        browser.close()


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its exit status waits to be collected
