"""The progress bar: what it says, and that it stays quiet off a terminal."""

from __future__ import annotations

import io

from warrantysim.experiments.progress import (
    QuietProgress,
    TextProgress,
    format_seconds,
    make_progress,
)


def test_text_bar_shows_runs_speed_and_eta() -> None:
    stream = io.StringIO()
    bar = TextProgress(stream)
    bar.start(total_runs=10, done_runs=2)  # 2 restored by --resume
    bar.advance(8)
    bar.close()
    last = stream.getvalue().rstrip("\n").split("\r")[-1]
    assert last.startswith("[" + "#" * 28 + "] 10/10 runs")
    assert "runs/s" in last
    assert "ETA 0s" in last


def test_restored_runs_do_not_count_toward_the_speed() -> None:
    bar = QuietProgress()
    bar.start(total_runs=100, done_runs=40)
    assert bar.runs_per_second == 0.0
    assert bar.describe().endswith("ETA --")


def test_quiet_when_not_on_a_terminal() -> None:
    # pytest captures stderr, so it is not a TTY: no bar in logs or CI
    assert isinstance(make_progress("auto"), QuietProgress)
    assert isinstance(make_progress("text"), TextProgress)


def test_format_seconds() -> None:
    assert [format_seconds(s) for s in (4.4, 75, 3725, float("inf"))] == [
        "4s",
        "1m15s",
        "1h02m",
        "--",
    ]


def test_widget_bar_counts_runs() -> None:
    # Outside a notebook ``display`` prints the widget's text form; the widget still updates.
    from warrantysim.workbench.progress import WidgetProgress

    bar = WidgetProgress()
    bar.start(total_runs=8, done_runs=2)
    bar.advance(6)
    bar.close()
    assert (bar._bar.value, bar._bar.max, bar._bar.bar_style) == (8, 8, "success")
    assert bar._label.value.startswith("8/8 runs")
