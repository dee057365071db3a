"""The component's coalesced writes: one write a turn, in order, nothing after a lost stream."""

from __future__ import annotations

import asyncio

from riverboat.server.outbox import Outbox


async def test_what_is_queued_in_one_turn_leaves_in_one_write_in_order() -> None:
    writes: list[str] = []
    outbox = Outbox(writes.append)
    outbox.put("<a/>")
    outbox.put("<b/>")
    assert writes == []  # not before the turn ends
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert writes == ["<a/><b/>"]
    outbox.put("<c/>")
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert writes == ["<a/><b/>", "<c/>"]


async def test_a_direct_flush_keeps_the_order_with_other_writes() -> None:
    writes: list[str] = []
    outbox = Outbox(writes.append)
    outbox.put("<event/>")
    outbox.flush()  # what the owner does before writing anything else itself
    writes.append("<presence/>")
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert writes == ["<event/>", "<presence/>"]


async def test_a_lost_stream_drops_its_queue_and_a_failed_write_is_not_raised() -> None:
    writes: list[str] = []
    outbox = Outbox(writes.append)
    outbox.put("<old/>")
    outbox.clear()
    await asyncio.sleep(0)
    assert writes == []
    assert len(outbox) == 0

    def broken(text: str) -> None:
        raise ConnectionError("not connected")

    failing = Outbox(broken)
    failing.put("<x/>")
    failing.flush()
    assert len(failing) == 0
