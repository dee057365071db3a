"""Seats, blinds, pots and the clock at edge cases, with scripted decks where cards matter.

The rules under test are those of :mod:`riverboat.table.seating` (moving button, waiting for
the big blind or posting a dead one, heads-up blinds) and of :class:`riverboat.table.Table`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import pytest
from pokerkit import Deck

from riverboat.table.cards import StackedDeck
from riverboat.table.config import Mode, TableConfig, Variant
from riverboat.table.errors import (
    AmountOutOfRangeError,
    IllegalActionError,
    InsufficientChipsError,
    NoHandError,
    NotYourTurnError,
    TooEarlyError,
)
from riverboat.table.events import (
    ActionKind,
    ActionRequired,
    BoardDealt,
    ChipsAdded,
    Event,
    ForcedBetPosted,
    HandEnded,
    HandStarted,
    HoleCardsDealt,
    PlayerActed,
    PlayerId,
    PlayerLeft,
    PlayerSatOut,
    PotAwarded,
    SeatNo,
    TimeBankUsed,
)
from riverboat.table.table import Table

A, B, C, D, E = (PlayerId(f"{name}@example.org") for name in "abcde")
Ev = TypeVar("Ev", bound=Event)


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_table(
    seats: int = 6,
    clock: Clock | None = None,
    *,
    mode: Mode = Mode.CASH,
    action_time: float = 20.0,
    time_bank: float = 30.0,
    max_timeouts: int = 2,
) -> Table:
    """No-limit hold'em, blinds 1/2, buy-ins 10 to 400."""
    config = TableConfig(
        seats=seats,
        blinds=(1, 2),
        min_buy_in=10,
        max_buy_in=400,
        mode=mode,
        action_time=action_time,
        time_bank=time_bank,
        max_timeouts=max_timeouts,
    )
    return Table(config, clock=clock or Clock())


def seat_all(table: Table, *players: tuple[PlayerId, int, int]) -> None:
    """Seat (player, seat number, buy-in) triples."""
    for player, number, buy_in in players:
        table.sit(player, number, buy_in)


def holdem_deck(holes: Sequence[str], board: str) -> StackedDeck:
    """Hole cards in dealing order (first after the button, button last), then the board with
    a burn before the flop, the turn and the river; unused cards fill the burns."""
    text = "".join(holes) + board
    used = {text[i : i + 2] for i in range(0, len(text), 2)}
    spare = [c for c in map(repr, Deck.STANDARD) if c not in used]
    flop, turn, river = board[:6], board[6:8], board[8:10]
    order = "".join(holes) + spare[0] + flop + spare[1] + turn + spare[2] + river
    return StackedDeck(order + "".join(spare[3:]))


def forced(events: Sequence[Event]) -> dict[SeatNo, tuple[str, int]]:
    return {e.seat: (e.kind, e.amount) for e in events if isinstance(e, ForcedBetPosted)}


def started(events: Sequence[Event]) -> HandStarted:
    first = events[0]
    assert isinstance(first, HandStarted)
    return first


def of_type(events: Sequence[Event], kind: type[Ev]) -> list[Ev]:
    return [e for e in events if isinstance(e, kind)]


def check_or_fold_out(table: Table) -> list[Event]:
    """Finish the hand: everyone checks when free, else folds."""
    events: list[Event] = []
    while table.hand is not None:
        legal = table.legal_actions()
        act = table.check if legal.check else table.fold
        events += act(legal.player)
    return events


def check_or_call_down(table: Table) -> list[Event]:
    events: list[Event] = []
    while table.hand is not None:
        legal = table.legal_actions()
        act = table.check if legal.check else table.call
        events += act(legal.player)
    return events


def check_or_call_down_to_flop(table: Table) -> None:
    while table.hand is not None and not table.hand.state.board_cards:
        legal = table.legal_actions()
        (table.check if legal.check else table.call)(legal.player)


# --- heads-up -------------------------------------------------------------------------------


def test_heads_up_the_button_posts_the_small_blind_and_acts_first_before_the_flop() -> None:
    table = make_table()
    seat_all(table, (A, 1, 200), (B, 2, 200))

    events = table.start_hand()
    assert started(events).button == 1
    assert forced(events) == {1: ("small blind", 1), 2: ("big blind", 2)}
    assert table.to_act == A
    assert table.legal_actions().call == 1
    table.call(A)
    assert table.to_act == B
    assert table.legal_actions().check
    events = table.check(B)
    assert of_type(events, BoardDealt)
    assert table.to_act == B  # after the flop the big blind (not the button) acts first
    check_or_fold_out(table)

    events = table.start_hand()
    assert started(events).button == 2
    assert forced(events) == {2: ("small blind", 1), 1: ("big blind", 2)}
    assert table.to_act == B


def test_heads_up_to_three_handed_and_back() -> None:
    table = make_table(seats=3)
    seat_all(table, (A, 1, 200), (C, 3, 200))
    events = table.start_hand()
    assert started(events).button == 1
    assert forced(events) == {1: ("small blind", 1), 3: ("big blind", 2)}
    check_or_fold_out(table)

    table.sit(B, 2, 200)  # right after the next small blind: the big blind reaches them at once
    events = table.start_hand()
    assert started(events).button == 3
    assert started(events).seats == (1, 2, 3)
    assert forced(events) == {1: ("small blind", 1), 2: ("big blind", 2)}
    assert table.to_act == C  # three-handed, the button is first to act before the flop
    check_or_fold_out(table)

    events = table.start_hand()
    assert started(events).button == 1
    assert forced(events) == {2: ("small blind", 1), 3: ("big blind", 2)}
    check_or_fold_out(table)

    table.stand(C)  # back to heads-up: the button posts the small blind again
    events = table.start_hand()
    assert started(events).button == 2
    assert forced(events) == {2: ("small blind", 1), 1: ("big blind", 2)}
    assert table.to_act == B


# --- entering the game ----------------------------------------------------------------------


def test_a_player_joining_between_the_blinds_waits_for_the_big_blind() -> None:
    table = make_table(seats=4)
    seat_all(table, (A, 1, 200), (B, 2, 200), (D, 4, 200))
    events = table.start_hand()
    assert forced(events) == {2: ("small blind", 1), 4: ("big blind", 2)}
    check_or_fold_out(table)

    table.sit(C, 3, 200)
    dealt: list[tuple[SeatNo, ...]] = []
    for _ in range(3):
        events = table.start_hand()
        dealt.append(started(events).seats)
        if 3 in started(events).seats:
            assert forced(events)[SeatNo(3)] == ("big blind", 2)
            assert not any(kind == "dead big blind" for kind, _ in forced(events).values())
        check_or_fold_out(table)
    # Hand 2: small blind 4, big blind 1; hand 3: small blind 1, big blind 2 (the big blind
    # jumped over seat 3, whose turn had not come); hand 4: big blind 3.
    assert dealt == [(4, 1, 2), (1, 2, 4), (2, 3, 4, 1)]


def test_a_new_player_who_posts_is_dealt_in_next_hand_with_a_dead_big_blind() -> None:
    table = make_table(seats=6)
    seat_all(table, (A, 1, 200), (B, 2, 200), (C, 3, 200), (D, 4, 200))
    table.start_hand()
    check_or_fold_out(table)

    table.sit(E, 6, 200)
    assert table.post(E) == []
    events = table.start_hand()
    assert started(events).button == 2
    assert started(events).seats == (3, 4, 6, 1, 2)
    assert forced(events) == {3: ("small blind", 1), 4: ("big blind", 2), 6: ("dead big blind", 2)}
    hand = table.hand
    assert hand is not None
    assert hand.state.total_pot_amount == 1 + 2 + 2
    assert table.chips_on_table() == 5 * 200
    # Dead money is not a bet: the poster still owes the whole big blind.
    assert table.to_act == E
    assert table.legal_actions().call == 2
    table.call(E)
    assert hand.state.stacks[2] == 200 - 2 - 2
    assert table.seat_of(E).waiting is False


def test_post_is_refused_for_a_player_already_in_the_game() -> None:
    table = make_table()
    seat_all(table, (A, 1, 200), (B, 2, 200))
    table.start_hand()
    with pytest.raises(IllegalActionError, match="already in the game"):
        table.post(A)


def test_a_poster_landing_on_the_small_blind_still_pays_a_big_blind() -> None:
    table = make_table(seats=4)
    seat_all(table, (A, 1, 200), (B, 2, 200), (D, 4, 200))
    table.start_hand()
    check_or_fold_out(table)
    table.sit(C, 3, 200)
    table.post(C)
    events = table.start_hand()
    assert started(events).button == 2
    paid = sum(e.amount for e in of_type(events, ForcedBetPosted) if e.player == C)
    assert 3 not in started(events).seats or paid >= 2


# --- betting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("short_stack", "reopens"),
    [(15, False), (18, True)],
    ids=["short-all-in-does-not-reopen", "full-raise-all-in-reopens"],
)
def test_an_all_in_for_less_than_a_full_raise_does_not_reopen_the_betting(
    short_stack: int, reopens: bool
) -> None:
    table = make_table(seats=4)
    seat_all(table, (A, 1, short_stack), (B, 2, 200), (C, 3, 200), (D, 4, 200))
    table.start_hand()  # button A, small blind B, big blind C: D acts first
    table.bet_or_raise_to(D, 10)  # a raise of 8
    legal = table.legal_actions(A)
    assert legal.raise_range == (short_stack, short_stack)  # all in: to 15 (short) or 18 (full)
    table.all_in(A)
    # The blinds had not acted on the raise: they may still raise, by at least 8.
    legal = table.legal_actions(B)
    assert legal.raise_range is not None
    assert legal.raise_range[0] == short_stack + 8
    table.call(B)
    table.call(C)
    legal = table.legal_actions(D)
    assert legal.fold
    assert legal.call == short_stack - 10
    if reopens:
        assert legal.raise_range is not None
    else:
        assert legal.raise_range is None
        assert not table.can_bet_or_raise_to(D, 40)
        with pytest.raises(IllegalActionError, match="no bet or raise"):
            table.bet_or_raise_to(D, 40)


def test_side_pots_with_three_all_ins_of_different_sizes() -> None:
    table = make_table(seats=4)
    # Button D (seat 1, 100), small blind A (seat 2, 20), big blind B (seat 3, 40),
    # under the gun C (seat 4, 60). A has the best hand, then B, then C; D the worst.
    seat_all(table, (D, 1, 100), (A, 2, 20), (B, 3, 40), (C, 4, 60))
    deck = holdem_deck(["AhAd", "KhKd", "QhQd", "7c2s"], "2c5d9hJs3s")
    events = table.start_hand(cards=deck)
    holes = {e.player: e.cards for e in of_type(events, HoleCardsDealt)}
    assert holes == {A: ("Ah", "Ad"), B: ("Kh", "Kd"), C: ("Qh", "Qd"), D: ("7c", "2s")}

    events = table.all_in(C)
    assert table.legal_actions(D).raise_range is None  # no other stack covers C's 60
    events += table.all_in(D) + table.all_in(A) + table.all_in(B)
    assert table.hand is None
    awards = of_type(events, PotAwarded)
    assert [(p.pot_index, p.amounts) for p in awards] == [
        (0, ((SeatNo(2), A, 80),)),  # 4 x 20: the main pot, to A
        (1, ((SeatNo(3), B, 60),)),  # 3 x 20 more (B, C, D), to B
        (2, ((SeatNo(4), C, 40),)),  # 2 x 20 more (C, D), to C
    ]
    assert sum(a for p in awards for _, _, a in p.amounts) == 20 + 40 + 60 + 60
    ended = of_type(events, HandEnded)[0]
    assert dict(zip(ended.players, ended.stacks, strict=True)) == {A: 80, B: 60, C: 40, D: 40}
    assert dict(zip(ended.players, ended.net, strict=True)) == {A: 60, B: 20, C: -20, D: -60}
    assert {n: s.stack for n, s in table.seats.items()} == {1: 40, 2: 80, 3: 60, 4: 40}
    assert table.chips_on_table() == 220


@pytest.mark.parametrize(
    ("button", "won"),
    [(1, {C: 3, A: 2}), (2, {A: 3, B: 2})],
    ids=["button-1", "button-2"],
)
def test_the_odd_chip_of_a_split_pot_goes_to_the_first_winner_after_the_button(
    button: int, won: dict[PlayerId, int]
) -> None:
    """Rule (pokerkit's): the odd chip goes to the winner closest to the left of the button.

    Three players, blinds 1/2: the small blind folds to the button's limp, and the big blind
    and the button split a royal flush on the board: a pot of 5, so 3 and 2. The big blind
    gets the odd chip, from seat 3 (button 1) as from seat 1 (button 2): by position, not by
    seat number.
    """
    table = make_table(seats=3)
    seat_all(table, (A, 1, 200), (B, 2, 200), (C, 3, 200))
    small_blind, _, on_button = {1: (B, C, A), 2: (C, A, B)}[button]
    deck = holdem_deck(["2c3d", "4c5d", "6c7d"], "AhKhQhJhTh")
    table.start_hand(button=SeatNo(button), cards=deck)
    table.call(on_button)
    table.fold(small_blind)
    events = check_or_call_down(table)
    awards = of_type(events, PotAwarded)
    assert len(awards) == 1
    assert {player: amount for _, player, amount in awards[0].amounts} == won


# --- the button and who plays ---------------------------------------------------------------


def test_the_button_moves_one_active_seat_clockwise_each_hand_skipping_empty_and_out() -> None:
    table = make_table(seats=6)
    seat_all(table, (A, 1, 200), (B, 3, 200), (C, 4, 200), (D, 6, 200))
    buttons: list[SeatNo | None] = []
    for _ in range(5):
        table.start_hand()
        buttons.append(table.button)
        check_or_fold_out(table)
    assert buttons == [1, 3, 4, 6, 1]

    table.sit_out(C)  # seat 4 would be next
    events = table.start_hand()
    assert table.button == 3
    assert 4 not in started(events).seats
    check_or_fold_out(table)
    table.start_hand()
    assert table.button == 6


def test_a_busted_player_is_sat_out_in_a_cash_game() -> None:
    table = make_table(seats=3)
    seat_all(table, (A, 1, 200), (B, 2, 50), (C, 3, 200))
    deck = holdem_deck(["2c7d", "AsAd", "KsKd"], "2h5d9hJs3c")
    table.start_hand(cards=deck)  # button A (KK), small blind B (72, 50 chips), big blind C (AA)
    table.fold(A)
    events = table.all_in(B) + table.call(C)
    ended = of_type(events, HandEnded)[0]
    assert dict(zip(ended.players, ended.stacks, strict=True)) == {A: 200, B: 0, C: 250}
    assert [(e.player, e.reason) for e in of_type(events, PlayerSatOut)] == [(B, "busted")]
    assert not of_type(events, PlayerLeft)
    seat = table.seat_of(B)
    assert seat.sitting_out
    assert seat.stack == 0
    assert table.chips_on_table() == 450
    events = table.start_hand()
    assert (started(events).button, started(events).seats) == (3, (1, 3))  # without B
    check_or_fold_out(table)
    with pytest.raises(InsufficientChipsError, match="no chips"):
        table.come_back(B)
    table.add_chips(B, 100)
    table.come_back(B)
    assert not table.seat_of(B).sitting_out


def test_a_busted_player_leaves_a_tournament() -> None:
    table = make_table(seats=3, mode=Mode.TOURNAMENT)
    seat_all(table, (A, 1, 200), (B, 2, 200), (C, 3, 200))
    with pytest.raises(IllegalActionError, match="tournament"):
        table.stand(A)
    with pytest.raises(IllegalActionError, match="tournament"):
        table.add_chips(A, 10)
    deck = holdem_deck(["2c7d", "AsAd", "KsKd"], "2h5d9hJs3c")
    table.start_hand(cards=deck)
    table.fold(A)
    events = table.all_in(B) + table.call(C)
    left = of_type(events, PlayerLeft)
    assert [(e.player, e.seat, e.stack, e.busted) for e in left] == [(B, 2, 0, True)]
    assert not of_type(events, PlayerSatOut)
    assert 2 not in table.seats
    assert table.chips_on_table() == 600


# --- standing up, sitting out ---------------------------------------------------------------


def test_a_player_who_stands_during_a_hand_is_folded_on_their_turn_and_leaves_at_the_end() -> None:
    table = make_table(seats=3)
    seat_all(table, (A, 1, 200), (B, 2, 200), (C, 3, 200))
    table.start_hand()  # button A, small blind B, big blind C
    assert table.stand(B) == []
    assert table.to_act == A
    assert 2 in table.seats  # still seated (and in the hand) until it ends
    assert table.chips_on_table() == 600
    events = table.bet_or_raise_to(A, 6)
    folded = [e for e in events if isinstance(e, PlayerActed) and e.player == B]
    assert [e.action for e in folded] == [ActionKind.FOLD]
    assert table.to_act == C
    events = table.fold(C)
    assert table.hand is None
    left = of_type(events, PlayerLeft)
    assert [(e.player, e.seat, e.stack, e.busted) for e in left] == [(B, 2, 199, False)]
    assert 2 not in table.seats
    assert table.chips_on_table() == 600 - 199
    assert of_type(events, HandEnded)[0].stacks == (199, 198, 203)


def test_a_player_who_stands_on_their_turn_is_folded_at_once() -> None:
    table = make_table(seats=3)
    seat_all(table, (A, 1, 200), (B, 2, 200), (C, 3, 200))
    table.start_hand()
    events = table.stand(A)
    assert [(e.player, e.action) for e in of_type(events, PlayerActed)] == [(A, ActionKind.FOLD)]
    assert table.to_act == B
    events = table.fold(B)
    assert [(e.player, e.stack) for e in of_type(events, PlayerLeft)] == [(A, 200)]


def test_a_player_who_stood_up_is_checked_when_free_and_folded_to_a_bet() -> None:
    """The table acts for a player who left as the clock does: check if free, else fold."""
    table = make_table(seats=3)
    seat_all(table, (A, 1, 200), (B, 2, 200), (C, 3, 200))
    table.start_hand()  # button A, small blind B, big blind C
    table.stand(C)
    table.call(A)
    events = table.call(B)  # the big blind's option: a check is free
    acted = [e.action for e in of_type(events, PlayerActed) if e.player == C]
    assert acted == [ActionKind.CHECK]
    assert table.to_act == B  # the flop
    events = table.bet_or_raise_to(B, 10)
    acted = [e.action for e in of_type(events, PlayerActed) if e.player == C]
    assert acted == [ActionKind.FOLD]  # C's turn comes after B's bet: folded
    events = check_or_fold_out(table)
    assert [(e.player, e.stack) for e in of_type(events, PlayerLeft)] == [(C, 198)]


def test_another_player_standing_up_does_not_restart_the_clock_of_the_player_to_act() -> None:
    clock = Clock()
    table = make_table(seats=3, clock=clock, action_time=20.0)
    seat_all(table, (A, 1, 200), (B, 2, 200), (C, 3, 200))
    table.start_hand()
    deadline = table.deadline
    assert deadline == clock.now + 20.0
    clock.now += 15.0
    events = table.stand(C)
    assert table.deadline == deadline
    assert not of_type(events, ActionRequired)


def test_sit_out_and_come_back() -> None:
    table = make_table(seats=4)
    seat_all(table, (A, 1, 200), (B, 2, 200), (C, 3, 200), (D, 4, 200))
    table.start_hand()  # button A, small blind B, big blind C, D under the gun
    events = table.sit_out(D)  # during the hand: D plays it out, then sits out
    assert [(e.player, e.reason) for e in of_type(events, PlayerSatOut)] == [(D, "requested")]
    with pytest.raises(IllegalActionError, match="already sitting out"):
        table.sit_out(D)
    assert table.to_act == D
    check_or_fold_out(table)

    events = table.start_hand()
    assert started(events).seats == (3, 1, 2)  # without D
    check_or_fold_out(table)
    with pytest.raises(IllegalActionError, match="not sitting out"):
        table.come_back(A)
    table.come_back(D)
    # D missed a hand, so waits for the big blind: not on the small blind (button C,
    # seat 4 would be next), not under the gun (button A, blinds B and C) ...
    dealt = []
    for _ in range(3):
        events = table.start_hand()
        dealt.append((started(events).button, started(events).seats))
        check_or_fold_out(table)
    assert dealt == [(3, (1, 2, 3)), (1, (2, 3, 1)), (2, (3, 4, 1, 2))]
    # ... and is dealt in when the big blind reaches seat 4.
    assert forced(events)[SeatNo(4)] == ("big blind", 2)


def test_coming_back_with_post_deals_in_at_once_with_a_dead_big_blind() -> None:
    table = make_table(seats=5)
    seat_all(table, (A, 1, 200), (B, 2, 200), (C, 3, 200), (D, 4, 200), (E, 5, 200))
    table.sit_out(D)
    for _ in range(3):  # buttons 1, 2, 3
        table.start_hand()
        check_or_fold_out(table)
    table.come_back(D, post=True)
    events = table.start_hand()  # button 5, small blind 1, big blind 2: seat 4 is last to act
    assert started(events).button == 5
    assert started(events).seats == (1, 2, 3, 4, 5)
    assert forced(events) == {1: ("small blind", 1), 2: ("big blind", 2), 4: ("dead big blind", 2)}
    hand = table.hand
    assert hand is not None
    assert hand.state.total_pot_amount == 5


# --- chips ----------------------------------------------------------------------------------


def test_add_chips_between_hands_counts_at_once() -> None:
    table = make_table(seats=3)
    seat_all(table, (A, 1, 100), (B, 2, 200))
    events = table.add_chips(A, 50)
    assert events == [ChipsAdded(seq=table.seq, seat=SeatNo(1), player=A, amount=50, stack=150)]
    assert table.seat_of(A).stack == 150
    assert table.chips_on_table() == 350
    with pytest.raises(AmountOutOfRangeError, match="between 1 and 250") as caught:
        table.add_chips(A, 251)
    assert (caught.value.minimum, caught.value.maximum) == (1, 250)
    assert table.chips_on_table() == 350


def test_add_chips_during_a_hand_waits_for_the_next_hand() -> None:
    table = make_table(seats=3)
    seat_all(table, (A, 1, 100), (B, 2, 200), (C, 3, 200))
    deck = holdem_deck(["KsKd", "AsAd", "3c7d"], "2h5d9hJs4c")
    table.start_hand(cards=deck)  # button A (73), small blind B (KK), big blind C (AA)
    events = table.add_chips(A, 50)
    assert [(e.amount, e.stack) for e in of_type(events, ChipsAdded)] == [(50, 150)]
    hand = table.hand
    assert hand is not None
    assert hand.state.stacks[2] == 100  # not playable in this hand
    assert table.legal_actions(A).raise_range == (4, 100)
    assert table.chips_on_table() == 550
    # A loses everything in this hand but is not sat out: the pending chips play next hand.
    table.all_in(A)
    events = table.all_in(B) + table.fold(C)
    ended = of_type(events, HandEnded)[0]
    assert dict(zip(ended.players, ended.stacks, strict=True))[A] == 0
    assert not of_type(events, PlayerSatOut)
    assert table.chips_on_table() == 550
    events = table.start_hand()
    assert dict(zip(started(events).players, started(events).stacks, strict=True))[A] == 50


# --- the clock ------------------------------------------------------------------------------


def test_a_timeout_before_the_deadline_is_refused_and_changes_nothing() -> None:
    clock = Clock()
    table = make_table(seats=3, clock=clock, action_time=20.0, time_bank=30.0)
    with pytest.raises(NoHandError):
        table.timeout()
    seat_all(table, (A, 1, 200), (B, 2, 200), (C, 3, 200))
    table.start_hand()
    seq, deadline = table.seq, table.deadline
    clock.now += 19.5
    with pytest.raises(TooEarlyError, match=r"0\.5 s"):
        table.timeout()
    assert (table.seq, table.deadline, table.to_act) == (seq, deadline, A)
    assert table.seat_of(A).time_bank == 30.0


def test_a_timeout_uses_the_time_bank_first_then_folds() -> None:
    clock = Clock()
    table = make_table(seats=3, clock=clock, action_time=20.0, time_bank=30.0)
    seat_all(table, (A, 1, 200), (B, 2, 200), (C, 3, 200))
    table.start_hand()
    clock.now += 20.0
    events = table.timeout()
    assert events == [
        TimeBankUsed(
            seq=table.seq,
            hand_no=1,
            seat=SeatNo(1),
            player=A,
            deadline=clock.now + 30.0,
            time_bank_left=30.0,
        )
    ]
    assert table.to_act == A
    assert table.deadline == clock.now + 30.0
    clock.now += 10.0
    with pytest.raises(TooEarlyError):
        table.timeout()
    clock.now += 20.0
    events = table.timeout()
    acted = of_type(events, PlayerActed)
    assert [(e.player, e.action, e.timed_out) for e in acted] == [(A, ActionKind.FOLD, True)]
    assert table.seat_of(A).time_bank == 0.0
    assert table.to_act == B


def test_acting_in_the_time_bank_keeps_what_is_left_of_it() -> None:
    clock = Clock()
    table = make_table(seats=3, clock=clock, action_time=20.0, time_bank=30.0)
    seat_all(table, (A, 1, 200), (B, 2, 200), (C, 3, 200))
    table.start_hand()
    clock.now += 20.0
    table.timeout()
    clock.now += 12.0
    table.call(A)
    assert table.seat_of(A).time_bank == pytest.approx(18.0)
    assert table.seat_of(A).timeouts == 0


def test_a_timeout_checks_when_checking_is_free() -> None:
    clock = Clock()
    table = make_table(seats=2, clock=clock, time_bank=0.0)
    seat_all(table, (A, 1, 200), (B, 2, 200))
    table.start_hand()
    table.call(A)
    assert table.to_act == B
    assert table.deadline is not None
    clock.now = table.deadline
    events = table.timeout()
    acted = of_type(events, PlayerActed)
    assert [(e.player, e.action, e.timed_out) for e in acted] == [(B, ActionKind.CHECK, True)]
    assert table.hand is not None  # the hand goes on to the flop
    assert of_type(events, BoardDealt)


def test_max_timeouts_in_a_row_sit_the_player_out_after_the_hand() -> None:
    clock = Clock()
    table = make_table(seats=3, clock=clock, time_bank=0.0, max_timeouts=2)
    seat_all(table, (A, 1, 200), (B, 2, 200), (C, 3, 200))

    def time_out(player: PlayerId) -> list[Event]:
        assert table.to_act == player
        assert table.deadline is not None
        clock.now = table.deadline
        return table.timeout()

    table.start_hand()  # button A: A acts first
    time_out(A)
    check_or_fold_out(table)
    assert table.seat_of(A).timeouts == 1
    assert not table.seat_of(A).sitting_out

    table.start_hand()  # button B, small blind C, big blind A: B acts first
    table.call(B)
    table.call(C)
    events = time_out(A)  # A may check: the timeout checks, the hand goes on
    assert [e.action for e in of_type(events, PlayerActed)] == [ActionKind.CHECK]
    assert table.seat_of(A).timeouts == 2
    assert not table.seat_of(A).sitting_out  # not before the hand ends
    events = check_or_fold_out(table)
    assert [(e.player, e.reason) for e in of_type(events, PlayerSatOut)] == [(A, "timeouts")]
    assert table.seat_of(A).sitting_out
    events = table.start_hand()
    assert 1 not in started(events).seats


def test_acting_resets_the_run_of_timeouts() -> None:
    clock = Clock()
    table = make_table(seats=3, clock=clock, time_bank=0.0, max_timeouts=2)
    seat_all(table, (A, 1, 200), (B, 2, 200), (C, 3, 200))
    table.start_hand()
    assert table.deadline is not None
    clock.now = table.deadline
    table.timeout()  # A folds on time
    check_or_fold_out(table)
    table.start_hand()
    table.call(B)
    table.call(C)
    table.check(A)  # A acts: the run of timeouts is over
    assert table.seat_of(A).timeouts == 0
    assert table.deadline is not None
    clock.now = table.deadline
    table.timeout()
    events = check_or_fold_out(table)
    assert not of_type(events, PlayerSatOut)


# --- refusals and their messages ------------------------------------------------------------


def test_an_out_of_range_raise_names_the_range() -> None:
    table = make_table(seats=3)
    seat_all(table, (A, 1, 200), (B, 2, 200), (C, 3, 200))
    table.start_hand()
    seq = table.seq
    with pytest.raises(
        AmountOutOfRangeError, match=r"^raise must be between 4 and 200, not 3$"
    ) as e:
        table.bet_or_raise_to(A, 3)
    assert (e.value.minimum, e.value.maximum) == (4, 200)
    with pytest.raises(AmountOutOfRangeError, match="between 4 and 200, not 201"):
        table.bet_or_raise_to(A, 201)
    with pytest.raises(NotYourTurnError, match=r"^it is not your turn: seat 1 is to act$") as turn:
        table.call(B)
    assert str(A) not in str(turn.value)  # never another player's JID
    with pytest.raises(IllegalActionError, match="cannot check: 2 to call"):
        table.check(A)
    assert table.seq == seq
    check_or_call_down_to_flop(table)
    with pytest.raises(AmountOutOfRangeError, match=r"^bet must be between 2 and 198, not 1$"):
        table.bet_or_raise_to(B, 1)
    with pytest.raises(IllegalActionError, match="check instead of folding"):
        table.fold(B)


def test_a_fixed_limit_raise_must_be_exact() -> None:
    config = TableConfig(
        variant=Variant.FLHE, seats=3, small_bet=2, big_bet=4, min_buy_in=10, max_buy_in=400
    )
    table = Table(config, clock=Clock())
    seat_all(table, (A, 1, 200), (B, 2, 200), (C, 3, 200))
    table.start_hand()
    with pytest.raises(AmountOutOfRangeError, match=r"^raise must be exactly 4, not 6$"):
        table.bet_or_raise_to(A, 6)
    assert table.legal_actions().raise_range == (4, 4)


def test_a_buy_in_outside_the_range_is_refused() -> None:
    table = make_table()
    with pytest.raises(AmountOutOfRangeError, match="between 10 and 400, not 5"):
        table.sit(A, 1, 5)
    assert table.seats == {}


def test_stud_has_no_blinds_to_wait_for_and_the_lowest_upcard_brings_it_in() -> None:
    config = TableConfig(
        variant=Variant.STUD,
        seats=4,
        blinds=(),
        antes=1,
        bring_in=1,
        small_bet=2,
        big_bet=4,
        min_buy_in=10,
        max_buy_in=400,
    )
    table = Table(config, clock=Clock())
    seat_all(table, (A, 1, 200), (B, 2, 200))
    table.start_hand()
    check_or_fold_out_stud(table)
    table.sit(C, 3, 200)  # no big blind to wait for: dealt in at once, paying the ante
    # Two down, one up each, in dealing order (C, A, B); the lowest upcard is A's 2c (clubs
    # rank below diamonds when upcards tie).
    deck = StackedDeck("QsJsKh" + "9c8c2c" + "AsKs2d" + "7h6h5h4h3h")
    events = table.start_hand(cards=deck)
    assert started(events).seats == (3, 1, 2)
    assert forced(events) == {3: ("ante", 1), 1: ("ante", 1), 2: ("ante", 1)}
    dealt = {e.player: (e.cards, e.face_up) for e in of_type(events, HoleCardsDealt)}
    assert dealt[A] == (("9c", "8c", "2c"), (False, False, True))
    assert table.to_act == A
    legal = table.legal_actions()
    assert (legal.bring_in, legal.raise_range, legal.fold, legal.check) == (1, (2, 2), False, False)
    with pytest.raises(IllegalActionError, match="bring-in"):
        table.fold(A)
    events = table.post_bring_in(A)
    assert [(e.action, e.amount) for e in of_type(events, PlayerActed)] == [
        (ActionKind.BRING_IN, 1)
    ]
    legal = table.legal_actions()
    assert (legal.player, legal.call, legal.raise_range, legal.fold) == (B, 1, (2, 2), True)
    events = table.bet_or_raise_to(B, 2)
    assert [e.action for e in of_type(events, PlayerActed)] == [ActionKind.COMPLETE]


def check_or_fold_out_stud(table: Table) -> None:
    while table.hand is not None:
        legal = table.legal_actions()
        if legal.bring_in is not None:
            table.post_bring_in(legal.player)
        else:
            (table.check if legal.check else table.fold)(legal.player)
