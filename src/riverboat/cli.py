"""The ``riverboat`` command line: one sub-command per module, registered here."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Each module named here exposes ``register(subparsers)``; a sub-command stores its handler as
# ``func`` (``args -> int``). These modules import only argparse-level code at the top and load
# their heavy dependencies inside ``func``, so every command starts fast.
_COMMAND_MODULES = (
    "riverboat.table.replay_cli",
    "riverboat.devserver.cli",
    "riverboat.server.cli",
    "riverboat.demo.cli",
    "riverboat.bots.cli",
    "riverboat.store.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="riverboat", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not name.startswith(exc.name):
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
