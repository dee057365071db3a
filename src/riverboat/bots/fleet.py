"""A fleet of bots: K bots at each of the first N tables of the lobby, in disco order.

Bot accounts are ``bot-<table>-<k>`` (k from 1), registered in-band on first use (an existing
account is fine); their passwords come from ``password_for`` so that later runs log in again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from riverboat.bots.player import Bot, Think
from riverboat.bots.strategy import STRATEGIES, Strategy, make_strategy
from riverboat.client import RiverboatClient, ServerAddress, TableInfo

log = logging.getLogger(__name__)
LOBBY_USER = "bot-lobby"


@dataclass(frozen=True, slots=True)
class FleetSettings:
    tables: int = 3
    per_table: int = 3
    strategy: str = "mixed"
    """``random``, ``calling``, ``equity``, or ``mixed`` (each table gets a mix of the three)."""
    think: Think = field(default_factory=Think)
    seed: int | None = None


def strategy_for(name: str, k: int) -> Strategy:
    if name == "mixed":
        return make_strategy(("equity", "calling", "random")[k % len(STRATEGIES)])
    return make_strategy(name)


class BotFleet:
    def __init__(
        self,
        address: ServerAddress,
        settings: FleetSettings,
        password_for: Callable[[str], str],
    ) -> None:
        self.address = address
        self.settings = settings
        self.password_for = password_for
        self.bots: list[Bot] = []
        self.tables: list[TableInfo] = []
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def lobby(self) -> list[TableInfo]:
        """The first ``settings.tables`` tables, in disco order."""
        client = RiverboatClient(
            self.address, LOBBY_USER, self.password_for(LOBBY_USER), resource="lobby"
        )
        await client.connect(register=True)
        try:
            return (await client.list_tables())[: self.settings.tables]
        finally:
            await client.close()

    async def start(self) -> list[Bot]:
        """Read the lobby, then start every bot (each keeps itself connected until stopped)."""
        self.tables = await self.lobby()
        if len(self.tables) < self.settings.tables:
            log.warning("only %d tables in the lobby", len(self.tables))
        rng = random.Random(self.settings.seed)
        for table in self.tables:
            for k in range(1, self.settings.per_table + 1):
                user = f"bot-{table.table_id}-{k}"
                self.bots.append(
                    Bot(
                        self.address,
                        user,
                        self.password_for(user),
                        table,
                        strategy_for(self.settings.strategy, k - 1),
                        think=self.settings.think,
                        rng=random.Random(rng.random()),
                    )
                )
        for bot in self.bots:
            self._tasks.append(asyncio.create_task(bot.run(self._stop), name=bot.user))
            await asyncio.sleep(0.02)  # a gentle stampede
        log.info("%d bots at %d tables", len(self.bots), len(self.tables))
        return self.bots

    async def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if not self._tasks:
            return
        _done, pending = await asyncio.wait(self._tasks, timeout=timeout)
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    async def run(self, stop: asyncio.Event) -> None:
        """Start, play until ``stop`` is set, stop."""
        await self.start()
        try:
            await stop.wait()
        finally:
            await self.stop()
