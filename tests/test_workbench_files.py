"""The dashboard's "Scenario file" box reads only scenario files in ``scenarios/`` and the
working folder: not ``/etc/passwd``, not ``/dev/zero``, not a symbolic link or ``..`` out of
them, and nothing of the refused file shows in the status line.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from warrantysim.safe_yaml import MAX_FILE_BYTES
from warrantysim.workbench import policy_files
from warrantysim.workbench.files import FileRefused, checked_path, choices

SCENARIOS = policy_files()["status-quo"].parent.resolve()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    (work / "mine.yaml").write_text(f"extends: {SCENARIOS / 'status-quo.yaml'}\nname: mine\n")
    (work / "passwd.yaml").symlink_to("/etc/passwd")
    (work / "zero.yaml").symlink_to("/dev/zero")
    (work / "big.yaml").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    os.mkfifo(work / "fifo.yaml")
    (tmp_path / "outside.yaml").write_text("name: outside\n")
    return work.resolve()


def test_files_inside_the_folders_are_accepted(workdir: Path) -> None:
    folders = [SCENARIOS, workdir]
    assert checked_path("mine.yaml", folders) == workdir / "mine.yaml"  # relative: workdir
    assert checked_path(str(SCENARIOS / "status-quo.yaml"), folders).name == "status-quo.yaml"
    assert str(workdir / "mine.yaml") in choices(folders)
    assert str(SCENARIOS / "baseline.yaml") in choices(folders)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("/etc/passwd", "only scenario files in"),
        ("/dev/zero", "only scenario files in"),
        ("../outside.yaml", "only scenario files in"),
        ("passwd.yaml", "only scenario files in"),  # a link out of the folder
        ("zero.yaml", "only scenario files in"),
        ("big.yaml", "not a regular file of at most"),
        ("fifo.yaml", "not a regular file of at most"),
        ("missing.yaml", "no such file"),
        (str(SCENARIOS / "README.md"), "not a scenario file"),
        ("", "type or pick"),
    ],
)
def test_everything_else_is_refused(workdir: Path, text: str, why: str) -> None:
    with pytest.raises(FileRefused, match=why):
        checked_path(text, [SCENARIOS, workdir])


def test_the_dashboard_shows_the_refusal_not_the_file(workdir: Path) -> None:
    from warrantysim.workbench.dashboard import Dashboard

    board = Dashboard({}, [], folders=[SCENARIOS, workdir])
    for text in ("/etc/passwd", "passwd.yaml"):
        board.file.value = text
        board._add_clicked()
        assert "FileRefused" in board.status.value
        assert "root:" not in board.status.value
    assert board.policies == {}
