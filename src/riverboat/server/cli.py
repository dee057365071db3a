"""``riverboat serve``: the game component, with the local XMPP server's settings by default."""

from __future__ import annotations

import argparse
from typing import Any

from riverboat.eventloop import LOOPS


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the game component (tables, lobby) against the XMPP server",
        description="Run the game component. With no flags it uses the server that "
        "'riverboat xmpp up' started (its data folder's xmpp.json).",
    )
    parser.add_argument("--data-dir", help="data folder (default: $RIVERBOAT_HOME or ./.riverboat)")
    parser.add_argument("--tables", type=int, default=0,
                        help="open N identical NLHE tables instead of the default set")
    parser.add_argument("--action-time", type=float, default=20.0, help="seconds per decision")
    parser.add_argument("--next-hand-delay", type=float, default=2.0)
    parser.add_argument("--admin", action="append", type=_bare_jid, metavar="JID",
                        help="a bare JID allowed to open tables with the 'open-table' ad-hoc "
                        "command (repeatable; default: admin@<the local server's domain>)")
    parser.add_argument("--store", metavar="URL",
                        help="where tables, wallets and hands are kept: sqlite:///FILE or "
                        "postgresql://USER@HOST:PORT/DB (default: the data folder's "
                        "riverboat.db); 'none' keeps nothing (free buy-ins, no crash recovery)")
    parser.add_argument("--loop", choices=LOOPS, default=None,
                        help="event loop (default: uvloop where installed, else asyncio)")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.set_defaults(func=run)


def _bare_jid(value: str) -> str:
    from slixmpp import JID
    from slixmpp.jid import InvalidJID

    try:
        jid = JID(value)
    except InvalidJID as exc:
        raise argparse.ArgumentTypeError(f"not a JID: {value!r} ({exc})") from None
    if not jid.user or jid.resource:
        raise argparse.ArgumentTypeError(f"an admin is a bare JID (user@domain), not {value!r}")
    return str(jid.bare)


def settings_from_args(args: argparse.Namespace) -> Any:
    from riverboat.devserver.state import load_local_server
    from riverboat.server.settings import default_tables, many_tables, settings_for_server

    server = load_local_server(args.data_dir)
    store = args.store or f"sqlite:///{server.data_dir / 'riverboat.db'}"
    tables = (
        many_tables(args.tables, args.action_time) if args.tables
        else default_tables(args.action_time)
    )
    return settings_for_server(
        server,
        tables,
        next_hand_delay=args.next_hand_delay,
        admins=tuple(args.admin or (f"admin@{server.domain}",)),
        store_url=None if store == "none" else store,
    )


def run(args: argparse.Namespace) -> int:
    import logging

    from riverboat import eventloop
    from riverboat.server.run import serve

    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("slixmpp").setLevel(logging.WARNING)
    eventloop.run(serve(settings_from_args(args)), args.loop)
    return 0
