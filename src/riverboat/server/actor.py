"""One asyncio actor per table: it owns its Table and handles one input at a time.

Inputs are journal entries (``riverboat.server.journal``): player intents from the component and
the clock's own (action deadlines, the start of the next hand). Nothing else touches the table,
so a timeout and an action never race; with a journal, each input is stored before its events
are published.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from riverboat.server.journal import Entry, apply_entry, start_entry
from riverboat.store.deck_cipher import DeckCipher
from riverboat.table.cards import CardSource
from riverboat.table.errors import TableError
from riverboat.table.events import Event, HandEnded, PlayerSat
from riverboat.table.table import Table

log = logging.getLogger(__name__)

class EventSink(Protocol):
    def publish(self, table_id: str, events: list[Event]) -> None: ...


class Journal(Protocol):
    last_phh: str | None
    """The PHH of the last hand it stored."""

    async def record(self, table: Table, entry: Entry, events: Sequence[Event]) -> None: ...

    async def reload(self) -> Table:
        """The table as stored (after a write failed)."""


class TableActor:
    def __init__(
        self,
        table_id: str,
        table: Table,
        sink: EventSink,
        *,
        next_hand_delay: float = 2.0,
        start_delay: float = 1.0,
        clock: Callable[[], float] = time.time,
        journal: Journal | None = None,
        cipher: DeckCipher | None = None,
    ) -> None:
        self.table_id = table_id
        self.table = table
        self._sink = sink
        self._inbox: asyncio.Queue[tuple[Entry, asyncio.Future[list[Event]]]] = asyncio.Queue()
        self._next_hand_delay = next_hand_delay
        self._start_delay = start_delay
        self._clock = clock
        self.journal = journal
        self._cipher = cipher
        self._next_hand_at: float | None = None
        self._task: asyncio.Task[None] | None = None
        self.paused = True
        """While paused (not connected, or rooms not open yet) the clock does not run: no
        timeouts and no new hands. :meth:`resume` gives the player to act a fresh deadline."""
        self.hands_played = 0

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"table-{self.table_id}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def pause(self) -> None:
        self.paused = True

    async def resume(self) -> list[Event]:
        """Run the clock again; the player to act (if any) gets a full action time."""
        self.paused = False
        if self.table.hand is None:
            self._schedule_hand(self._start_delay)
            await self._inbox.put(({"op": "wake", "at": self._clock()}, _done_future()))
            return []
        return await self.call({"op": "resume", "at": self._clock()})

    async def call(self, entry: Entry) -> list[Event]:
        """Run ``entry`` on the table in the actor; its TableError is raised here."""
        future: asyncio.Future[list[Event]] = asyncio.get_running_loop().create_future()
        await self._inbox.put((entry, future))
        return await future

    def _wake_at(self) -> float | None:
        if self.paused:
            return None
        times = [t for t in (self.table.deadline, self._next_hand_at) if t is not None]
        return min(times) if times else None

    async def _run(self) -> None:
        while True:
            wake = self._wake_at()
            timeout = None if wake is None else max(0.0, wake - self._clock())
            job = None
            try:
                async with asyncio.timeout(timeout):
                    job = await self._inbox.get()
            except TimeoutError:
                pass
            try:
                if job is not None:
                    await self._handle(*job)
                else:
                    await self._tick()
            except Exception:  # one bad input must not stop the table
                log.exception("table %s: unexpected error", self.table_id)

    async def _handle(self, entry: Entry, future: asyncio.Future[list[Event]]) -> None:
        if entry["op"] == "wake":
            return
        entry["at"] = self._clock()
        try:
            events = await self._apply(entry)
        except TableError as exc:
            if not future.done():
                future.set_exception(exc)
            return
        except BaseException as exc:
            if not future.done():
                future.set_exception(exc)
            raise
        if not future.done():
            future.set_result(events)

    async def _tick(self) -> None:
        now = self._clock()
        table = self.table
        if table.deadline is not None and now >= table.deadline:
            await self._apply({"op": "timeout", "at": now})
        elif self._next_hand_at is not None and now >= self._next_hand_at:
            self._next_hand_at = None
            if table.hand is None and table.can_start_hand():
                deck = table.new_cards()
                await self._apply(start_entry(now, deck, self._cipher), deck)

    async def _apply(self, entry: Entry, deck: CardSource | None = None) -> list[Event]:
        """Run an entry, store it (when a journal is kept), then publish its events. Nothing
        goes out before it is stored: a crash between the two loses only unpublished work."""
        events = apply_entry(self.table, entry, deck=deck, cipher=self._cipher)
        if self.journal is not None and events:
            try:
                await self.journal.record(self.table, entry, events)
            except Exception:
                # Not stored, so it did not happen: back to the stored table (its events were
                # never published). The object is kept: the component holds it.
                stored = await self.journal.reload()
                vars(self.table).update(vars(stored))
                raise
        self._emit(events)
        return events

    def _schedule_hand(self, delay: float) -> None:
        if self.table.hand is None and self._next_hand_at is None:
            self._next_hand_at = self._clock() + delay

    def _emit(self, events: list[Event]) -> None:
        if not events:
            return
        self._sink.publish(self.table_id, events)
        table = self.table
        ended = any(isinstance(e, HandEnded) for e in events)
        if ended:
            self.hands_played += 1
        if table.hand is None and self._next_hand_at is None and (
            ended or any(isinstance(e, PlayerSat) for e in events) or table.can_start_hand()
        ):
            self._schedule_hand(self._next_hand_delay if ended else self._start_delay)


def _done_future() -> asyncio.Future[list[Event]]:
    future: asyncio.Future[list[Event]] = asyncio.get_running_loop().create_future()
    future.set_result([])
    return future
