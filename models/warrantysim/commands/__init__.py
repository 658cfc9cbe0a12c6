"""Subcommands of the ``warrantysim`` CLI and the helpers they share.

A subcommand module has a docstring (its ``--help`` description), ``HELP`` (one line),
``add_arguments(parser)`` and ``run(args) -> int``, and is listed in ``warrantysim.cli.COMMANDS``.
Heavy imports (pandas, the simulation) belong inside ``run`` so ``--help`` stays quick.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from warrantysim.scenario import Scenario, load_scenario


class UsageError(Exception):
    """A mistake of the user's (not a bug): printed as one line, exit code 2."""


def add_scenario_arguments(parser: argparse.ArgumentParser, *, many: bool = False) -> None:
    """``SCENARIO`` (or ``SCENARIO...``) and repeatable ``--set PATH=VALUE``."""
    if many:
        parser.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario YAML files")
    else:
        parser.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    add_set_argument(parser)


def add_set_argument(
    parser: argparse.ArgumentParser,
    help: str = "override a value, e.g. --set parts.ssd.life.shape=1.3 (VALUE is YAML; repeatable)",
) -> None:
    """Repeatable ``--set PATH=VALUE`` (PATH a dotted scenario path, VALUE read as YAML)."""
    parser.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", help=help)


def load_from_args(path: str, args: argparse.Namespace, *extra: str) -> Scenario:
    """The scenario at ``path`` with ``--set`` overrides, then ``extra`` ones (PATH=VALUE)."""
    return load_scenario(path, [*args.set, *extra])


def positive_int(text: str) -> int:
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a finite number > 0, got {text!r}")
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


def make_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot create directory {str(path)!r}: {e.strerror}") from None
    return path
