"""``riverboat demo``: local ejabberd + game component + bots, and an account for you.

It starts what is not running yet, prints how to join with any XMPP client, and on Ctrl-C
stops exactly what it started (by PID).
"""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="run ejabberd, the game component and bots locally; print how to join",
        description=__doc__,
    )
    parser.add_argument("--data-dir", help="data folder (default: $RIVERBOAT_HOME or ./.riverboat)")
    parser.add_argument("--tables", type=int, default=3, help="tables to fill with bots (3)")
    parser.add_argument("--per-table", type=int, default=3, help="bots per table (3)")
    parser.add_argument("--user", default="player", help="your account's user name (player)")
    parser.add_argument("--server", choices=("ejabberd", "prosody"), default=None)
    parser.add_argument(
        "--exit-after", type=float, default=0.0, help=argparse.SUPPRESS
    )  # for tests: stop after N seconds instead of waiting for Ctrl-C
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from riverboat.demo.session import run_demo

    return run_demo(args)
