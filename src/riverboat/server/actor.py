"""One asyncio actor per table: it owns its Table and handles one input at a time.

Inputs are player commands (from the component) and the clock (action deadlines and the start
of the next hand). Nothing else touches the table, so a timeout and an action never race.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Protocol

from riverboat.table.errors import TableError
from riverboat.table.events import Event, HandEnded, PlayerSat
from riverboat.table.table import Table

log = logging.getLogger(__name__)

Command = Callable[[Table], list[Event]]


class EventSink(Protocol):
    def publish(self, table_id: str, events: list[Event]) -> None: ...


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
    ) -> None:
        self.table_id = table_id
        self.table = table
        self._sink = sink
        self._inbox: asyncio.Queue[tuple[Command, asyncio.Future[list[Event]]]] = asyncio.Queue()
        self._next_hand_delay = next_hand_delay
        self._start_delay = start_delay
        self._clock = clock
        self._next_hand_at: float | None = None
        self._task: asyncio.Task[None] | None = None
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

    async def call(self, command: Command) -> list[Event]:
        """Run ``command`` on the table in the actor; its TableError is raised here."""
        future: asyncio.Future[list[Event]] = asyncio.get_running_loop().create_future()
        await self._inbox.put((command, future))
        return await future

    def _wake_at(self) -> float | None:
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
                    self._handle(*job)
                else:
                    self._tick()
            except Exception:  # one bad input must not stop the table
                log.exception("table %s: unexpected error", self.table_id)

    def _handle(self, command: Command, future: asyncio.Future[list[Event]]) -> None:
        try:
            events = command(self.table)
        except TableError as exc:
            if not future.done():
                future.set_exception(exc)
            return
        self._emit(events)
        if not future.done():
            future.set_result(events)

    def _tick(self) -> None:
        now = self._clock()
        table = self.table
        if table.deadline is not None and now >= table.deadline:
            self._emit(table.timeout())
        elif self._next_hand_at is not None and now >= self._next_hand_at:
            self._next_hand_at = None
            if table.hand is None and table.can_start_hand():
                self._emit(table.start_hand())

    def _emit(self, events: list[Event]) -> None:
        if not events:
            return
        self._sink.publish(self.table_id, events)
        table = self.table
        if any(isinstance(e, HandEnded) for e in events):
            self.hands_played += 1
        if table.hand is None and self._next_hand_at is None:
            ended = any(isinstance(e, HandEnded) for e in events)
            if ended or any(isinstance(e, PlayerSat) for e in events) or table.can_start_hand():
                delay = self._next_hand_delay if ended else self._start_delay
                self._next_hand_at = self._clock() + delay
