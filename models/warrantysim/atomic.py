"""Files written whole or not at all: write a temporary beside the target, fsync, rename.

``os.replace`` is atomic on POSIX within one file system (the same directory guarantees it), and
the fsync before it means a crash or power cut leaves the old file or the new one, never a mix.
Temporaries are named ``.NAME.tmp-PID-XXXX`` so a results store can recognise stale ones.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(temp_path)``, flush the file to disk, then move it onto ``path`` in one step."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.tmp-{os.getpid()}-")
    os.close(fd)
    temp = Path(name)
    try:
        write(temp)
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        temp.chmod(0o666 & ~_UMASK)  # mkstemp makes it private; the result should not be
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def write_text_atomic(path: Path, text: str) -> None:
    write_atomic(path, lambda temp: temp.write_text(text, encoding="utf-8"))


def write_json_atomic(path: Path, data: Any) -> None:
    write_text_atomic(path, json.dumps(data, indent=1, sort_keys=True, default=str))
