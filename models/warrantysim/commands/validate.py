"""Check scenario files (extends chain, overrides, every field) without simulating.

Prints ``ok: FILE (name)`` per valid file and one line per problem of an invalid one; the exit
code is 2 when any file is invalid.
"""

from __future__ import annotations

import argparse
import sys

from warrantysim.commands import add_scenario_arguments, load_from_args
from warrantysim.scenario import ScenarioError

HELP = "check scenario files and print one line per problem"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_scenario_arguments(parser, many=True)


def run(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.scenarios:
        try:
            scenario = load_from_args(path, args)
        except ScenarioError as e:
            failed += 1
            print("\n".join(e.lines()), file=sys.stderr)
            continue
        print(f"ok: {path} ({scenario.name})")
    return 2 if failed else 0
