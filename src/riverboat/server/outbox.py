"""Coalesced writes to the XMPP server: the hot path's stanzas leave in as few writes as can be.

A write on a TCP connection is a system call that, on loopback, also runs the receiving side's
network stack and wakes the XMPP server (on these machines ≈ 40 µs of CPU per write, and the
writer is often preempted in it). Text queued here is written on the event loop's next turn,
together with everything else queued meanwhile: an input's room message, its private messages
and the answer to the IQ that caused it (the table's actor queues them all in one step), and
whatever other tables queued in the same turn. Nothing waits on a timer, so it adds no latency
beyond that turn.

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
