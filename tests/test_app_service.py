"""The app as a service, in a real browser against the served app: a long run is cancelled by
a newer lever change and by Stop, and a page's kernel ends when the page reloads or closes.

Counts, not clocks: the app's log (``WARRANTYSIM_TRACE_REPLICATIONS``) has a line when a
request begins and one for every replication a worker completes, so "cancelled" means that
after the newer request began, at most the replication each worker had in flight completed
for the old one. Kernels are found in the process tree by their connection file (which names
the kernel id the page reports); a kernel's worker processes must end with it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from warrantysim.report.figures import FIGURE_NAMES
from warrantysim.report.pdf import OFFLINE_FLAGS
from warrantysim.workbench import app
from warrantysim.workbench.pool import TRACE_ENV
from warrantysim.workbench.urlstate import PREHEATED_LINE

CHROMIUM = "/usr/bin/chromium"
PATIENCE_S = 600.0
"""Generous: a kernel preheats in ~20 s on a quiet machine, minutes on a loaded one."""
LONG_RUN = 60
WORKERS = 2  # the notebook's WORKERS: each may finish the replication it has in flight
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="needs Debian chromium"
)


PREHEATED = 1
"""These tests exercise the preheated pool (`warrantysim app --preheat 1`)."""


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, pattern: str, count: int = 1, after: int = 0) -> list[re.Match[str]]:
        """The first ``count`` matches of ``pattern`` in the log past offset ``after``."""
        deadline = time.monotonic() + PATIENCE_S
        while True:
            found = list(re.finditer(pattern, self.text()[after:]))
            if len(found) >= count:
                return found
            assert self.process.poll() is None, "the app stopped"
            assert time.monotonic() < deadline, f"no {count} x {pattern!r} in the app's log"
            time.sleep(0.2)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("app")
    log = folder / "app.log"
    port = app.free_port()
    access = app.Access(preheated_kernels=PREHEATED)
    os.environ[TRACE_ENV] = "1"  # inherited by Voila, its kernels and their workers
    try:
        with log.open("wb") as out:
            process = app.start(port, folder=folder, access=access, new_session=True, log=out)
    finally:
        del os.environ[TRACE_ENV]
    running = Served(process, access.url(port), log)
    running.wait_for(re.escape(PREHEATED_LINE))
    yield running
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def browser():
    """A browser window (one context) that outlives its tabs: a tab closed as a user closes it,
    so that its unload beacon still goes out (``Browser.new_page`` would close the whole
    context with the page, and the beacon with it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=list(OFFLINE_FLAGS))
        context = launched.new_context(viewport={"width": 1440, "height": 900})
        yield context
        context.close()
        launched.close()


def _open(browser, url: str):
    page = browser.new_page()
    page.goto(url, timeout=PATIENCE_S * 1000)
    page.wait_for_selector(".ws-ready", timeout=PATIENCE_S * 1000)
    return page


def _type_into(page, locator, value: str) -> None:
    locator.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")


def _begins(served: Served, after: int) -> tuple[int, int]:
    """The generation of the next request that begins past ``after``, and where its line ends."""
    match = served.wait_for(r"generation (\d+) begins", after=after)[0]
    return int(match.group(1)), after + match.end()


def _done(served: Served, generation: int, count: int, after: int) -> None:
    served.wait_for(rf"generation {generation} replication \d+ done", count, after)


def _completed_after(served: Served, generation: int, offset: int) -> int:
    return len(re.findall(rf"generation {generation} replication \d+ done", served.text()[offset:]))


def test_a_long_run_is_cancelled_by_a_newer_change_and_by_stop(served, browser):
    page = _open(browser, served.url)
    start = len(served.text())
    replications = page.locator(".widget-text", has_text="Replications").locator("input")
    _type_into(page, replications, str(LONG_RUN))
    old, old_begun = _begins(served, start)
    _done(served, old, 3, old_begun)  # the long run is under way
    stocking = page.locator(".ws-lever", has_text="Stocking").locator("input")
    _type_into(page, stocking, "0.50")
    newer, newer_begun = _begins(served, old_begun)
    assert newer > old
    # Both workers have moved on to the newer run (replications 0 and 1 go one to each):
    # whatever of the old run was in flight has finished by now.
    _done(served, newer, WORKERS, newer_begun)
    assert _completed_after(served, old, newer_begun) <= WORKERS
    page.wait_for_function(
        f"() => /\\d+ of {LONG_RUN} replications/.test(document.querySelector('.ws-busy')"
        "?.textContent ?? '')",
        timeout=PATIENCE_S * 1000,
    )  # the page shows the newer run's progress
    page.get_by_role("button", name="Stop").click()
    stopped, stop_begun = _begins(served, newer_begun)
    page.wait_for_selector(".ws-stopped", timeout=PATIENCE_S * 1000)
    # Another run, so that every worker is seen to pass the stopped run's tasks.
    _type_into(page, stocking, "0.60")
    last, last_begun = _begins(served, stop_begun)
    _done(served, last, WORKERS, last_begun)
    assert _completed_after(served, newer, stop_begun) <= WORKERS
    assert _completed_after(served, old, 0) < LONG_RUN * 3 // 2  # never finished
    assert stopped < last
    page.close(run_before_unload=True)


def _kernel_id(page) -> str:
    config = page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent)")
    return str(config["kernelId"])


def _processes() -> dict[int, tuple[int, bytes]]:
    """pid -> (parent pid, command line) of every live process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if stat[0] != "Z":
            found[int(entry.name)] = (int(stat[1]), cmdline)
    return found


def _kernel_tree(kernel_id: str) -> set[int]:
    """The kernel's process (found by its connection file) and all its descendants."""
    processes = _processes()
    tree = {pid for pid, (_, cmd) in processes.items() if f"kernel-{kernel_id}".encode() in cmd}
    grown = True
    while grown:
        children = {pid for pid, (parent, _) in processes.items() if parent in tree}
        grown = not children <= tree
        tree |= children
    return tree


def _kernels(served: Served) -> set[int]:
    return {
        pid
        for pid, (parent, cmd) in _processes().items()
        if parent == served.process.pid and b"ipykernel" in cmd
    }


def _gone(pids: set[int]) -> bool:
    deadline = time.monotonic() + PATIENCE_S
    while pids & set(_processes()):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_a_page_kernel_ends_when_the_page_reloads_or_closes(served, browser):
    page = _open(browser, served.url)
    first = _kernel_id(page)
    first_tree = _kernel_tree(first)
    assert len(first_tree) > 1 + WORKERS - 1  # the kernel and its warm workers
    page.reload(timeout=PATIENCE_S * 1000)
    page.wait_for_selector(".ws-ready", timeout=PATIENCE_S * 1000)
    second = _kernel_id(page)
    assert second != first
    assert _gone(first_tree), "the reloaded page's old kernel (or a worker of it) still runs"
    # Exactly one kernel serves the page: the new one; the rest wait preheated for new pages
    # (the pool is refilled app.REFILL_DELAY_SECONDS after the reload took its kernel).
    (kernel,) = _kernel_tree(second) & _kernels(served)
    deadline = time.monotonic() + PATIENCE_S
    while len(_kernels(served)) < 1 + PREHEATED and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(_kernels(served)) == 1 + PREHEATED
    page.close(run_before_unload=True)
    assert _gone(_kernel_tree(second)), "the closed page's kernel still runs"
    assert kernel not in _kernels(served)


def test_the_export_buttons_link_files_served_behind_the_token(served, browser):
    page = _open(browser, served.url)
    page.get_by_role("button", name="Make report").click()
    link = page.locator(".ws-exported a[href$='report.html']")
    link.wait_for(timeout=PATIENCE_S * 1000)
    href = link.get_attribute("href")
    assert href is not None
    assert href.startswith("warrantysim/exports/")
    with browser.expect_page(timeout=PATIENCE_S * 1000) as opened:
        link.click()  # as a user does: a new tab, with the login cookie
    report = opened.value
    report.wait_for_load_state()
    assert "supplier-chargeback" in report.content()
    report.close()
    anonymous = browser.browser.new_context()  # no cookie, no token: the login page
    try:
        assert "/login" in anonymous.request.get(served.url.split("?")[0] + href).url
    finally:
        anonymous.close()
    page.get_by_role("button", name="Export charts").click()
    charts = page.locator(".ws-exported a[href$='.svg']")
    charts.first.wait_for(timeout=PATIENCE_S * 1000)
    assert charts.count() == 1 + len(FIGURE_NAMES)  # the spread of the difference, the figures
    with page.expect_download(timeout=PATIENCE_S * 1000) as downloading:
        charts.first.click()
    assert "<svg" in Path(downloading.value.path()).read_text()
    page.close(run_before_unload=True)
