"""The player's wallet and recent hands, asked of the game component (IQ ``get``)."""

from __future__ import annotations

import datetime as dt
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from riverboat.protocol.codec import event_from_json
from riverboat.table.events import Event


@dataclass(frozen=True, slots=True)
class WalletInfo:
    balance: int
    on_tables: dict[str, int] = field(default_factory=dict)
    total: int = 0


@dataclass(frozen=True, slots=True)
class PastHandInfo:
    """One finished hand as this player may see it (others' mucked cards stay hidden)."""

    table_id: str  # the table's JID (t1@games.example.org): a store may serve several servers
    ended: dt.datetime
    events: list[Event]


class AccountRequests(ABC):
    xmpp: Any

    @property
    @abstractmethod
    def games_jid(self) -> str: ...

    @abstractmethod
    async def _send(self, iq: Any) -> Any: ...

    async def wallet(self) -> WalletInfo:
        iq = self.xmpp.make_iq_get(ito=self.games_jid)
        iq.enable("rb_wallet")
        data = json.loads((await self._send(iq))["rb_wallet"]["json"])
        return WalletInfo(int(data["balance"]), dict(data["on_tables"]), int(data["total"]))

    async def history(self, limit: int = 10) -> list[PastHandInfo]:
        """The newest ``limit`` hands first."""
        iq = self.xmpp.make_iq_get(ito=self.games_jid)
        iq["rb_history"]["limit"] = str(limit)
        data = json.loads((await self._send(iq))["rb_history"]["json"])
        return [
            PastHandInfo(
                hand["table"],
                dt.datetime.fromisoformat(hand["ended"]),
                [_event(raw) for raw in hand["events"]],
            )
            for hand in data
        ]


def _event(raw: dict[str, Any]) -> Event:
    fields = dict(raw)
    kind = fields.pop("type")
    return event_from_json(kind, json.dumps(fields))
