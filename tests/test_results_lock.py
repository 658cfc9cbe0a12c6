"""One writer per results folder, and no orphans: a second writer is refused while the first
holds the folder's lock; ``kill -9`` of a ``--executor processes`` run leaves no process behind
(workers, forkserver, resource tracker) and a lock that the next ``--resume`` takes over.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factories import small_sweep_spec
from warrantysim.experiments.store import LOCK, ResultsStore

SPEC = small_sweep_spec("""replications: 20
seed: 3
parameters:
  parts.ssd.stocking.level: {values: [2, 4, 8]}
""")
RUNS = 60
PATIENCE_SECONDS = 120.0
POLL_SECONDS = 0.05


def sweep_command(spec: Path, out: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "warrantysim.cli", "sweep", str(spec), "--out", str(out),
            "--progress", "quiet", "--chunk-runs", "1", *options]  # fmt: skip


def wait_until(condition: object, what: str) -> None:
    deadline = time.monotonic() + PATIENCE_SECONDS
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(POLL_SECONDS)


def session_processes(session_id: int) -> dict[int, str]:
    """Live (not zombie) processes of a session: pid -> command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, pgrp, session
        if int(fields[3]) == session_id and fields[0] != "Z":
            found[int(entry.name)] = cmdline
    return found


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "sweep.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return path


def test_second_writer_refused_and_kill_9_leaves_no_orphans(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = subprocess.Popen(
        sweep_command(spec, out, "--executor", "processes", "--workers", "2"),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        wait_until(lambda: len(ResultsStore(out).runlog()) >= 2, "two chunks")
        helpers = session_processes(first.pid)
        assert any("forkserver" in c for c in helpers.values()), helpers
        assert any("resource_tracker" in c for c in helpers.values()), helpers

        second = subprocess.run(sweep_command(spec, out, "--resume", "--executor", "serial"),
                                capture_output=True, text=True, check=False)  # fmt: skip
        assert second.returncode == 2
        assert second.stderr.strip() == (
            f"warrantysim sweep: error: {out} is being written by process {first.pid} "
            f"(since {json.loads((out / LOCK).read_text())['since']}); "
            "wait for it to finish or stop it"
        )
        os.kill(first.pid, signal.SIGKILL)
        first.communicate()  # waits, and closes the stderr pipe
        # The workers see their owner gone (pidfd) and exit; the forkserver and resource
        # tracker then see their pipes close and exit too.
        wait_until(lambda: not session_processes(first.pid), "every helper process to exit")
    finally:
        for pid in session_processes(first.pid):
            os.kill(pid, signal.SIGKILL)

    assert json.loads((out / LOCK).read_text())["pid"] == first.pid  # stale: left by the kill
    resumed = subprocess.run(sweep_command(spec, out, "--resume", "--executor", "serial"),
                             capture_output=True, text=True, check=False)  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    assert ResultsStore(out).done_ids() == set(range(RUNS))
    assert (out / LOCK).read_text() == ""  # released at the end


def test_the_lock_is_held_in_process_and_released(tmp_path: Path) -> None:
    from warrantysim.experiments.store import StoreError

    store = ResultsStore(tmp_path / "out")
    with store.lock():
        holder = json.loads((tmp_path / "out" / LOCK).read_text())
        assert holder["pid"] == os.getpid()
        refused = pytest.raises(StoreError, match=f"being written by process {os.getpid()}")
        with refused, ResultsStore(tmp_path / "out").lock():
            pass  # flock locks belong to open files: a second open of it is refused
    with store.lock():
        pass
