"""The player's actions as methods: each one IQ ``set`` with an ``<action/>`` payload.

Each raises the table core's own error on refusal (``NotYourTurnError``,
``AmountOutOfRangeError`` with ``minimum`` / ``maximum``, ``SeatTakenError``…).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable

from riverboat.client.lobby import TableInfo
from riverboat.client.watch import TableWatch
from riverboat.protocol.intents import IntentKind

TableRef = TableInfo | TableWatch | str
"""A table: its lobby record, its watch, its JID (``t1@games.example.org``) or its id (``t1``)."""


class TableActions(ABC):
    @abstractmethod
    async def act(
        self,
        table: TableRef,
        kind: str,
        *,
        amount: int | None = None,
        seat: int | None = None,
        cards: str | None = None,
    ) -> None: ...

    # --- seats --------------------------------------------------------------------------------

    async def sit(
        self, table: TableRef, seat: int | None = None, buy_in: int | None = None
    ) -> None:
        """Take ``seat`` (default: the first free one) with ``buy_in`` chips (default: the
        table's default buy-in)."""
        await self.act(table, IntentKind.SIT.value, seat=seat, amount=buy_in)

    async def stand(self, table: TableRef) -> None:
        await self.act(table, IntentKind.STAND.value)

    async def sit_out(self, table: TableRef) -> None:
        await self.act(table, IntentKind.SIT_OUT.value)

    async def back(self, table: TableRef) -> None:
        """Back from sitting out (dealt in again at the big blind)."""
        await self.act(table, IntentKind.BACK.value)

    async def post(self, table: TableRef) -> None:
        """Post a dead big blind to be dealt into the next hand."""
        await self.act(table, IntentKind.POST.value)

    async def add_chips(self, table: TableRef, amount: int) -> None:
        await self.act(table, IntentKind.ADD_CHIPS.value, amount=amount)

    # --- betting ------------------------------------------------------------------------------

    async def fold(self, table: TableRef) -> None:
        await self.act(table, IntentKind.FOLD.value)

    async def check(self, table: TableRef) -> None:
        await self.act(table, IntentKind.CHECK.value)

    async def call(self, table: TableRef) -> None:
        await self.act(table, IntentKind.CALL.value)

    async def bet(self, table: TableRef, amount: int) -> None:
        await self.act(table, IntentKind.BET.value, amount=amount)

    async def raise_to(self, table: TableRef, amount: int) -> None:
        """Raise **to** ``amount`` (the player's total bet on this street)."""
        await self.act(table, IntentKind.RAISE.value, amount=amount)

    async def all_in(self, table: TableRef) -> None:
        await self.act(table, IntentKind.ALL_IN.value)

    async def bring_in(self, table: TableRef) -> None:
        await self.act(table, IntentKind.BRING_IN.value)

    async def discard(self, table: TableRef, cards: str | Iterable[str] = "") -> None:
        """Draw games: discard ``cards`` (``"7h2c"`` or ``["7h", "2c"]``); none = stand pat."""
        text = cards if isinstance(cards, str) else "".join(cards)
        await self.act(table, IntentKind.DISCARD.value, cards=text.replace(" ", ""))
