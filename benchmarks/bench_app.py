"""How fast the served workbench answers, measured in a real browser.

Starts ``warrantysim app`` (Voila, one kernel preheated) on a free port, waits until the
preheated kernel is ready, opens the page in Debian's chromium through Playwright, waits until
the pool's next kernel is preheated too (so it does not share the cores with the measured
changes), then moves the edited policy's stocking lever (a physical lever: the policy is
re-simulated, not just re-booked) several times. It prints three figures:

- page opened -> first chart: from ``goto`` to the first chart drawn as SVG;
- first numbers: from the key press that commits a lever value to the first card's value
  changing (a partial answer from the first replication round);
- full answer: from that key press to the status line saying "Up to date" (every replication
  in, every chart redrawn);
- reload -> restored numbers: once the pool has preheated the next kernel, from ``reload`` to
  the page showing the edited policy (``status-quo ✎``, from the URL) up to date, and to its
  first chart;

with, for each lever change, the CPU seconds the page's kernel and its worker processes spent
(user + system, from /proc), and the load average before and after: on a shared machine wall
times stretch, CPU seconds much less.

Run: ``.venv/bin/python benchmarks/bench_app.py [--changes 5]``; figures go in README.md.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import tempfile
import time
from pathlib import Path

from warrantysim.report.pdf import OFFLINE_FLAGS
from warrantysim.workbench import app
from warrantysim.workbench.urlstate import PREHEATED_LINE

CHROMIUM = "/usr/bin/chromium"
CARD = "td[data-card][data-kpi='lifetime_profit_after_tax']"
RESTORED = "td[data-kpi='lifetime_profit'][data-policy='status-quo ✎']"
TIMEOUT_MS = 300_000
TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _tree_cpu_s(root: int) -> float:
    """User + system CPU seconds of ``root``'s live descendants (the kernels and workers)."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = _stat(int(entry.name))
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
            ticks[int(entry.name)] = int(fields[11]) + int(fields[12])
    tree, grown = {root}, True
    while grown:
        children = {p for p, parent in parents.items() if parent in tree} - tree
        grown = bool(children)
        tree |= children
    return sum(ticks.get(p, 0) for p in tree - {root}) / TICKS_PER_S


def _card_value(page) -> str | None:
    return page.evaluate(
        "sel => { const c = document.querySelector(sel); return c ? c.dataset.value : null; }",
        CARD,
    )


def _set_stocking(page, value: float) -> None:
    readout = page.locator(".ws-lever", has_text="Stocking").locator("input")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(f"{value:.2f}")
    page.keyboard.press("Enter")


def _change(page, value: float) -> tuple[float, float]:
    """Seconds to the first numbers and to the full answer after setting stocking to value."""
    before = _card_value(page)
    start = time.perf_counter()
    _set_stocking(page, value)
    page.wait_for_function(
        f'old => {{ const c = document.querySelector("{CARD}");'
        " return c && c.dataset.value !== old; }",
        arg=before,
        timeout=TIMEOUT_MS,
        polling=20,
    )
    first = time.perf_counter() - start
    # The card changed, so the newer request is running: "Up to date" now means its answer.
    page.wait_for_function(
        "document.querySelector('.ws-ready') !== null", timeout=TIMEOUT_MS, polling=20
    )
    return first, time.perf_counter() - start


IDLE_SHARE = 0.05
"""The server's processes count as idle below this share of one core (over a second)."""


def _wait_idle(server_pid: int) -> float:
    """Seconds until the server's kernels and workers use less than :data:`IDLE_SHARE` of a
    core for a whole second."""
    started = time.perf_counter()
    before = _tree_cpu_s(server_pid)
    while True:
        time.sleep(1.0)
        now = _tree_cpu_s(server_pid)
        if now - before < IDLE_SHARE:
            return time.perf_counter() - started
        if time.perf_counter() - started > TIMEOUT_MS / 1000:
            raise SystemExit("the app's processes never went idle")
        before = now


def _reload(page, log: Path) -> tuple[float, float]:
    """Seconds from a reload to the first chart and to the URL's view up to date, with the
    pool's next kernel preheated (the first page's refill)."""
    _wait_preheated(log, None, 2)
    start = time.perf_counter()
    page.reload(timeout=TIMEOUT_MS)
    page.wait_for_selector(".vega-embed > svg", timeout=TIMEOUT_MS)
    chart = time.perf_counter() - start
    page.wait_for_function(
        f'document.querySelector("{RESTORED}") !== null'
        " && document.querySelector('.ws-ready') !== null",
        timeout=TIMEOUT_MS,
        polling=20,
    )
    return chart, time.perf_counter() - start


def measure(
    url: str, server_pid: int, values: list[float], log: Path
) -> tuple[float, list[tuple[float, ...]], tuple[float, float]]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(OFFLINE_FLAGS))
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        opened = time.perf_counter()
        page.goto(url, timeout=TIMEOUT_MS)
        page.wait_for_selector(".vega-embed > svg", timeout=TIMEOUT_MS)
        first_chart_s = time.perf_counter() - opened
        print(f"page opened -> first chart {first_chart_s:.1f} s", flush=True)
        page.wait_for_selector(".ws-ready", timeout=TIMEOUT_MS)
        # The page took the preheated kernel; the next one is being preheated (the notebook and
        # a first answer, which it computes on after saying it is preheated): measured during
        # it, the changes would share the cores with it.
        print(f"next kernel preheated after {_wait_preheated(log, None, 2):.1f} s", flush=True)
        print(f"server idle after {_wait_idle(server_pid):.1f} s more", flush=True)
        for value in values:
            cpu_before = _tree_cpu_s(server_pid)
            first, full = _change(page, value)
            cpu = _tree_cpu_s(server_pid) - cpu_before
            rows.append((value, first, full, cpu))
            print(
                f"stocking x{value:.2f}: first numbers {first:.2f} s, full {full:.2f} s, "
                f"CPU {cpu:.2f} s (kernels and workers)",
                flush=True,
            )
        reload = _reload(page, log)
        print(f"reload -> first chart {reload[0]:.1f} s, restored numbers {reload[1]:.1f} s")
        browser.close()
    return first_chart_s, rows, reload


def _wait_preheated(log: Path, process, kernels: int = 1) -> float:
    """Seconds until ``kernels`` kernels have said they are preheated in the app's log."""
    started = time.perf_counter()
    while log.read_bytes().count(PREHEATED_LINE.encode()) < kernels:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"the app stopped; its log: {log}")
        if time.perf_counter() - started > TIMEOUT_MS / 1000:
            raise SystemExit(f"no preheated kernel in {TIMEOUT_MS / 1000:.0f} s; its log: {log}")
        time.sleep(0.2)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=5)
    args = parser.parse_args()
    values = [0.5 + 0.1 * i for i in range(args.changes)]
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    port = app.free_port()
    access = app.Access()  # `warrantysim app`: one kernel preheated
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "app.log"
        with log.open("wb") as out:
            process = app.start(port, folder=Path(folder), access=access, new_session=True, log=out)
        try:
            print(f"server start -> kernel preheated {_wait_preheated(log, process):.1f} s")
            first_chart_s, rows, reload = measure(access.url(port), process.pid, values, log)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
    firsts, fulls, cpus = ([r[i] for r in rows] for i in (1, 2, 3))
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print(f"page opened -> first chart: {first_chart_s:.1f} s")
    print(f"first numbers: median {statistics.median(firsts):.2f} s, max {max(firsts):.2f} s")
    print(f"full answer:   median {statistics.median(fulls):.2f} s, max {max(fulls):.2f} s")
    print(f"CPU per change (kernels and workers): median {statistics.median(cpus):.2f} s")
    print(f"reload -> first chart: {reload[0]:.1f} s, restored numbers: {reload[1]:.1f} s")


if __name__ == "__main__":
    main()
