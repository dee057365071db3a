"""Coalesced writes to the XMPP server: the hot path's stanzas leave in as few writes as can be.

A write on a TCP connection is a system call that, on loopback, also runs the receiving side's
network stack: on these machines it was a quarter of the game server's CPU when every input
made two (its events, then the IQ result). Text queued here is written at most two turns of
the event loop later, together with everything else queued meanwhile: an input's events and
the answer to the IQ that caused it (which the waiting handler sends one turn after the
table's actor published), and whatever other tables published in the same turns. Nothing
waits on a timer, so it adds no latency beyond those two turns.

Order is kept with writes that do not go through the outbox: the owner flushes the outbox
before any other write (:meth:`flush`). Text queued while no connection is open is dropped
with the connection (:meth:`clear`): it belonged to a stream that is gone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

log = logging.getLogger(__name__)


class Outbox:
    def __init__(self, write: Callable[[str], None]) -> None:
        self._write = write
        self._queued: list[str] = []
        self._scheduled = False

    def put(self, text: str) -> None:
        self._queued.append(text)
        if not self._scheduled:
            self._scheduled = True
            # Two turns: the first lets futures resolved in this turn wake their tasks, which
            # may queue more (an IQ result after its events); the second writes.
            asyncio.get_running_loop().call_soon(self._next_turn)

    def _next_turn(self) -> None:
        asyncio.get_running_loop().call_soon(self._flush_scheduled)

    def _flush_scheduled(self) -> None:
        self._scheduled = False
        self.flush()

    def flush(self) -> None:
        if not self._queued:
            return
        text = "".join(self._queued)
        self._queued.clear()
        try:
            self._write(text)
        except Exception as exc:  # not connected: the stream is gone
            log.debug("dropped %d characters of output: %s", len(text), exc)

    def clear(self) -> None:
        self._queued.clear()

    def __len__(self) -> int:
        return len(self._queued)
