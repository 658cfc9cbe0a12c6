"""Fixtures every test file may use: a file writer and the command line.

Scenario and event-log factories and the file writer are plain functions in ``factories.py``
(tests call them at collection time, in parametrisations and Hypothesis strategies, where
fixtures cannot go); the fixtures here wrap them.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from factories import Cli, Content, write_file

CLI_TIMEOUT_SECONDS = 300
"""Generous: a process start costs about 2 s, and CI shares 2 cores with other workers."""


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, Content], Path]:
    """``write(name, content)``: a file (YAML, text or bytes) in this test's temporary folder."""
    return lambda name, content: write_file(tmp_path, name, content)


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``warrantysim ARGS...`` in a real process of this Python: its exit code and output."""
    return subprocess.run(
        [sys.executable, "-m", "warrantysim.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_SECONDS,
    )


@pytest.fixture(scope="session")
def cli() -> Cli:
    """``cli(*args, cwd=...)``: see :func:`run_cli`."""
    return run_cli
