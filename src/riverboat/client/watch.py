"""One watched table: its ordered stream of events and its mirror, re-synced on a gap.

The client hands every trusted payload to :meth:`TableWatch.deliver`. Public events are passed
on in ``seq`` order; a ``seq`` that skips ahead means events were missed, so the watch fetches a
snapshot, re-bases its mirror on it and carries on from there (events that arrive meanwhile are
kept and replayed). Private events are passed on as they arrive when they show something their
public twin does not (``riverboat.client.mirror.is_private`` tells them apart).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from riverboat.client.mirror import TableMirror, is_private
from riverboat.table.events import Event, PlayerId

if TYPE_CHECKING:
    from riverboat.client.lobby import TableInfo
    from riverboat.table.snapshot import TableView

log = logging.getLogger(__name__)

Fetch = Callable[[], Awaitable["TableView"]]
MAX_QUEUED = 10_000


class TableWatch:
    """Async iterator over a table's events (``async for event in watch``)."""

    def __init__(self, table: TableInfo, nick: str, fetch: Fetch) -> None:
        self.table = table
        self.nick = nick
        self._fetch = fetch
        self.mirror: TableMirror | None = None
        self.resyncs = 0
        """How many times a gap made the watch re-sync from a snapshot."""
        self.closed = False
        self._queue: asyncio.Queue[Event | None] = asyncio.Queue()
        self._buffer: list[tuple[Event, bool]] = []
        self._syncing = True  # until the first snapshot
        self._resync_task: asyncio.Task[None] | None = None
        self.on_resync: Callable[[TableWatch], None] | None = None

    @property
    def table_id(self) -> str:
        return self.table.table_id

    @property
    def state(self) -> TableMirror:
        """The mirror (available once :meth:`start` returned)."""
        if self.mirror is None:
            raise RuntimeError("the watch has not started yet")
        return self.mirror

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        """Take the first snapshot (events arriving meanwhile are kept and replayed)."""
        view = await self._fetch()
        self.mirror = TableMirror(self.table_id, view, PlayerId(self.nick))
        self._finish_sync()

    async def refresh(self) -> None:
        """Re-sync from a snapshot now (e.g. when ``mirror.cards_stale``)."""
        self._syncing = True
        await self._resync()

    def close(self) -> None:
        """End the stream (the client lost its connection or stopped watching)."""
        if self.closed:
            return
        self.closed = True
        if self._resync_task is not None:
            self._resync_task.cancel()
        self._queue.put_nowait(None)

    # --- input from the client ----------------------------------------------------------------

    def deliver(self, event: Event, *, private: bool = False) -> None:
        """A trusted payload for this table (public from the room, or private from the dealer)."""
        if self.closed:
            return
        if private:
            if self.mirror is None:
                self._buffer.append((event, True))  # passed on after the first snapshot
                return
            self.mirror.apply_private(event)
            if is_private(event):  # else it shows nothing its public twin does not
                self._emit(event)
            return
        mirror = self.mirror
        if self._syncing or mirror is None:
            self._buffer.append((event, False))
            return
        if event.seq <= mirror.seq:
            return  # already applied (or included in the snapshot)
        if event.seq == mirror.seq + 1:
            mirror.apply(event)
            self._emit(event)
            return
        log.info(
            "table %s: gap after seq %d (got %d): re-syncing", self.table_id, mirror.seq, event.seq
        )
        self._buffer.append((event, False))
        self._syncing = True
        self._resync_task = asyncio.create_task(self._resync(), name=f"resync-{self.table_id}")

    async def _resync(self) -> None:
        for attempt in range(5):
            try:
                view = await self._fetch()
            except Exception as exc:  # any failure: try again, then give up
                log.warning("table %s: snapshot failed (%s)", self.table_id, exc)
                await asyncio.sleep(0.2 * (attempt + 1))
                continue
            if self.mirror is None:
                self.mirror = TableMirror(self.table_id, view, PlayerId(self.nick))
                self._finish_sync()
                return
            previous = self.mirror.seq
            self.mirror.reset(view)
            self.resyncs += 1
            self._finish_sync(previous)
            if self.on_resync is not None:
                self.on_resync(self)
            return
        self.close()

    def _finish_sync(self, previous: int | None = None) -> None:
        """Replay what arrived while syncing. After a gap (``previous``: the mirror's seq before
        it), the events received that the snapshot already covers are passed on too, in order,
        so that the stream shows everything that did arrive (e.g. an ``action-required``)."""
        assert self.mirror is not None
        pending = sorted(self._buffer, key=lambda item: item[0].seq)
        self._buffer.clear()
        self._syncing = False
        if previous is not None:
            covered = self.mirror.seq
            passed = previous
            for event, private in pending:
                if not private and passed < event.seq <= covered:
                    self._emit(event)
                    passed = event.seq
        for event, private in pending:
            self.deliver(event, private=private)

    def _emit(self, event: Event) -> None:
        if self._queue.qsize() >= MAX_QUEUED:
            with contextlib.suppress(asyncio.QueueEmpty):
                self._queue.get_nowait()
        self._queue.put_nowait(event)

    # --- output -------------------------------------------------------------------------------

    def __aiter__(self) -> TableWatch:
        return self

    async def __anext__(self) -> Event:
        if self.closed and self._queue.empty():
            raise StopAsyncIteration
        event = await self._queue.get()
        if event is None:
            raise StopAsyncIteration
        return event

    async def next_event(self, timeout: float | None = None) -> Event:
        """The next event; ``TimeoutError`` after ``timeout`` s, ``EOFError`` once closed."""
        async with asyncio.timeout(timeout):
            async for event in self:
                return event
        raise EOFError(f"table {self.table_id}: the watch is closed")

    async def wait_for(
        self, predicate: Callable[[Event], bool], timeout: float | None = None
    ) -> Event:
        """Skip events until one matches ``predicate``."""
        async with asyncio.timeout(timeout):
            async for event in self:
                if predicate(event):
                    return event
        raise EOFError(f"table {self.table_id}: the watch is closed")
