"""Async engines for the store: SQLite (aiosqlite) with WAL, PostgreSQL (asyncpg).

SQLite: ``journal_mode=WAL`` with ``synchronous=NORMAL`` makes a committed transaction survive
the process being killed (even ``kill -9``); only a power loss or an operating system crash may
lose the last transactions (``synchronous=FULL`` would cover those too, at a cost per commit).
Write transactions start with ``BEGIN IMMEDIATE``, so two writers never deadlock on a lock
upgrade: the second waits (``busy_timeout``) for the first to commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from riverboat.store.urls import async_url, is_sqlite

BUSY_TIMEOUT_MS = 10_000
_WRITE = "riverboat_write"


def create_engine(url: str | URL) -> AsyncEngine:
    """An async engine for a store URL (plain or driver-qualified)."""
    parsed = async_url(url)
    if not is_sqlite(parsed):
        return create_async_engine(parsed, pool_pre_ping=True)
    if parsed.database:
        from pathlib import Path

        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(parsed)
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us emit BEGIN ourselves (aiosqlite would otherwise begin lazily, deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@asynccontextmanager
async def write_transaction(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A transaction that will write: committed at the end, rolled back on an exception."""
    async with engine.connect() as connection:
        connection = await connection.execution_options(**{_WRITE: True})
        async with connection.begin():
            yield connection
