"""How fast the served workbench answers a lever change, measured in a real browser.

Starts ``warrantysim app`` (Voila) on a free port, opens it in Debian's chromium through
Playwright, waits for the first full answer, then moves the edited policy's stocking lever
(a physical lever: the policy is re-simulated, not just re-booked) several times and measures,
from the key press that commits the value:

- first numbers: the first card's value changes (a partial answer from the first replication);
- full answer: the status line says "Up to date" again (every replication in).

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

CHROMIUM = "/usr/bin/chromium"
CARD = "td[data-card][data-kpi='lifetime_profit']"


def _goto_when_up(page, url: str) -> None:
    for _ in range(240):
        try:
            page.goto(url, timeout=120_000)
            return
        except Exception:  # connection refused while Voila starts
            time.sleep(0.5)
    page.goto(url, timeout=120_000)


def _card_value(page) -> str | None:
    return page.evaluate(
        "sel => { const c = document.querySelector(sel); return c ? c.dataset.value : null; }",
        CARD,
    )


def _set_stocking(page, value: float) -> None:
    readout = page.locator(".widget-slider", has_text="Stocking").locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(f"{value:.2f}")
    page.keyboard.press("Enter")


def measure(url: str, values: list[float]) -> list[tuple[float, float, float]]:
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(OFFLINE_FLAGS))
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        opened = time.perf_counter()
        _goto_when_up(page, url)
        page.wait_for_selector(CARD, timeout=300_000)
        first_card_s = time.perf_counter() - opened
        page.wait_for_selector(".ws-ready", timeout=300_000)
        print(f"page opened -> first card {first_card_s:.1f} s", flush=True)
        for value in values:
            before = _card_value(page)
            start = time.perf_counter()
            _set_stocking(page, value)
            page.wait_for_function(
                f'old => {{ const c = document.querySelector("{CARD}");'
                " return c && c.dataset.value !== old; }",
                arg=before,
                timeout=300_000,
                polling=20,
            )
            first = time.perf_counter() - start
            page.wait_for_selector(".ws-ready", timeout=300_000, state="attached")
            page.wait_for_function("document.querySelector('.ws-ready') !== null", polling=20)
            full = time.perf_counter() - start
            out.append((value, first, full))
            print(
                f"stocking x{value:.2f}: first numbers {first:.2f} s, full {full:.2f} s", flush=True
            )
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=5)
    args = parser.parse_args()
    values = [0.5 + 0.1 * i for i in range(args.changes)]
    port = app.free_port()
    with tempfile.TemporaryDirectory() as folder:
        process = app.start(port, folder=Path(folder), new_session=True)
        try:
            rows = measure(f"http://127.0.0.1:{port}/", values)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    firsts, fulls = [r[1] for r in rows], [r[2] for r in rows]
    print(f"first numbers: median {statistics.median(firsts):.2f} s, max {max(firsts):.2f} s")
    print(f"full answer:   median {statistics.median(fulls):.2f} s, max {max(fulls):.2f} s")


if __name__ == "__main__":
    main()
