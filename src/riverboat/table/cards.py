"""Where a hand's cards come from: a CSPRNG-shuffled deck for live play, scripted sources for
tests and replays. pokerkit's own (Mersenne Twister) deck is never used to deal."""

from __future__ import annotations

import os
import struct
from collections import deque
from collections.abc import Iterable, Sequence
from random import Random
from typing import Any, Protocol

from pokerkit import Card, Deck

from riverboat.table.errors import CardError

UNKNOWN = "??"


def parse_cards(text: str | Iterable[str]) -> tuple[Card, ...]:
    """Parse ``"AsKd"``, ``"As Kd"`` or ``["As", "Kd"]`` into pokerkit cards (``??`` allowed)."""
    raw = text if isinstance(text, str) else "".join(text)
    compact = "".join(raw.split())
    if len(compact) % 2:
        raise CardError(f"cannot read cards from {raw!r}")
    try:
        return tuple(Card.parse(compact))
    except ValueError as exc:
        raise CardError(f"cannot read cards from {raw!r}") from exc


def card_text(cards: Iterable[Card]) -> tuple[str, ...]:
    return tuple(repr(card) for card in cards)


class CardSource(Protocol):
    """Hands out the cards of one hand, as the dealer asks for them."""

    def hole_card(self, player_index: int) -> Card: ...

    def board_card(self) -> Card: ...

    def burn_card(self) -> Card: ...

    def remaining(self) -> int: ...

    def refill(self, cards: Iterable[Card]) -> None:
        """The deck ran out (draw games): shuffle these used cards back in."""


class ShuffledDeck:
    """A full deck in a random order drawn from the operating system's CSPRNG.

    Draw games shuffle used cards back in when the deck runs out; that shuffle draws from a
    generator seeded once per deck (256 bits from the CSPRNG), so a deck restored from its
    :meth:`state` deals exactly the same cards again (crash recovery replays a hand).
    """

    def __init__(self, deck: Deck = Deck.STANDARD) -> None:
        self._cards: deque[Card] = deque(_shuffled(list(deck)))
        self._seed = int.from_bytes(os.urandom(32), "little")
        self._refills: Random | None = None  # made on first use: only draw games refill

    def state(self) -> dict[str, Any]:
        """The undealt cards in order and the refill seed: secret, stored only encrypted."""
        return {"cards": "".join(repr(c) for c in self._cards), "seed": f"{self._seed:x}"}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> ShuffledDeck:
        """The deck as :meth:`state` saw it."""
        deck = cls.__new__(cls)
        deck._cards = deque(parse_cards(str(state["cards"])))
        deck._seed = int(str(state["seed"]), 16)
        deck._refills = None
        return deck

    def refill(self, cards: Iterable[Card]) -> None:
        used = list(cards)
        if self._refills is None:
            self._refills = Random(self._seed)
        self._refills.shuffle(used)
        self._cards.extend(used)

    def _draw(self) -> Card:
        if not self._cards:
            raise CardError("the deck is exhausted")
        return self._cards.popleft()

    def hole_card(self, player_index: int) -> Card:
        return self._draw()

    def board_card(self) -> Card:
        return self._draw()

    def burn_card(self) -> Card:
        return self._draw()

    def remaining(self) -> int:
        return len(self._cards)

    def undealt(self) -> tuple[Card, ...]:
        """The undealt cards in order: secret, for crash-safe storage (encrypted) only."""
        return tuple(self._cards)


_SPAN = 1 << 32


def _below(bound: int, word: int) -> int | None:
    """``word`` (uniform on 32 bits) as a uniform draw below ``bound``; ``None`` when it falls
    in the top slice that would bias the draw (rejection sampling: a chance of at most
    ``bound`` in 2**32)."""
    return word % bound if word < _SPAN - _SPAN % bound else None


def _shuffled(cards: list[Card]) -> list[Card]:
    """Fisher-Yates on the operating system's CSPRNG (``os.urandom``, the source ``secrets``
    uses): every permutation equally likely. The random words for the whole deck come from
    one read (``random.SystemRandom`` makes a system call per card); a rejected word is
    replaced by a fresh one."""
    words = struct.unpack(f"<{len(cards)}I", os.urandom(4 * len(cards)))
    for i in range(len(cards) - 1, 0, -1):
        j = _below(i + 1, words[i])
        while j is None:
            j = _below(i + 1, int.from_bytes(os.urandom(4), "little"))
        cards[i], cards[j] = cards[j], cards[i]
    return cards


class StackedDeck(ShuffledDeck):
    """A deck in a given order (tests): cards are drawn front to back, burns included."""

    def __init__(self, cards: str | Sequence[str]) -> None:
        parsed = parse_cards(cards)
        if len(set(parsed)) != len(parsed):
            raise CardError("a stacked deck holds a duplicate card")
        self._cards = deque(parsed)
        self._seed = 0
        self._refills = Random(0)


class ScriptedDeal:
    """The cards of a recorded hand: per-player hole cards and the board, in the order dealt.

    Burn cards are unknown (``??``); an unknown hole card in the record stays unknown.
    """

    def __init__(self, holes: dict[int, list[Card]], board: list[Card]) -> None:
        self._holes = {i: deque(cards) for i, cards in holes.items()}
        self._board = deque(board)

    def hole_card(self, player_index: int) -> Card:
        queue = self._holes.get(player_index)
        if not queue:
            raise CardError(f"the record deals no more hole cards to player {player_index + 1}")
        return queue.popleft()

    def board_card(self) -> Card:
        if not self._board:
            raise CardError("the record deals no more board cards")
        return self._board.popleft()

    def burn_card(self) -> Card:
        return next(iter(Card.parse(UNKNOWN)))

    def remaining(self) -> int:
        return len(self._board) + sum(len(q) for q in self._holes.values())

    def refill(self, cards: Iterable[Card]) -> None:
        """Nothing to do: a record names every card it deals (burns are unknown)."""
