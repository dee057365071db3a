"""What a bot knows when it must act, what it may decide, and the simple strategies.

A strategy sees a :class:`Situation` built from the bot's table mirror and returns a
:class:`Decision`. It need not be exactly legal: the bot sends it, and on a refusal clamps an
amount into the range the error carries or falls back to check / call / fold
(:mod:`riverboat.bots.player`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Protocol

from riverboat.client.mirror import TableMirror

HOLDEM_VARIANTS = ("NLHE", "FLHE")


@dataclass(frozen=True, slots=True)
class Situation:
    variant: str
    big_blind: int
    stack: int
    bet: int
    """Our chips in front of us on this street."""
    to_call: int
    current_bet: int
    """The highest bet on this street (a raise is 'to' more than this)."""
    pot: int
    board: tuple[str, ...]
    cards: tuple[str, ...]
    """Our hole cards (empty if unknown)."""
    opponents: int
    """Players still contesting the pot besides us."""

    @classmethod
    def from_mirror(cls, mirror: TableMirror, big_blind: int) -> Situation | None:
        seat = mirror.my_seat
        if seat is None:
            return None
        return cls(
            variant=mirror.variant,
            big_blind=big_blind,
            stack=seat.stack,
            bet=seat.bet,
            to_call=mirror.to_call(seat),
            current_bet=mirror.current_bet,
            pot=mirror.pot,
            board=mirror.board,
            cards=mirror.my_cards,
            opponents=max(0, len(mirror.players_in_hand()) - 1),
        )

    def raise_to(self, size: int) -> int:
        """The 'to' amount of a bet or raise of ``size`` chips over the current bet."""
        return self.current_bet + max(size, self.big_blind)


@dataclass(frozen=True, slots=True)
class Decision:
    kind: str
    """As on the wire: ``fold``, ``check``, ``call``, ``bet``, ``raise``, ``allin``,
    ``bringin``, ``discard``."""
    amount: int | None = None
    cards: str = ""


def check_or_call(situation: Situation) -> Decision:
    return Decision("call" if situation.to_call else "check")


def bet_to(situation: Situation, to: int) -> Decision:
    return Decision("raise" if situation.current_bet else "bet", to)


class Strategy(Protocol):
    name: str

    def decide(self, situation: Situation, rng: random.Random) -> Decision: ...


class CallingStation:
    """Checks when it can, calls otherwise; never folds, never raises."""

    name = "calling"

    def decide(self, situation: Situation, rng: random.Random) -> Decision:
        return check_or_call(situation)


class RandomPlayer:
    """A random legal-looking action: mostly check/call, sometimes fold, bet, raise or shove."""

    name = "random"

    def decide(self, situation: Situation, rng: random.Random) -> Decision:
        roll = rng.random()
        size = int(max(situation.pot, situation.big_blind) * rng.uniform(0.5, 1.0))
        if situation.to_call == 0:
            if roll < 0.6:
                return Decision("check")
            if roll < 0.97:
                return bet_to(situation, situation.raise_to(size))
            return Decision("allin")
        if roll < 0.2:
            return Decision("fold")
        if roll < 0.75:
            return Decision("call")
        if roll < 0.96:
            return bet_to(situation, situation.raise_to(size))
        return Decision("allin")


STRATEGIES = ("random", "calling", "equity")


def make_strategy(name: str) -> Strategy:
    """A strategy by name (``random``, ``calling``, ``equity``)."""
    if name == "random":
        return RandomPlayer()
    if name == "calling":
        return CallingStation()
    if name == "equity":
        from riverboat.bots.equity import EquityPlayer

        return EquityPlayer()
    raise ValueError(f"unknown strategy {name!r}; known: {', '.join(STRATEGIES)}")


def big_blind_of(stakes: str) -> int:
    """The unit of a table from its lobby stakes (``1/2`` -> 2, ``ante 5`` -> 5)."""
    numbers = [int(part) for part in stakes.replace("/", " ").split() if part.isdigit()]
    return max(numbers, default=1)
