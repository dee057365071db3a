"""``riverboat replay FILE_OR_DIR...``: replay PHH hand histories through the table runtime."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "replay",
        help="replay PHH hand histories through the table runtime",
        description="Replay PHH hands (files or folders of .phh files) through the table "
        "runtime; print each hand that differs or cannot be replayed, then a summary line.",
    )
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    parser.add_argument("-v", "--verbose", action="store_true", help="print matching hands too")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from riverboat.table.replay import Outcome, phh_files, replay_file

    counts = dict.fromkeys(Outcome, 0)
    for path in phh_files(args.paths):
        result = replay_file(path)
        counts[result.outcome] += 1
        if result.outcome is not Outcome.MATCH or args.verbose:
            print(f"{result.outcome.value}: {result.path}: {result.reason}".rstrip(": "))
    total = sum(counts.values())
    print(
        f"replayed {total} hands: {counts[Outcome.MATCH]} match, "
        f"{counts[Outcome.DIFFER]} differ, {counts[Outcome.UNSUPPORTED]} unsupported"
    )
    return 1 if counts[Outcome.DIFFER] else 0
