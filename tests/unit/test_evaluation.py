"""Fast hand types must order, tie and fail exactly like unmodified pokerkit."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from itertools import combinations

import pokerkit
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pokerkit import (
    BadugiHand,
    Card,
    Deck,
    EightOrBetterLowHand,
    Hand,
    OmahaEightOrBetterLowHand,
    OmahaHoldemHand,
    Poker,
    RegularLowHand,
    ShortDeckHoldemHand,
    StandardHighHand,
    StandardLowHand,
)

from riverboat.table import evaluation
from riverboat.table.evaluation import FastOmahaHoldemHand, FastStandardHighHand, fast_hand_types
from riverboat.table.hand import LIVE_AUTOMATIONS

DECK: tuple[Card, ...] = tuple(Deck.STANDARD)
Outcome = Hand | str  # a hand, or "ExceptionType: message"

AUTOMATIONS = LIVE_AUTOMATIONS  # everything but dealing: the tests deal explicitly


def fast(hand_type: type[Hand]) -> type[Hand]:
    (result,) = fast_hand_types((hand_type,))
    return result


def outcome(hand_type: type[Hand], hole: Sequence[Card], board: Sequence[Card]) -> Outcome:
    try:
        return hand_type.from_game(iter(hole), tuple(board))
    except (KeyError, ValueError) as error:
        return f"{type(error).__name__}: {error}"


def assert_parity(
    hand_type: type[Hand], deals: Sequence[tuple[Sequence[Card], Sequence[Card]]]
) -> None:
    """Fast and original outcomes agree on failures, and on every pairwise comparison."""
    fast_type = fast(hand_type)
    assert fast_type is not hand_type
    originals = [outcome(hand_type, hole, board) for hole, board in deals]
    fasts = [outcome(fast_type, hole, board) for hole, board in deals]
    for original, quick in zip(originals, fasts, strict=True):
        if isinstance(original, str) or isinstance(quick, str):
            assert original == quick
        else:
            assert repr(original) == repr(quick)
            assert str(original) == str(quick)
    hands = [(o, f) for o, f in zip(originals, fasts, strict=True) if not isinstance(o, str)]
    for (o1, f1), (o2, f2) in combinations(hands, 2):
        assert isinstance(f1, Hand)
        assert isinstance(f2, Hand)
        assert (o1 < o2, o1 <= o2, o1 == o2, o1 != o2, o1 > o2, o1 >= o2) == (
            f1 < f2,
            f1 <= f2,
            f1 == f2,
            f1 != f2,
            f1 > f2,
            f1 >= f2,
        )
        if f1 == f2:
            assert hash(f1) == hash(f2)
    if hands:
        best_original = max(o for o, _ in hands)
        best_fast = max(f for _, f in hands if isinstance(f, Hand))
        assert [i for i, (o, _) in enumerate(hands) if o == best_original] == [
            i for i, (_, f) in enumerate(hands) if f == best_fast
        ]


def table(
    deck: Sequence[Card], players: int, hole: int, board: int
) -> list[tuple[Sequence[Card], Sequence[Card]]]:
    shared = deck[players * hole : players * hole + board]
    return [(deck[i * hole : (i + 1) * hole], shared) for i in range(players)]


shuffled = st.permutations(DECK)


@settings(max_examples=300, deadline=None)
@given(shuffled, st.integers(2, 10), st.sampled_from((3, 4, 5)))
def test_holdem_parity(deck: list[Card], players: int, board: int) -> None:
    assert_parity(StandardHighHand, table(deck, players, 2, board))


@settings(max_examples=300, deadline=None)
@given(shuffled, st.integers(2, 10), st.sampled_from((3, 4, 5)))
def test_omaha_parity(deck: list[Card], players: int, board: int) -> None:
    assert_parity(OmahaHoldemHand, table(deck, players, 4, board))


@settings(max_examples=300, deadline=None)
@given(shuffled, st.integers(2, 7), st.integers(1, 7))
def test_stud_parity_including_partial_up_hands(deck: list[Card], players: int, cards: int) -> None:
    deals = table(deck, players, cards, 0)
    assert_parity(StandardHighHand, deals)
    if cards < 5:
        assert all(isinstance(outcome(fast(StandardHighHand), h, b), str) for h, b in deals)


@settings(max_examples=300, deadline=None)
@given(
    shuffled,
    st.integers(2, 7),
    st.sampled_from((RegularLowHand, EightOrBetterLowHand, StandardLowHand, ShortDeckHoldemHand)),
    st.integers(1, 7),
)
def test_memoised_parity(deck: list[Card], players: int, hand_type: type[Hand], cards: int) -> None:
    assert_parity(hand_type, table(deck, players, cards, 0))
    assert_parity(hand_type, table(deck, players, cards, 0))  # now served from the cache


@settings(max_examples=150, deadline=None)
@given(shuffled, st.integers(2, 9), st.sampled_from((OmahaEightOrBetterLowHand, BadugiHand)))
def test_memoised_board_games_parity(deck: list[Card], players: int, hand_type: type[Hand]) -> None:
    assert_parity(hand_type, table(deck, players, 4, 5 if hand_type is not BadugiHand else 0))


@pytest.mark.parametrize(
    ("hole", "board"),
    [
        ("As??", "KsQsJs2c3d"),
        ("AsKd", "??QsJs2c3d"),
        ("??", "KsQsJs2c3d"),
        ("??", "KsQsJs2c"),
        ("AsKd??", "QsJs"),
        ("??Ad", "KsQs2c"),
        ("A?Kc", "QdJh2s3s4s"),
        ("A?K?", "Q?J?9?"),
        ("AsAs", "AsKsQsJs2d"),
        ("AsKs", "AsKsQs"),
        ("", ""),
        ("AsKsQsJs", ""),
        ("AsKs", "QsJsTs9s8s7s"),
    ],
)
@pytest.mark.parametrize("hand_type", [StandardHighHand, OmahaHoldemHand, RegularLowHand])
def test_unknown_duplicate_and_short_cards(hand_type: type[Hand], hole: str, board: str) -> None:
    deals = [(tuple(Card.parse(hole)), tuple(Card.parse(board))), (DECK[:4], DECK[40:45])]
    assert_parity(hand_type, deals)


def test_fast_types_are_shared_idempotent_subclasses() -> None:
    types = (StandardHighHand, OmahaHoldemHand, RegularLowHand, BadugiHand)
    once = fast_hand_types(types)
    assert once == fast_hand_types(types) == fast_hand_types(once)
    assert once[:2] == (FastStandardHighHand, FastOmahaHoldemHand)
    assert all(issubclass(f, t) for f, t in zip(once, types, strict=True))
    assert FastStandardHighHand.low is OmahaHoldemHand.low is False
    assert once[2].low is True


def test_direct_construction_matches_from_game() -> None:
    built = FastStandardHighHand("AsKsQsJsTs")
    assert built == FastStandardHighHand.from_game("AsKs", "QsJsTs2c3d")
    assert str(built) == "Straight flush (AsKsQsJsTs)"
    with pytest.raises(ValueError, match="invalid"):
        FastStandardHighHand("AsKs")


def test_memo_cache_is_bounded_and_caches_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    memo = fast(EightOrBetterLowHand)
    cache: dict[object, object] = memo._cache  # type: ignore[attr-defined]
    cache.clear()
    monkeypatch.setattr(evaluation, "MEMO_LIMIT", 3)
    first = memo.from_game("As2s", "3c4c5c9dKh")
    assert memo.from_game("As2s", "3c4c5c9dKh") is first
    for _ in range(2):
        with pytest.raises(ValueError, match="No valid EightOrBetterLowHand"):
            memo.from_game("KsQs", "JcTc9c9dKh")
    for board in ("3c4c5c9dQh", "3c4c5c9dJh", "3c4c5c9dTh", "3c4c5c9d8h"):
        memo.from_game("As2s", board)
        assert len(cache) <= 3


# Whole hands through pokerkit's State -------------------------------------------------------

GameFactory = Callable[[], Poker]
GAMES: dict[str, tuple[GameFactory, int]] = {
    "nlhe": (lambda: pokerkit.NoLimitTexasHoldem(AUTOMATIONS, True, 0, (1, 2), 2), 9),
    "plo": (lambda: pokerkit.PotLimitOmahaHoldem(AUTOMATIONS, True, 0, (1, 2), 2), 9),
    "plo8": (
        lambda: pokerkit.FixedLimitOmahaHoldemHighLowSplitEightOrBetter(
            AUTOMATIONS, True, 0, (1, 2), 2, 4
        ),
        9,
    ),
    "stud": (lambda: pokerkit.FixedLimitSevenCardStud(AUTOMATIONS, True, 1, 2, 4, 8), 6),
    "razz": (lambda: pokerkit.FixedLimitRazz(AUTOMATIONS, True, 1, 2, 4, 8), 6),
    "stud8": (
        lambda: pokerkit.FixedLimitSevenCardStudHighLowSplitEightOrBetter(
            AUTOMATIONS, True, 1, 2, 4, 8
        ),
        6,
    ),
}


Result = tuple[tuple[int, ...], tuple[int, ...], tuple[Card, ...]]


def make_fast(game: Poker) -> Poker:
    """Override the game's hand types on the instance, as riverboat does before ``game(...)``."""
    game.hand_types = fast_hand_types(game.hand_types)  # type: ignore[misc]
    return game


def play(game: Poker, stacks: Sequence[int], deck: Sequence[Card], seed: int) -> Result:
    """Play one hand with explicit dealing; nobody folds, some raise to the maximum."""
    state = game(tuple(stacks), len(stacks))
    cards = iter(deck)
    rng = random.Random(seed)
    while state.status:
        if state.can_deal_hole():
            state.deal_hole(next(cards))
        elif state.can_burn_card():
            state.burn_card(next(cards))
        elif state.can_deal_board():
            count = state.board_dealing_count
            assert count is not None
            state.deal_board(tuple(next(cards) for _ in range(count)))
        elif state.can_post_bring_in():
            state.post_bring_in()
        elif state.can_complete_bet_or_raise_to() and rng.random() < 0.2:
            state.complete_bet_or_raise_to(state.max_completion_betting_or_raising_to_amount)
        else:
            state.check_or_call()
    return tuple(state.stacks), tuple(state.payoffs), tuple(state.mucked_cards)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(sorted(GAMES)),
    shuffled,
    st.lists(st.integers(5, 400), min_size=2, max_size=9),
    st.integers(0, 2**32),
)
def test_whole_hand_parity(name: str, deck: list[Card], stacks: list[int], seed: int) -> None:
    factory, max_players = GAMES[name]
    stacks = stacks[:max_players]
    original_game = factory()
    fast_game = make_fast(factory())
    assert fast_game.hand_types != original_game.hand_types
    original = play(original_game, stacks, deck, seed)
    assert play(fast_game, stacks, deck, seed) == original
    assert sum(original[0]) == sum(stacks)


@pytest.mark.parametrize("name", ["nlhe", "plo", "plo8"])
def test_whole_hand_parity_many_players_deep(name: str) -> None:
    factory, _ = GAMES[name]
    rng = random.Random(name)
    for _ in range(15):
        deck = rng.sample(DECK, len(DECK))
        stacks = [rng.randint(20, 2000) for _ in range(rng.randint(2, 9))]
        assert play(make_fast(factory()), stacks, deck, 7) == play(factory(), stacks, deck, 7)
