"""Journal appends on PostgreSQL: every table's inputs on one connection, in shared round trips.

Each table actor awaits the append of an input before publishing its events, so one round trip
per input would be the store's main cost. Here the appends of all tables go through one asyncpg
connection: when one is in flight, those that arrive meanwhile wait and leave together in the
next round trip, as one statement (a group commit: every append of the batch is committed, or
none is). An idle server still sends each append at once; a busy one sends fewer, larger ones.

A table has at most one append in a batch (an actor awaits each write before the next), and
an append for a table that was never saved is answered ``False`` without failing the others.
A failed round trip fails every append of its batch (the actors then reload their tables) and
the connection is replaced on the next one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

# $1 table ids, $2 entries (JSON): the next position of each table, after its last one.
APPEND_MANY = """
INSERT INTO table_journal (table_id, position, entry)
SELECT s.table_id,
       (SELECT coalesce(max(j.position), 0) + 1 FROM table_journal j
        WHERE j.table_id = s.table_id),
       e.entry
FROM unnest($1::text[], $2::text[]) AS e(table_id, entry)
JOIN saved_tables s ON s.table_id = e.table_id
RETURNING table_id
"""

_Append = tuple[str, str, "asyncio.Future[bool]"]


class JournalAppender:
    """Appends journal entries of any table; ``await append(table, entry)`` → stored or not."""

    def __init__(self, connect: Callable[[], Awaitable[Any]]) -> None:
        self._connect = connect
        self._connection: Any = None
        self._queue: list[_Append] = []
        self._sending = False
        self._drainer: asyncio.Task[None] | None = None

    async def append(self, table_id: str, entry: str) -> bool:
        """Store ``entry`` at the end of the table's journal; ``False`` if the table was
        never saved. Raises the driver's error if the round trip failed."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append((table_id, entry, future))
        if not self._sending:
            await self._lead(future)
        return await future

    async def _lead(self, mine: asyncio.Future[bool]) -> None:
        """Send batches until ``mine`` is answered; leave any later ones to a drainer task."""
        self._sending = True
        try:
            while not mine.done() and self._queue:
                await self._send(self._take_batch())
        finally:
            if self._queue:
                self._drainer = asyncio.create_task(self._drain())
            else:
                self._sending = False

    async def _drain(self) -> None:
        try:
            while self._queue:
                await self._send(self._take_batch())
        finally:
            self._sending = False
            self._drainer = None

    def _take_batch(self) -> list[_Append]:
        batch: list[_Append] = []
        later: list[_Append] = []
        tables: set[str] = set()
        for item in self._queue:
            if item[0] in tables:
                later.append(item)
            else:
                tables.add(item[0])
                batch.append(item)
        self._queue = later
        return batch

    async def _send(self, batch: list[_Append]) -> None:
        try:
            if self._connection is None or self._connection.is_closed():
                self._connection = await self._connect()
            rows = await self._connection.fetch(
                APPEND_MANY, [item[0] for item in batch], [item[1] for item in batch]
            )
        except BaseException as exc:
            await self._drop_connection()
            failure = exc if isinstance(exc, Exception) else ConnectionError("append cancelled")
            for _, _, future in batch:
                if not future.done():
                    future.set_exception(failure)
            if not isinstance(exc, Exception):
                raise
            return
        stored = {row[0] for row in rows}
        for table_id, _, future in batch:
            if not future.done():
                future.set_result(table_id in stored)

    async def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            connection.terminate()

    async def close(self) -> None:
        if self._drainer is not None:
            await asyncio.gather(self._drainer, return_exceptions=True)
        if self._connection is not None and not self._connection.is_closed():
            await self._connection.close()
        self._connection = None
