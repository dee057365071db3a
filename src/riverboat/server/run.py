"""Running the component: connect, reconnect with back-off, shut down gracefully."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from typing import Any

from riverboat.server.component import GameComponent
from riverboat.server.settings import ServerSettings
from riverboat.table.table import Table

log = logging.getLogger(__name__)


async def build_component(settings: ServerSettings) -> GameComponent:
    """The component with its tables: fresh ones, or with a store, those it holds restored."""
    if settings.store_url is None:
        tables = {
            spec.table_id: Table(spec.config, clock=time.time) for spec in settings.tables
        }
        return GameComponent(settings, tables)
    from riverboat.server.persistence import open_persistence

    persistence, tables = await open_persistence(settings, settings.store_url, time.time)
    return GameComponent(settings, tables, persistence)


async def run_component(component: GameComponent, stop: asyncio.Event) -> None:
    """Keep the component connected until ``stop`` is set; then shut it down."""
    delay = 0.5
    lost = asyncio.Event()

    def on_disconnect(_: Any) -> None:
        component.ready.clear()
        component.pause_tables()
        for room in component.rooms.values():
            room.occupants.clear()
        lost.set()

    component.add_event_handler("disconnected", on_disconnect)
    component.add_event_handler("session_start", lambda _: _reset_delay())

    def _reset_delay() -> None:
        nonlocal delay
        delay = 0.5

    while not stop.is_set():
        lost.clear()
        try:
            await component.connect()
        except OSError as exc:
            log.warning("cannot reach the XMPP server: %s", exc)
            lost.set()
        stop_wait = asyncio.create_task(stop.wait())
        lost_wait = asyncio.create_task(lost.wait())
        await asyncio.wait({stop_wait, lost_wait}, return_when=asyncio.FIRST_COMPLETED)
        stop_wait.cancel()
        lost_wait.cancel()
        if stop.is_set():
            break
        log.warning("disconnected from the XMPP server; reconnecting in %.1f s", delay)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await stop.wait()
        delay = min(delay * 2, 30.0)
    await component.shutdown()


async def serve(settings: ServerSettings) -> None:
    """``riverboat serve``: run until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    component = await build_component(settings)
    await run_component(component, stop)
