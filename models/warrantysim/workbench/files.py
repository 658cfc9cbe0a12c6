"""Which scenario files the dashboard may read: those in ``scenarios/`` and the working folder.

The dashboard can be driven by whoever holds the app's token, through a text box; it must not
become a way to read the server's files (``/etc/passwd``) or to exhaust its memory
(``/dev/zero``). A path is resolved (symbolic links followed) and must end up inside one of
the folders, name a ``.yaml``/``.yml`` regular file and be small enough to be a scenario.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from warrantysim.safe_yaml import MAX_FILE_BYTES
from warrantysim.workbench import WORKDIR_ENV, scenarios_dir

SUFFIXES = (".yaml", ".yml")


class FileRefused(ValueError):
    """A path the dashboard will not read; the message says which folders it may read."""


def readable_folders() -> list[Path]:
    """``scenarios/`` and the working folder (``$WARRANTYSIM_WORKDIR``, else the current one)."""
    workdir = Path(os.environ.get(WORKDIR_ENV) or Path.cwd())
    return [scenarios_dir().resolve(), workdir.resolve()]


def choices(folders: Sequence[Path]) -> list[str]:
    """The scenario files of the folders (not their subfolders), as the box accepts them."""
    found = []
    for folder in folders:
        found += [str(p) for p in sorted(folder.glob("*")) if p.suffix in SUFFIXES]
    return list(dict.fromkeys(found))


def checked_path(text: str, folders: Sequence[Path]) -> Path:
    """``text`` as a scenario file inside ``folders`` (relative: to the last, the working
    folder); :class:`FileRefused` otherwise."""
    if not text:
        raise FileRefused("type or pick a scenario file first")
    path = Path(text)
    resolved = (path if path.is_absolute() else folders[-1] / path).resolve()
    if not any(resolved.is_relative_to(folder) for folder in folders):
        where = " or ".join(str(f) for f in folders)
        raise FileRefused(f"{text}: only scenario files in {where} can be added")
    if resolved.suffix not in SUFFIXES:
        raise FileRefused(f"{text}: not a scenario file (expected .yaml or .yml)")
    try:
        info = resolved.stat()
    except OSError:
        raise FileRefused(f"{text}: no such file") from None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
        raise FileRefused(f"{text}: not a regular file of at most {MAX_FILE_BYTES:,} bytes")
    return resolved
