"""Fast drop-in replacements for pokerkit hand types.

``StandardHighHand`` and ``OmahaHoldemHand`` are evaluated with eval7; every other hand type
is memoised. Results (ordering, ties, exceptions, ``str``/``repr``) match unmodified pokerkit:
anything the fast path cannot represent exactly (unknown or duplicate cards, too few cards) is
handed to pokerkit's own ``from_game``.
"""

from __future__ import annotations

from abc import abstractmethod
from collections import Counter
from collections.abc import Iterator
from itertools import chain, combinations
from types import GeneratorType
from typing import Any, ClassVar, cast

from pokerkit import Card, CardsLike, Deck, Hand, OmahaHoldemHand, Rank, StandardHighHand, Suit

from riverboat.table.eval7_core import eval7

__all__ = [
    "MEMO_LIMIT",
    "FastOmahaHoldemHand",
    "FastStandardHighHand",
    "fast_hand_types",
]

MEMO_LIMIT = 100_000
"""A memoised type's cache is cleared when it would grow beyond this many entries."""

_Cards = tuple[Card, ...]
_E7: dict[tuple[Rank, Suit], Any] = {(c.rank, c.suit): eval7.Card(repr(c)) for c in Deck.STANDARD}
_evaluate = eval7.evaluate


def _clean(cards: CardsLike) -> _Cards:
    """``Card.clean`` with a shortcut for the tuples and iterators pokerkit's State passes."""
    kind = type(cards)
    if kind is tuple:
        return cast(_Cards, cards)
    if kind is filter or kind is GeneratorType or kind is list:
        return tuple(cast(list[Card], cards))
    return Card.clean(cards)


def _to_eval7(cards: _Cards) -> list[Any] | None:
    """eval7 cards for ``cards``, or None if any is unknown/odd or the cards repeat."""
    try:
        out = [_E7[card.rank, card.suit] for card in cards]
    except (KeyError, AttributeError, TypeError):
        return None
    return out if len(set(out)) == len(out) else None


def _canonical_value(cards: _Cards) -> int:
    """eval7 value of a valid 5-card standard hand, from its ranks and suitedness only.

    pokerkit's standard lookup keys a hand by (rank multiset, all-one-suit), so this also covers
    cards eval7 cannot hold (e.g. an unknown suit).
    """
    ranks = [str(card.rank) for card in cards]
    if len({card.suit for card in cards}) <= 1:
        suits = ["s"] * len(ranks)
    else:
        seen: Counter[str] = Counter()
        suits = []
        for rank in ranks:
            suits.append("shdc"[seen[rank]])
            seen[rank] += 1
        if len(seen) == len(ranks):  # all ranks distinct: break the would-be flush
            suits[-1] = "h"
    return int(_evaluate([eval7.Card(r + s) for r, s in zip(ranks, suits, strict=True)]))


class _Eval7Hand(Hand):
    """A high hand ordered by its eval7 value; ``cards`` (hence ``repr``/``str``) is lazy."""

    _original: ClassVar[type[Hand]]
    _value: int
    _sources: tuple[_Cards, _Cards]
    _best: _Cards | None

    def __init__(self, cards: CardsLike) -> None:
        self._best = Card.clean(cards)
        self._sources = (self._best, ())
        super().__init__(self._best)
        self._value = _canonical_value(self._best)

    @classmethod
    @abstractmethod
    def _value_of(cls, hole: _Cards, board: _Cards) -> int | None:
        """eval7 value, or None when pokerkit must decide (raise or handle odd cards)."""

    @classmethod
    @abstractmethod
    def _candidates(cls, hole: _Cards, board: _Cards) -> Iterator[_Cards]:
        """The 5-card combinations in pokerkit's evaluation order."""

    @classmethod
    def _make(cls, value: int, sources: tuple[_Cards, _Cards], best: _Cards | None) -> Hand:
        hand = cls.__new__(cls)
        hand._value = value
        hand._sources = sources
        hand._best = best
        return hand

    @classmethod
    def from_game(cls, hole_cards: CardsLike, board_cards: CardsLike = ()) -> Hand:
        """Evaluate like pokerkit's ``from_game``, through eval7 whenever that is exact."""
        key = (_clean(hole_cards), _clean(board_cards))
        # A showdown asks for the same hands many times: remember them (hands are values, so
        # callers may share one; its best five cards are worked out once, if ever asked for).
        hands = _HANDS[cls]
        hand = hands.get(key)
        if hand is None:
            value = cls._value_of(*key)
            if value is None:
                best = cls._original.from_game(*key).cards  # raises exactly as pokerkit
                return cls._make(_canonical_value(best), key, best)
            hand = cls._make(value, key, None)
            if len(hands) >= MEMO_LIMIT:
                hands.clear()
            hands[key] = hand
        return hand

    @property
    def cards(self) -> _Cards:
        """The best five cards, as pokerkit would choose them (first maximal combination)."""
        if self._best is None:
            for combo in self._candidates(*self._sources):
                e7 = _to_eval7(combo)
                if e7 is not None and _evaluate(e7) == self._value:
                    self._best = combo
                    break
            else:  # pragma: no cover - unreachable when eval7 agrees with pokerkit
                self._best = self._original.from_game(*self._sources).cards
        return self._best

    def __eq__(self, other: Any) -> bool:
        if type(self) is not type(other):
            return NotImplemented
        return self._value == other._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __lt__(self, other: Any) -> bool:
        if type(self) is not type(other):
            return NotImplemented
        return self._value < other._value

    def __le__(self, other: Any) -> bool:
        if type(self) is not type(other):
            return NotImplemented
        return self._value <= other._value

    def __gt__(self, other: Any) -> bool:
        if type(self) is not type(other):
            return NotImplemented
        return self._value > other._value

    def __ge__(self, other: Any) -> bool:
        if type(self) is not type(other):
            return NotImplemented
        return self._value >= other._value


class FastStandardHighHand(_Eval7Hand, StandardHighHand):
    """eval7-backed ``StandardHighHand`` (best five of all hole and board cards)."""

    _original = StandardHighHand

    @classmethod
    def _value_of(cls, hole: _Cards, board: _Cards) -> int | None:
        if len(hole) + len(board) < 5:
            return None
        e7 = _to_eval7(hole + board)
        return None if e7 is None else int(_evaluate(e7))

    @classmethod
    def _candidates(cls, hole: _Cards, board: _Cards) -> Iterator[_Cards]:
        return combinations(chain(hole, board), 5)


class FastOmahaHoldemHand(_Eval7Hand, OmahaHoldemHand):
    """eval7-backed ``OmahaHoldemHand`` (exactly two hole cards and three board cards)."""

    _original = OmahaHoldemHand

    @classmethod
    def _value_of(cls, hole: _Cards, board: _Cards) -> int | None:
        if len(hole) < 2 or len(board) < 3:
            return None
        e7 = _to_eval7(hole + board)
        if e7 is None:
            return None
        pairs = [list(pair) for pair in combinations(e7[: len(hole)], 2)]
        triples = [list(triple) for triple in combinations(e7[len(hole) :], 3)]
        return int(max(_evaluate(pair + triple) for pair in pairs for triple in triples))

    @classmethod
    def _candidates(cls, hole: _Cards, board: _Cards) -> Iterator[_Cards]:
        for pair in combinations(hole, 2):
            for triple in combinations(board, 3):
                yield pair + triple


_MemoKey = tuple[_Cards, _Cards]
_HANDS: dict[type, dict[_MemoKey, Hand]] = {FastStandardHighHand: {}, FastOmahaHoldemHand: {}}
_MemoEntry = tuple[Hand | None, tuple[Any, ...]]  # (hand, ValueError args when hand is None)


def _memoised(base: type[Hand]) -> type[Hand]:
    """A subclass of ``base`` whose ``from_game`` is cached; it returns ``base``'s own hands."""
    cache: dict[_MemoKey, _MemoEntry] = {}
    original = base.from_game

    def from_game(cls: type[Hand], hole_cards: CardsLike, board_cards: CardsLike = ()) -> Hand:
        key = (_clean(hole_cards), _clean(board_cards))
        try:
            entry = cache.get(key)
        except TypeError:  # unhashable junk: let pokerkit deal with it
            return original(*key)
        if entry is None:
            try:
                entry = (original(*key), ())
            except ValueError as error:
                entry = (None, error.args)
            if len(cache) >= MEMO_LIMIT:
                cache.clear()
            cache[key] = entry
        hand, error_args = entry
        if hand is None:
            raise ValueError(*error_args)
        return hand

    namespace = {
        "__doc__": f"Memoised ``{base.__qualname__}`` (returns ``{base.__qualname__}`` hands).",
        "__module__": __name__,
        "from_game": classmethod(from_game),
        "_original": base,
        "_cache": cache,
    }
    return cast(type[Hand], type(f"Memoised{base.__name__}", (base,), namespace))


_FAST: dict[type[Hand], type[Hand]] = {
    StandardHighHand: FastStandardHighHand,
    OmahaHoldemHand: FastOmahaHoldemHand,
}


def _fast_type(hand_type: type[Hand]) -> type[Hand]:
    if hand_type in _FAST.values():
        return hand_type
    fast = _FAST.get(hand_type)
    if fast is None:
        fast = _FAST.setdefault(hand_type, _memoised(hand_type))
    return fast


def fast_hand_types(hand_types: tuple[type[Hand], ...]) -> tuple[type[Hand], ...]:
    """Drop-in fast replacements, one per given hand type (idempotent, shared per type)."""
    return tuple(_fast_type(hand_type) for hand_type in hand_types)
