"""Riverboat's showdown (``riverboat.table.showdown``) must do exactly what pokerkit's automatic
show-or-muck does: random hands are played twice, once with pokerkit's automation and once with
``show_or_muck_next`` and ``speed_up``, and must give the same operations, in the same order."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pokerkit
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pokerkit import Mode, Operation, Poker, State

from riverboat.table.evaluation import fast_hand_types
from riverboat.table.hand import GAME_AUTOMATIONS, LIVE_AUTOMATIONS
from riverboat.table.showdown import CanWinNow, show_or_muck_next, speed_up

Factory = Callable[..., Poker]  # (automations, mode=..., starting_board_count=..., rake=...)
GAMES: dict[str, tuple[Factory, int]] = {
    "nlhe": (partial(pokerkit.NoLimitTexasHoldem, ante_trimming_status=True, raw_antes=0,
                     raw_blinds_or_straddles=(1, 2), min_bet=2), 9),
    "plo": (partial(pokerkit.PotLimitOmahaHoldem, ante_trimming_status=True, raw_antes=0,
                    raw_blinds_or_straddles=(1, 2), min_bet=2), 9),
    "plo8": (partial(pokerkit.FixedLimitOmahaHoldemHighLowSplitEightOrBetter,
                     ante_trimming_status=True, raw_antes=0, raw_blinds_or_straddles=(1, 2),
                     small_bet=2, big_bet=4), 9),
    "stud": (partial(pokerkit.FixedLimitSevenCardStud, ante_trimming_status=True, raw_antes=1,
                     bring_in=2, small_bet=4, big_bet=8), 7),
    "stud8": (partial(pokerkit.FixedLimitSevenCardStudHighLowSplitEightOrBetter,
                      ante_trimming_status=True, raw_antes=1, bring_in=2, small_bet=4,
                      big_bet=8), 7),
    "razz": (partial(pokerkit.FixedLimitRazz, ante_trimming_status=False, raw_antes=(0, 1, 2),
                     bring_in=2, small_bet=4, big_bet=8), 7),
    "27sd": (partial(pokerkit.NoLimitDeuceToSevenLowballSingleDraw, ante_trimming_status=True,
                     raw_antes=0, raw_blinds_or_straddles=(1, 2), min_bet=2), 6),
    "badugi": (partial(pokerkit.FixedLimitBadugi, ante_trimming_status=True, raw_antes=0,
                       raw_blinds_or_straddles=(1, 2), small_bet=2, big_bet=4), 6),
}
BOARD_GAMES = ("nlhe", "plo", "plo8")


@dataclass(frozen=True)
class Deal:
    """One hand to play: the game, the stacks, the seed of every random choice, and options."""

    name: str
    stacks: tuple[int, ...]
    seed: int
    mode: Mode = Mode.CASH_GAME
    boards: int = 1
    rake: float = 0.0


def play(deal: Deal, ours: bool) -> tuple[list[Operation], list[int]]:
    """One hand, nobody folding much, some raising to the limit (all-ins, side pots).

    pokerkit deals from its own deck, shuffled with ``random`` (seeded alike for both runs).
    ``ours``: the show-or-muck automation is off and ``show_or_muck_next`` runs the showdowns,
    checking ``CanWinNow`` against ``State.can_win_now`` for every hand still in on the way.
    """
    factory, _ = GAMES[deal.name]
    game = factory(
        GAME_AUTOMATIONS if ours else LIVE_AUTOMATIONS,
        mode=deal.mode,
        starting_board_count=deal.boards,
        rake=partial(pokerkit.rake, percentage=deal.rake),
    )
    game.hand_types = fast_hand_types(game.hand_types)  # type: ignore[misc]
    random.seed(deal.seed)
    state = game(deal.stacks, len(deal.stacks))
    if ours:
        speed_up(state)
    rng = random.Random(deal.seed)
    while state.status:
        if ours and state.showdown_indices:
            assert_same_can_win_now(state)
            if show_or_muck_next(state):
                continue
        if state.can_deal_hole():
            state.deal_hole()
        elif state.can_burn_card():
            state.burn_card()
        elif state.can_deal_board():
            state.deal_board()
        elif state.can_stand_pat_or_discard():
            index = state.stand_patter_or_discarder_index
            assert index is not None
            hole = state.hole_cards[index]
            state.stand_pat_or_discard(rng.sample(hole, rng.randint(0, len(hole))))
        elif state.can_post_bring_in() and rng.random() < 0.7:
            state.post_bring_in()
        elif state.can_complete_bet_or_raise_to() and rng.random() < 0.25:
            low = state.min_completion_betting_or_raising_to_amount
            high = state.max_completion_betting_or_raising_to_amount
            assert low is not None
            assert high is not None
            state.complete_bet_or_raise_to(rng.choice((low, high, rng.randint(low, high))))
        elif state.can_fold() and rng.random() < 0.1:
            state.fold()
        elif state.can_check_or_call():
            state.check_or_call()
        else:
            break  # a showdown pokerkit refuses to automate: both runs stop here
    if ours and state.status:
        assert_same_can_win_now(state)
    return list(state.operations), list(state.stacks)


def assert_same_can_win_now(state: State) -> None:
    mine = CanWinNow(state)
    for index in state.player_indices:
        if state.statuses[index]:
            assert mine(index) == State.can_win_now(state, index), index


@st.composite
def deals(draw: st.DrawFn) -> Deal:
    name = draw(st.sampled_from(sorted(GAMES)))
    stacks = draw(st.lists(st.integers(3, 300), min_size=2, max_size=GAMES[name][1]))
    return Deal(
        name,
        tuple(stacks),
        draw(st.integers(0, 2**32)),
        draw(st.sampled_from((Mode.CASH_GAME, Mode.TOURNAMENT))),
        draw(st.sampled_from((1, 1, 2))) if name in BOARD_GAMES else 1,
        draw(st.sampled_from((0.0, 0.0, 0.05))),
    )


@settings(max_examples=120, deadline=None)
@given(deals())
def test_same_showdowns_as_pokerkit(deal: Deal) -> None:
    assert play(deal, ours=True) == play(deal, ours=False)


@pytest.mark.parametrize("name", ["nlhe", "plo"])
def test_same_showdowns_many_players_short_stacks(name: str) -> None:
    """The calling-station case the table is tuned for, and many all-ins and side pots."""
    rng = random.Random(name)
    for _ in range(60):
        stacks = [rng.choice((rng.randint(3, 30), 200)) for _ in range(rng.randint(2, 9))]
        deal = Deal(name, tuple(stacks), rng.randrange(2**32))
        assert play(deal, ours=True) == play(deal, ours=False)


def test_unknown_hole_card_stops_both_at_the_showdown() -> None:
    """pokerkit will not show an unknown card: its automation stops, and so does ours. (The
    big blind is all-in, so every hand must be shown.)"""
    results = []
    for ours in (False, True):
        game = pokerkit.NoLimitTexasHoldem(
            GAME_AUTOMATIONS if ours else LIVE_AUTOMATIONS, True, 0, (1, 2), 2
        )
        state = game((100, 2, 100), 3)
        if ours:
            speed_up(state)
        for hole in ("AsAd", "????", "KsKd"):
            state.deal_hole(hole)
        boards = iter(("2c3c4h", "9d", "Th"))
        while state.status and not state.showdown_indices:
            if state.can_burn_card():
                state.burn_card("??")
            elif state.can_deal_board():
                state.deal_board(next(boards))
            else:
                state.check_or_call()
        while show_or_muck_next(state):
            pass
        results.append((list(state.operations), state.showdown_index, state.status))
    assert results[0] == results[1]
    assert results[0][1:] == (1, True)  # stuck at the unknown hand, as pokerkit is
