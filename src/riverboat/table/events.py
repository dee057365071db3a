"""Every change at a table is one of these frozen events, numbered by a per-table sequence.

Each event knows its audience: ``private_to`` names the one player who may see the hidden part
of a private event; :func:`riverboat.table.views.view_for` is the single place that decides
what a given viewer receives.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import NewType

PlayerId = NewType("PlayerId", str)
"""A player's identity: on the wire, the real bare JID stamped by the XMPP server."""

SeatNo = NewType("SeatNo", int)
"""A seat number, 1 to the table's seat count."""


class ActionKind(Enum):
    FOLD = "fold"
    CHECK = "check"
    CALL = "call"
    BET = "bet"
    RAISE = "raise"
    BRING_IN = "bring-in"
    COMPLETE = "complete"
    DISCARD = "discard"
    STAND_PAT = "stand-pat"


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    seq: int
    hand_no: int | None = None

    @property
    def private_to(self) -> PlayerId | None:
        """The only player allowed the hidden part of this event, if it has one."""
        return None


# --- seats ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PlayerSat(Event):
    seat: SeatNo
    player: PlayerId
    stack: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PlayerLeft(Event):
    seat: SeatNo
    player: PlayerId
    stack: int
    busted: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class PlayerSatOut(Event):
    seat: SeatNo
    player: PlayerId
    reason: str = "requested"


@dataclass(frozen=True, slots=True, kw_only=True)
class PlayerCameBack(Event):
    seat: SeatNo
    player: PlayerId


@dataclass(frozen=True, slots=True, kw_only=True)
class ChipsAdded(Event):
    seat: SeatNo
    player: PlayerId
    amount: int
    stack: int


# --- hands ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class HandStarted(Event):
    button: SeatNo | None
    seats: tuple[SeatNo, ...]
    """Seats dealt in, in pokerkit's order (first after the button, button last)."""
    players: tuple[PlayerId, ...]
    stacks: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ForcedBetPosted(Event):
    seat: SeatNo
    player: PlayerId
    kind: str  # "ante", "small blind", "big blind", "straddle", "dead big blind"
    amount: int


@dataclass(frozen=True, slots=True, kw_only=True)
class HoleCardsDealt(Event):
    seat: SeatNo
    player: PlayerId
    cards: tuple[str | None, ...]
    """Card tokens such as ``Ah``; ``None`` where the viewer may not see the card."""
    face_up: tuple[bool, ...]

    @property
    def private_to(self) -> PlayerId | None:
        return self.player


@dataclass(frozen=True, slots=True, kw_only=True)
class BoardDealt(Event):
    cards: tuple[str, ...]
    board: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionRequired(Event):
    seat: SeatNo
    player: PlayerId
    deadline: float
    time_bank: float


@dataclass(frozen=True, slots=True, kw_only=True)
class PlayerActed(Event):
    seat: SeatNo
    player: PlayerId
    action: ActionKind
    amount: int = 0
    """Chips added to the pot by this action."""
    total: int = 0
    """The player's bet on this street after the action (for bets and raises: the 'to')."""
    all_in: bool = False
    discarded: tuple[str | None, ...] = ()
    """Draw games: the discarded cards (only their owner sees them; others see how many)."""
    timed_out: bool = False

    @property
    def private_to(self) -> PlayerId | None:
        return self.player if self.discarded else None


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeBankUsed(Event):
    seat: SeatNo
    player: PlayerId
    deadline: float
    time_bank_left: float


@dataclass(frozen=True, slots=True, kw_only=True)
class CardsShown(Event):
    seat: SeatNo
    player: PlayerId
    cards: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class HandMucked(Event):
    seat: SeatNo
    player: PlayerId


@dataclass(frozen=True, slots=True, kw_only=True)
class PotAwarded(Event):
    pot_index: int
    amounts: tuple[tuple[SeatNo, PlayerId, int], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class HandEnded(Event):
    seats: tuple[SeatNo, ...]
    players: tuple[PlayerId, ...]
    stacks: tuple[int, ...]
    net: tuple[int, ...]
    """Each player's result for the hand, in the order of ``seats`` (sums to zero)."""
    cancelled: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class TableResumed(Event):
    """The table's clock runs again: the game server (re)started or got its connection back.
    Its sequence number tells a client that missed events while the server was away to re-sync
    (an ``action-required`` with a fresh deadline follows when a hand is on)."""
