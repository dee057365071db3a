"""Alembic environment: runs on the connection ``riverboat.store.migrate`` hands over.

``Store.open`` opens an async engine, and runs the upgrade inside ``run_sync`` with the sync
view of that connection in ``config.attributes["connection"]``. Without one (``alembic`` run by
hand with ``-x url=…`` or ``sqlalchemy.url``) this makes its own async engine.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from riverboat.store.engine import create_engine


def run_on(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=None, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


async def run_with_own_engine(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(run_on)
    finally:
        await engine.dispose()


def main() -> None:
    if context.is_offline_mode():
        raise SystemExit("riverboat's migrations run online only (Store.open runs them)")
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option(
        "sqlalchemy.url")
    if not url:
        raise SystemExit("no database: pass -x url=… or set sqlalchemy.url")
    asyncio.run(run_with_own_engine(url))


main()
