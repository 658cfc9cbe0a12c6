"""Prove that results folders are whole: every stored file has the rows and SHA-256 recorded
when it was written.

An experiment folder (``compare``, ``sweep``, ``sensitivity`` with ``--out``) is checked chunk by
chunk against each chunk's record and its run log; a ``run`` folder against its manifest. Prints
``ok: DIR (...)`` or one line per deleted, truncated or modified file; exit code 2 if any.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from warrantysim.experiments.store import ResultsStore

HELP = "check that results folders are whole (row counts and SHA-256 of every file)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folders", nargs="+", type=Path, metavar="DIR", help="results folders")


def run(args: argparse.Namespace) -> int:
    failed = 0
    for folder in args.folders:
        problems, summary = check(folder)
        for line in problems:
            print(f"{folder}: {line}", file=sys.stderr)
        if problems:
            failed += 1
        else:
            print(f"ok: {folder} ({summary})")
    return 2 if failed else 0


def check(folder: Path) -> tuple[list[str], str]:
    """(problems, a summary of what was checked) for one results folder."""
    from warrantysim.experiments.errors import StoreError
    from warrantysim.experiments.store import MANIFEST, ResultsStore

    if not (folder / MANIFEST).is_file():
        return [f"no {MANIFEST}: not a results folder"], ""
    try:
        if (folder / "chunks").is_dir():
            return _check_store(ResultsStore(folder))
        return _check_run(folder)
    except StoreError as error:
        return [str(error)], ""


def _check_store(store: ResultsStore) -> tuple[list[str], str]:
    problems = [f"chunk c{i:05d} {text}" for i, text in store.problems()]
    done, planned = len(store.done_ids()), len(store.chunks())
    kind = store.manifest().get("kind", "experiment")
    unfinished = f"; {planned - done} not computed yet (resume to finish)" if done < planned else ""
    return problems, f"{kind}: {done} of {planned} chunks whole{unfinished}"


def _check_run(folder: Path) -> tuple[list[str], str]:
    from warrantysim.experiments.errors import StoreError
    from warrantysim.experiments.integrity import folder_problems
    from warrantysim.experiments.store import MANIFEST, read_json

    manifest = read_json(folder / MANIFEST)
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict):
        raise StoreError(f"{folder / MANIFEST}: records no files (written before checksums)")
    return folder_problems(folder, files), f"run: {len(files)} files whole"
