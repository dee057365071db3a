"""``riverboat bots``: fill the first tables of the local server's lobby with bots.

Only argparse is imported here; the handler imports the rest when it runs.
"""

from __future__ import annotations

import argparse
from typing import Any

_DESCRIPTION = """\
Register bot accounts in-band (bot-<table>-<k>) on the local XMPP server that
'riverboat xmpp up' started, and seat K bots at each of the first N tables of the lobby.
Bots reconnect after a dropped connection and buy chips again when they bust. Stop with Ctrl-C.
"""


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "bots", help="play with bots at the first tables of the lobby", description=_DESCRIPTION
    )
    parser.add_argument("--data-dir", help="data folder (default: $RIVERBOAT_HOME or ./.riverboat)")
    parser.add_argument("--tables", type=int, default=3, help="tables to fill (3)")
    parser.add_argument("--per-table", type=int, default=3, help="bots per table (3)")
    parser.add_argument(
        "--strategy",
        choices=("random", "calling", "equity", "mixed"),
        default="mixed",
        help="random legal actions, a calling station, a Monte Carlo equity player (eval7; "
        "hold'em only, others call), or a mix of the three at each table (default)",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.8,
        metavar="SECONDS",
        help="longest think time: each decision waits between 40%% and 100%% of it (0.8)",
    )
    parser.add_argument("--seed", type=int, help="seed the bots' random choices")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.set_defaults(func=run)


def bot_password(secret: str, user: str) -> str:
    """A bot's password: derived from the local server's component secret (kept with it), so
    that every run logs in to the accounts an earlier run registered."""
    import hashlib
    import hmac

    return hmac.new(secret.encode(), f"bot:{user}".encode(), hashlib.sha256).hexdigest()[:24]


def run(args: argparse.Namespace) -> int:
    import asyncio
    import logging
    import signal
    import sys

    from riverboat import eventloop
    from riverboat.bots.fleet import BotFleet, FleetSettings
    from riverboat.bots.player import Think
    from riverboat.client import ClientError, ServerAddress
    from riverboat.devserver.errors import DevServerError
    from riverboat.devserver.state import load_local_server

    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("slixmpp").setLevel(logging.WARNING)
    try:
        server = load_local_server(args.data_dir)
    except DevServerError as exc:
        print(f"riverboat bots: {exc}", file=sys.stderr)
        return 1
    if args.tables < 1 or args.per_table < 1 or args.think < 0:
        print(
            "riverboat bots: --tables and --per-table must be positive, --think not negative",
            file=sys.stderr,
        )
        return 2
    settings = FleetSettings(
        tables=args.tables,
        per_table=args.per_table,
        strategy=args.strategy,
        think=Think(0.4 * args.think, args.think),
        seed=args.seed,
    )
    fleet = BotFleet(
        ServerAddress.from_local_server(server),
        settings,
        lambda user: bot_password(server.component_secret, user),
    )

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await fleet.run(stop)

    try:
        eventloop.run(main())
    except ClientError as exc:
        print(f"riverboat bots: {exc}", file=sys.stderr)
        return 1
    return 0
