"""``riverboat audit`` and ``riverboat export-hands``: the store from the command line."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    audit = subparsers.add_parser(
        "audit",
        help="check the bankroll ledger, wallets, hands and tables against each other",
        description="Check the store: every ledger transaction sums to zero, wallets and "
        "tables hold exactly the chips granted and topped up, stored balances match the "
        "ledger, hands match their postings, tables match their checkpoints. Exit 1 on any "
        "discrepancy.",
    )
    _store_arguments(audit)
    audit.set_defaults(func=run_audit)

    export = subparsers.add_parser(
        "export-hands",
        help="write stored hands to stdout as one .phhs file (PHH, one section per hand)",
        description="Write every stored hand matching the filters, oldest first, as a .phhs "
        "file (sections [1], [2], … of PHH) to stdout.",
    )
    export.add_argument("--player", metavar="JID", help="only hands this bare JID played")
    export.add_argument("--table", metavar="JID",
                        help="only hands of this table (its JID, t1@games.example.org)")
    export.add_argument("--since", metavar="DATE", type=_date,
                        help="only hands ended at or after DATE (ISO 8601; UTC unless given)")
    _store_arguments(export)
    export.set_defaults(func=run_export)


def _store_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", metavar="URL",
                        help="sqlite:///PATH or postgresql://USER@HOST:PORT/DB (default: "
                        "$RIVERBOAT_STORE, else sqlite:///<data dir>/riverboat.db)")
    parser.add_argument("--data-dir", help="data folder (default: $RIVERBOAT_HOME or ./.riverboat)")


def _date(value: str) -> Any:
    from datetime import UTC, datetime

    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO 8601 date or time: {value!r} (e.g. 2025-12-01)") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def store_url(args: argparse.Namespace) -> str:
    """The URL from ``--store``, else ``$RIVERBOAT_STORE``, else the data folder's SQLite."""
    import os

    from riverboat.store.urls import STORE_ENV, default_store_url

    return str(args.store or os.environ.get(STORE_ENV) or default_store_url(args.data_dir))


def _missing_sqlite(url: str) -> str | None:
    """An error message if ``url`` is a SQLite file that does not exist (None otherwise)."""
    from riverboat.store.errors import StoreURLError
    from riverboat.store.urls import sqlite_path

    try:
        path = sqlite_path(url)
    except StoreURLError as exc:
        return str(exc)
    if path is not None and not path.exists():
        return f"no store at {path} (the game server creates it; or pass --store URL)"
    return None


def run_audit(args: argparse.Namespace) -> int:
    import asyncio
    import sys

    from riverboat.store.store import Store

    url = store_url(args)
    if (problem := _missing_sqlite(url)) is not None:
        print(f"riverboat audit: {problem}", file=sys.stderr)
        return 2

    async def audit() -> Any:
        store = await Store.open(url)
        try:
            return await store.audit()
        finally:
            await store.close()

    report = asyncio.run(audit())
    for line in report.discrepancies:
        print(line)
    print(report.summary())
    return 0 if report.ok else 1


def run_export(args: argparse.Namespace) -> int:
    import asyncio
    import sys

    from riverboat.store.export import write_phhs
    from riverboat.store.store import Store

    url = store_url(args)
    if (problem := _missing_sqlite(url)) is not None:
        print(f"riverboat export-hands: {problem}", file=sys.stderr)
        return 2

    async def export() -> int:
        store = await Store.open(url)
        try:
            hands = store.hands(player=args.player, table_id=args.table, since=args.since)
            return await write_phhs(hands, sys.stdout)
        finally:
            await store.close()

    count = asyncio.run(export())
    sys.stdout.flush()
    print(f"exported {count} hands", file=sys.stderr)
    return 0
