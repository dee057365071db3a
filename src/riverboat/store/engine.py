"""Async engines for the store: SQLite (aiosqlite) with WAL, PostgreSQL (asyncpg).

SQLite: ``journal_mode=WAL`` with ``synchronous=NORMAL`` makes a committed transaction survive
the process being killed (even ``kill -9``); only a power loss or an operating system crash may
lose the last transactions (``synchronous=FULL`` would cover those too, at a cost per commit).
Write transactions start with ``BEGIN IMMEDIATE``, so two writers never deadlock on a lock
upgrade: the second waits (``busy_timeout``) for the first to commit.

``Writer`` runs the store's write transactions, each given as one synchronous function: on
SQLite in the event loop's thread on one plain ``sqlite3`` connection (aiosqlite would hand
every cursor call to its thread and back: about ten per transaction), on PostgreSQL through
``AsyncConnection.run_sync``.
A single statement (``Writer.run_one``) runs on PostgreSQL in autocommit mode: it commits on its
own, one round trip instead of three (``BEGIN``, the statement, ``COMMIT``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql.expression import Executable

from riverboat.store.pg_journal import JournalAppender
from riverboat.store.urls import async_url, is_sqlite

BUSY_TIMEOUT_MS = 10_000
_WRITE = "riverboat_write"
T = TypeVar("T")


def create_engine(url: str | URL) -> AsyncEngine:
    """An async engine for a store URL (plain or driver-qualified)."""
    parsed = async_url(url)
    if not is_sqlite(parsed):
        # No pre-ping: it costs round trips on every checkout; a connection found dead fails
        # that one write, which the table actor survives (it reloads the table), and the pool
        # replaces the connection.
        return create_async_engine(parsed)
    if parsed.database:
        from pathlib import Path

        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(parsed)
    _configure_sqlite(engine.sync_engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us emit BEGIN ourselves (aiosqlite would otherwise begin lazily, deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
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


class Writer:
    """Runs write transactions: ``await writer.run(work)`` calls ``work(connection)`` in a
    transaction that is committed when it returns and rolled back if it raises.

    On SQLite the writes run right here, in the event loop's thread, on one connection kept
    open: a write transaction takes tens of microseconds (WAL, no fsync per commit), less than
    handing it to another thread and back would cost. A second writer process would make a
    write wait (``busy_timeout``): SQLite is the store of one game server process.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._sync: Engine | None = None
        self._connection: Connection | None = None
        self._pool: Any = None  # asyncpg's pool, for single statements on PostgreSQL
        self._appender: JournalAppender | None = None  # journal appends on PostgreSQL
        if engine.dialect.name == "sqlite":
            url = engine.url.set(drivername="sqlite+pysqlite")
            self._sync = create_sync_engine(url)
            _configure_sqlite(self._sync)

    @property
    def sqlite(self) -> bool:
        return self._sync is not None

    def _sqlite(self) -> Connection:
        if self._connection is None:
            assert self._sync is not None
            connection = self._sync.connect()
            self._connection = connection.execution_options(**{_WRITE: True})
        return self._connection

    async def run(self, work: Callable[[Connection], T]) -> T:
        if self._sync is None:
            async with write_transaction(self._engine) as connection:
                return await connection.run_sync(work)
        sqlite = self._sqlite()
        with sqlite.begin():
            return work(sqlite)

    async def run_one(self, statement: Executable, parameters: dict[str, Any]) -> int:
        """One statement, committed on its own; returns its row count."""
        if self._sync is None:
            async with self._engine.connect() as connection:
                connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
                count = (await connection.execute(statement, parameters)).rowcount
                await connection.commit()
                return count
        return await self.run(lambda connection: connection.execute(statement, parameters).rowcount)

    def sqlite_driver(self) -> Any:
        """SQLite only: the writer's ``sqlite3`` connection (autocommit mode: a transaction is
        what its user opens with ``BEGIN IMMEDIATE``)."""
        driver = self._sqlite().connection.dbapi_connection
        assert driver is not None
        return driver

    def run_sql_one(self, sql: str, parameters: tuple[Any, ...]) -> int:
        """SQLite only: one SQL statement through the driver, its own (autocommitted)
        transaction; returns its row count. The hot path: no statement compilation."""
        cursor = self.sqlite_driver().cursor()
        try:
            cursor.execute(sql, parameters)
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def _pg_address(self) -> dict[str, Any]:
        url = self._engine.url
        return {"host": url.host, "port": url.port, "user": url.username,
                "password": url.password, "database": url.database}

    async def pg_pool(self) -> Any:
        """PostgreSQL only: asyncpg's own pool (made on first use), for the hot statements."""
        if self._pool is None:
            import asyncpg

            self._pool = await asyncpg.create_pool(
                **self._pg_address(), min_size=1, max_size=4, reset=_keep_session
            )
        return self._pool

    async def pg_append(self, table_id: str, entry: str) -> bool:
        """PostgreSQL only: add a journal entry (``pg_journal``: appends of all tables share
        round trips); ``False`` if the table was never saved."""
        if self._appender is None:
            import asyncpg

            address = self._pg_address()
            self._appender = JournalAppender(lambda: asyncpg.connect(**address))
        return await self._appender.append(table_id, entry)

    async def close(self) -> None:
        if self._appender is not None:
            await self._appender.close()
            self._appender = None
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._sync is not None:
            self._sync.dispose()


async def _keep_session(connection: Any) -> None:
    """What asyncpg's pool does to a connection coming back, instead of its default reset query
    (one more round trip per statement). The store's statements leave no session state behind
    (no ``SET``, ``LISTEN``, advisory locks or open cursors); asyncpg still rolls back a
    transaction left open."""
