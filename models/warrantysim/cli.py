"""warrantysim: warranty failures, spare-parts stock and after-sales policies, simulated.

The command is a thin shell over the package.

Each subcommand is a module with a docstring, ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args) -> int``; adding one is one line in :data:`COMMANDS`. Shared helpers (``SCENARIO
--set``, atomic writes, :class:`UsageError`) are in :mod:`warrantysim.commands`. A user's mistake
(bad scenario, missing file, bad option) is one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings
from collections.abc import Sequence
from typing import NoReturn

from warrantysim.calibration.errors import DataError
from warrantysim.commands import UsageError
from warrantysim.experiments.errors import Interrupted, OptionError, SpecError, StoreError
from warrantysim.finite import NonFiniteResult
from warrantysim.scenario import ScenarioError
from warrantysim.workload import WorkloadTooLarge

COMMANDS: list[tuple[str, str]] = [
    ("run", "warrantysim.commands.run"),
    ("validate", "warrantysim.commands.validate"),
    ("verify", "warrantysim.commands.verify"),
    ("calibrate", "warrantysim.commands.calibrate"),
    ("compare", "warrantysim.commands.compare"),
    ("sweep", "warrantysim.commands.sweep"),
    ("sensitivity", "warrantysim.commands.sensitivity"),
    ("report", "warrantysim.commands.report"),
    ("app", "warrantysim.commands.app"),
]
"""(subcommand, module) in the order ``--help`` lists them."""

USER_ERROR = 2
INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    """Option errors as one line (argparse prints the whole usage otherwise)."""

    def error(self, message: str) -> NoReturn:
        self.exit(USER_ERROR, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="warrantysim", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module_name in COMMANDS:
        module = importlib.import_module(module_name)
        # argparse %-formats help strings: a literal "95 %" must reach it as "95 %%".
        help_line = module.HELP.replace("%", "%%")
        command = sub.add_parser(name, help=help_line, description=module.__doc__)
        module.add_arguments(command)
        command.set_defaults(handler=module.run)
    return parser


QUIET_WARNINGS = "ignore::RuntimeWarning"
"""numpy's overflow and invalid-value warnings: the results are checked finite instead
(:mod:`warrantysim.finite`), so a real problem is one clear error, not lines of numpy internals.
Set in the environment too, so worker processes inherit it."""


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("PYTHONWARNINGS", QUIET_WARNINGS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return int(args.handler(args))
    except ScenarioError as e:
        more = len(e.errors) - 1
        suffix = f" (and {more} more; see warrantysim validate)" if more else ""
        print(f"{e}{suffix}", file=sys.stderr)
    except DataError as e:
        print(e, file=sys.stderr)
    except (UsageError, SpecError, StoreError, OptionError) as e:
        print(f"warrantysim {args.command}: error: {e}", file=sys.stderr)
    except Interrupted as stop:  # Ctrl-C in an experiment: finished chunks are kept
        print(stop, file=sys.stderr)
        return INTERRUPTED
    except OSError as e:  # a full disk, a file too large, a folder we may not write: the machine's
        where = f"{e.filename}: " if e.filename else ""
        print(f"warrantysim {args.command}: error: {where}{e.strerror or e}", file=sys.stderr)
    except (NonFiniteResult, WorkloadTooLarge) as e:
        print(f"warrantysim {args.command}: error: {e}", file=sys.stderr)
    except MemoryError:
        print(f"warrantysim {args.command}: error: out of memory", file=sys.stderr)
    return USER_ERROR


if __name__ == "__main__":
    sys.exit(main())
