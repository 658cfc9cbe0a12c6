"""Subcommands of the ``warrantysim`` CLI and the helpers they share.

A subcommand module has a docstring (its ``--help`` description), ``HELP`` (one line),
``add_arguments(parser)`` and ``run(args) -> int``, and is listed in ``warrantysim.cli.COMMANDS``.
Heavy imports (pandas, the simulation) belong inside ``run`` so ``--help`` stays quick.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from warrantysim.scenario import Scenario, load_scenario


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


class UsageError(Exception):
    """A mistake of the user's (not a bug): printed as one line, exit code 2."""


def add_scenario_arguments(parser: argparse.ArgumentParser, *, many: bool = False) -> None:
    """``SCENARIO`` (or ``SCENARIO...``) and repeatable ``--set PATH=VALUE``."""
    if many:
        parser.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario YAML files")
    else:
        parser.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a value, e.g. --set parts.ssd.life.shape=1.3 (VALUE is YAML; repeatable)",
    )


def load_from_args(path: str, args: argparse.Namespace, *extra: str) -> Scenario:
    """The scenario at ``path`` with ``--set`` overrides, then ``extra`` ones (PATH=VALUE)."""
    return load_scenario(path, [*args.set, *extra])


def positive_int(text: str) -> int:
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def non_negative_int(text: str) -> int:
    value = _int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """``write(tmp)`` to a temporary file beside ``path``, then rename it over ``path``.

    A crash leaves the old file or the new one, never half of one (os.replace is atomic on the
    same file system, which the same directory guarantees).
    """
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        tmp.chmod(0o666 & ~_UMASK)  # mkstemp makes it private; the result should not be
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def make_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot create directory {str(path)!r}: {e.strerror}") from None
    return path
