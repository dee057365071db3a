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
from collections import deque
from collections.abc import Callable, Sequence
from typing import Protocol

from riverboat.server.journal import Entry, apply_entry, start_entry
from riverboat.store.deck_cipher import DeckCipher
from riverboat.table.cards import CardSource
from riverboat.table.errors import TableError
from riverboat.table.events import Event, HandEnded, PlayerSat
from riverboat.table.table import Table

log = logging.getLogger(__name__)

Reply = Callable[[list[Event] | None, BaseException | None], None]
"""Told how an input ended, in the actor, right after its events were published: its events,
or the error that refused it (``None`` for the other)."""


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
        # A deque and one waiter future rather than an asyncio.Queue inside asyncio.timeout:
        # this wait happens for every input, and the plain form costs a fraction.
        self._inbox: deque[tuple[Entry, Reply]] = deque()
        self._waiter: asyncio.Future[None] | None = None
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
            self.submit({"op": "wake", "at": self._clock()}, _ignore)
            return []
        return await self.call({"op": "resume", "at": self._clock()})

    async def call(self, entry: Entry) -> list[Event]:
        """Run ``entry`` on the table in the actor; its TableError is raised here."""
        future: asyncio.Future[list[Event]] = asyncio.get_running_loop().create_future()
        self.submit(entry, lambda events, error: _settle(future, events, error))
        return await future

    def submit(self, entry: Entry, reply: Reply) -> None:
        """Queue ``entry``; ``reply`` is called in the actor once it has run (the hot path:
        no task or future for the caller to wait on)."""
        self._inbox.append((entry, reply))
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _wake_at(self) -> float | None:
        if self.paused:
            return None
        times = [t for t in (self.table.deadline, self._next_hand_at) if t is not None]
        return min(times) if times else None

    async def _wait(self) -> None:
        """Until an input arrives or the clock's next moment (deadline, next hand) comes."""
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        wake = self._wake_at()
        timer = None
        if wake is not None:
            timer = loop.call_later(max(0.0, wake - self._clock()), _release, waiter)
        try:
            await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()

    async def _run(self) -> None:
        while True:
            if not self._inbox:
                await self._wait()
            try:
                if self._inbox:
                    await self._handle(*self._inbox.popleft())
                else:
                    await self._tick()
            except Exception:  # one bad input must not stop the table
                log.exception("table %s: unexpected error", self.table_id)

    async def _handle(self, entry: Entry, reply: Reply) -> None:
        if entry["op"] == "wake":
            return
        entry["at"] = self._clock()
        try:
            events = await self._apply(entry)
        except TableError as exc:
            reply(None, exc)
            return
        except BaseException as exc:
            reply(None, exc)
            raise
        reply(events, None)

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


def _settle(
    future: asyncio.Future[list[Event]], events: list[Event] | None, error: BaseException | None
) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(events or [])


def _release(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def _ignore(events: list[Event] | None, error: BaseException | None) -> None:
    return None
