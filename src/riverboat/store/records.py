"""The values the store takes and returns: small frozen dataclasses, no database types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from riverboat.store.errors import InvalidRecordError

TransferKind = Literal["buy_in", "cash_out"]


@dataclass(frozen=True, slots=True)
class BankrollPolicy:
    """Chips a new player is granted, and the periodic top-up for players below a floor.

    A top-up brings the wallet balance up to ``topup_floor``, at most once per
    ``topup_period`` seconds (counted from the grant or the last top-up).
    """

    initial_grant: int = 10_000
    topup_floor: int = 1_000
    topup_period: float = 86_400.0

    def __post_init__(self) -> None:
        if self.initial_grant < 0 or self.topup_floor < 0 or self.topup_period <= 0:
            raise InvalidRecordError(f"invalid bankroll policy {self!r}")


@dataclass(frozen=True, slots=True)
class Transfer:
    """Chips moved between a player's wallet and their account at a table."""

    kind: TransferKind
    player: str  # bare JID
    table_id: str
    amount: int  # > 0
    hand_no: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("buy_in", "cash_out"):
            raise InvalidRecordError(f"unknown transfer kind {self.kind!r}")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount <= 0:
            raise InvalidRecordError(f"a transfer moves a positive number of chips, not "
                                     f"{self.amount!r}")
        check_jid(self.player)


@dataclass(frozen=True, slots=True)
class HandRecord:
    """A finished hand as the server stores it."""

    table_id: str
    hand_no: int
    ended_at: datetime  # aware UTC
    players: tuple[str, ...]  # bare JIDs in hand order
    net: tuple[int, ...]  # chips won (+) / lost (-) per player, same order
    phh: str  # the hand as PHH text (pokerkit format)

    def __post_init__(self) -> None:
        if self.ended_at.tzinfo is None:
            raise InvalidRecordError(f"ended_at must be timezone-aware, not {self.ended_at!r}")
        if len(self.players) != len(self.net):
            raise InvalidRecordError(
                f"{len(self.players)} players but {len(self.net)} net amounts")
        if len(set(self.players)) != len(self.players):
            raise InvalidRecordError(f"a player appears twice in {self.players!r}")
        if sum(self.net) != 0:
            raise InvalidRecordError(f"net amounts {self.net!r} sum to {sum(self.net)}, not 0")
        for player in self.players:
            check_jid(player)


@dataclass(frozen=True, slots=True)
class StoredHand:
    """A hand read back from the store."""

    table_id: str
    hand_no: int
    ended_at: datetime
    players: tuple[str, ...]
    net: tuple[int, ...]
    phh: str


@dataclass(frozen=True, slots=True)
class SavedTable:
    """A table's definition, its last checkpoint and the journal written since."""

    table_id: str
    title: str
    config: dict[str, Any]
    checkpoint: dict[str, Any] | None
    journal: list[dict[str, Any]]  # in append order


@dataclass(frozen=True, slots=True)
class Wallet:
    """A player's chips: in the wallet, and at each table (only tables holding chips)."""

    balance: int = 0
    on_tables: dict[str, int] = field(default_factory=dict)
    last_topup: datetime | None = None  # the grant or the last top-up

    @property
    def total(self) -> int:
        return self.balance + sum(self.on_tables.values())


@dataclass(frozen=True, slots=True)
class AuditReport:
    """What ``Store.audit`` found: chips in play (wallets + tables) and every discrepancy."""

    chips_in_play: int
    sources: int  # chips granted and topped up (minus the source accounts' balances)
    discrepancies: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.discrepancies

    def summary(self) -> str:
        word = "balanced" if self.ok else "unbalanced"
        count = len(self.discrepancies)
        return f"ledger {word}: {self.chips_in_play} chips in play, {count} discrepancies"


def check_jid(jid: str) -> None:
    """Refuse what cannot be a bare JID as the store uses it in account names."""
    if not jid or "/" in jid or ":" in jid or any(c.isspace() for c in jid):
        raise InvalidRecordError(f"not a bare JID: {jid!r}")
