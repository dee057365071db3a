"""Property tests of the table runtime: random legal play, several hands per example.

Each example seats 2 to 10 players, plays a few hands choosing at random among the actions the
table lists as legal (bets and raises at the edges and inside the allowed range, discards of
random subsets of the player's own cards, all-ins, timeouts, stand-ups), tops up and seats
players between hands, and checks after every command:

(a) chips are conserved: ``chips_on_table()`` moves only with buy-ins, top-ups and departures;
    each hand's results sum to zero (no rake) and its events account for every chip;
(b) no card is dealt twice within a hand: a card in play is never dealt again, and a used card
    comes back only once the deck is exhausted (draw games and crowded stud reshuffle the
    discards and the muck);
(c) ``view_for`` never shows anyone another seat's face-down cards, and shows owners their own;
(d) every listed action is accepted, unlisted ones are refused with a ``TableError`` that
    changes nothing;
(e) event sequence numbers go up by exactly one, with no gaps, over the whole run.

``RIVERBOAT_TABLE_EXAMPLES`` raises the number of examples per variant for a longer hunt.
"""

from __future__ import annotations

import os
import random
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from functools import partial
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import event as statistic
from hypothesis import strategies as st
from pokerkit import Card, Deck

from riverboat.table.cards import StackedDeck
from riverboat.table.config import TableConfig, Variant
from riverboat.table.errors import (
    AmountOutOfRangeError,
    IllegalActionError,
    NotSeatedError,
    NotYourTurnError,
    TableError,
    TooEarlyError,
)
from riverboat.table.events import (
    ActionKind,
    BoardDealt,
    CardsShown,
    ChipsAdded,
    Event,
    ForcedBetPosted,
    HandEnded,
    HandMucked,
    HandStarted,
    HoleCardsDealt,
    PlayerActed,
    PlayerId,
    PlayerLeft,
    PlayerSat,
    PotAwarded,
    TimeBankUsed,
)
from riverboat.table.hand import LegalActions
from riverboat.table.table import Table
from riverboat.table.views import view_for

EXAMPLES = int(os.environ.get("RIVERBOAT_TABLE_EXAMPLES", "25"))
HANDS_PER_EXAMPLE = 4
DECK: tuple[Card, ...] = tuple(Deck.STANDARD)
MAX_BURNS = 5  # one per street at most
STRANGER = PlayerId("stranger@example.org")


def _no_limit(variant: Variant) -> TableConfig:
    return TableConfig(variant=variant, blinds=(1, 2), min_buy_in=10, max_buy_in=120)


def _fixed_limit(variant: Variant) -> TableConfig:
    """Blinds 1/2, bets 2/4; stud games: ante 1 and bring-in 1 instead of blinds."""
    stud = variant.uses_bring_in
    return TableConfig(
        variant=variant,
        blinds=() if stud else (1, 2),
        antes=1 if stud else 0,
        bring_in=1 if stud else 0,
        small_bet=2,
        big_bet=4,
        min_buy_in=8,
        max_buy_in=60,
    )


CONFIGS: dict[Variant, TableConfig] = {
    Variant.NLHE: _no_limit(Variant.NLHE),
    Variant.PLO: _no_limit(Variant.PLO),
    Variant.FLHE: _fixed_limit(Variant.FLHE),
    Variant.STUD: _fixed_limit(Variant.STUD),
    Variant.RAZZ: _fixed_limit(Variant.RAZZ),
    Variant.FL27TD: _fixed_limit(Variant.FL27TD),
    Variant.NL27SD: _no_limit(Variant.NL27SD),
}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class SeededDeck(StackedDeck):
    """A deck shuffled by hypothesis' random (reproducible), reshuffles included."""

    def __init__(self, rnd: random.Random) -> None:
        super().__init__([repr(card) for card in rnd.sample(DECK, len(DECK))])
        self._rnd = rnd

    def refill(self, cards: Iterable[Card]) -> None:
        extra = list(cards)
        self._rnd.shuffle(extra)
        self._cards.extend(extra)


@dataclass
class Run:
    """A table under test and everything the checks remember."""

    table: Table
    clock: Clock
    events: list[Event] = field(default_factory=list)
    expected_chips: int = 0
    viewers: list[PlayerId | None] = field(default_factory=lambda: [None, STRANGER])
    last_seq: int = 0
    # This hand's cards: every card dealt, and who holds what now (face down / anywhere).
    seen: set[str] = field(default_factory=set)
    in_play: dict[str, PlayerId | None] = field(default_factory=dict)
    hidden: dict[PlayerId, set[str]] = field(default_factory=dict)

    def seated(self) -> set[PlayerId]:
        return {seat.player for seat in self.table.seats.values() if not seat.leaving}

    def do(self, command: Callable[[], list[Event]]) -> list[Event]:
        new = command()
        for event in new:
            self.record(event)
        # (e) no number is used without its event reaching the caller.
        assert self.table.seq == self.last_seq
        # (a) after every command.
        assert self.table.chips_on_table() == self.expected_chips, new
        return new

    def record(self, event: Event) -> None:
        # (e) +1 each time, across the whole run.
        assert event.seq == self.last_seq + 1, (self.last_seq, event)
        self.last_seq = event.seq
        self.events.append(event)
        if isinstance(event, PlayerSat):
            self.expected_chips += event.stack
        elif isinstance(event, ChipsAdded):
            self.expected_chips += event.amount
        elif isinstance(event, PlayerLeft):
            self.expected_chips -= event.stack
        elif isinstance(event, HandStarted):
            self.seen, self.in_play, self.hidden = set(), {}, {}
        elif isinstance(event, HandEnded):
            assert sum(event.net) == 0, event
        if isinstance(event, HoleCardsDealt):
            assert all(card is not None for card in event.cards), event
            self.deal([c for c in event.cards if c is not None], event.player)
            self.hidden.setdefault(event.player, set()).update(
                c for c, up in zip(event.cards, event.face_up, strict=True) if c and not up
            )
        elif isinstance(event, BoardDealt):
            self.deal(list(event.cards), None)
        self.check_views(event)
        if isinstance(event, PlayerActed) and event.discarded:
            mine = self.hidden.get(event.player, set())
            for card in event.discarded:
                assert card is not None
                assert self.in_play.pop(card) == event.player
                mine.discard(card)
        elif (isinstance(event, PlayerActed) and event.action is ActionKind.FOLD) or isinstance(
            event, HandMucked
        ):
            player = event.player
            for card in [c for c, owner in self.in_play.items() if owner == player]:
                del self.in_play[card]
            self.hidden.pop(player, None)

    def deal(self, cards: list[str], owner: PlayerId | None) -> None:
        """(b) a dealt card is not in play; a used one only after the deck ran out."""
        for card in cards:
            assert card not in self.in_play, (card, self.in_play)
            if card in self.seen:  # reshuffled: only once every card was used
                assert len(self.seen) + MAX_BURNS >= len(DECK), (card, len(self.seen))
            self.seen.add(card)
            self.in_play[card] = owner

    def check_views(self, event: Event) -> None:
        """(c) what every viewer receives of ``event``."""
        for viewer in self.viewers:
            seen = view_for(event, viewer)
            assert type(seen) is type(event)
            assert seen.seq == event.seq
            if isinstance(event, HoleCardsDealt):
                assert isinstance(seen, HoleCardsDealt)
                for card, shown, up in zip(event.cards, seen.cards, event.face_up, strict=True):
                    assert shown == (card if viewer == event.player or up else None)
            elif isinstance(event, PlayerActed) and event.discarded:
                assert isinstance(seen, PlayerActed)
                if viewer == event.player:
                    assert seen.discarded == event.discarded
                else:
                    assert seen.discarded == (None,) * len(event.discarded)
            if isinstance(event, CardsShown):
                continue  # a showdown shows the cards to everyone
            tokens = _tokens(seen)
            for owner, cards in self.hidden.items():
                if owner != viewer:
                    assert not tokens & cards, (viewer, owner, seen)


def _tokens(event: Event) -> set[str]:
    out: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            out.add(value)
        elif isinstance(value, tuple):
            for item in value:
                walk(item)

    for f in fields(event):
        walk(getattr(event, f.name))
    return out


def _check_hand_accounts(hand_events: list[Event]) -> None:
    """(a) the events account for every chip: start - put in + won (+ an uncalled bet back)."""
    started = hand_events[0]
    ended = hand_events[-1]
    assert isinstance(started, HandStarted)
    assert isinstance(ended, HandEnded)
    assert ended.seats == started.seats
    balance = dict(zip(started.seats, started.stacks, strict=True))
    for event in hand_events:
        if isinstance(event, ForcedBetPosted | PlayerActed):
            balance[event.seat] -= event.amount
            if isinstance(event, PlayerActed) and event.all_in:
                assert balance[event.seat] == 0, event
        elif isinstance(event, PotAwarded):
            for seat, _, amount in event.amounts:
                assert amount > 0
                balance[seat] += amount
    returned = {
        seat: final - balance[seat] for seat, final in zip(ended.seats, ended.stacks, strict=True)
    }
    assert all(amount >= 0 for amount in returned.values()), returned
    assert sum(1 for amount in returned.values() if amount) <= 1, returned


def _snapshot(table: Table) -> tuple[Any, ...]:
    hand = table.hand
    assert hand is not None
    state = hand.state
    return (
        table.seq,
        table.to_act,
        table.deadline,
        table.chips_on_table(),
        tuple(state.stacks),
        tuple(state.bets),
        len(state.operations),
        tuple(tuple(cards) for cards in state.hole_cards),
        table.legal_actions(),
        {n: (s.stack, s.pending_chips, s.timeouts, s.time_bank) for n, s in table.seats.items()},
    )


def _refused(run: Run, attempt: Callable[[], object], error: type[TableError]) -> TableError:
    """(d) an unlisted action raises ``error``, with a message, and changes nothing."""
    before = _snapshot(run.table)
    with pytest.raises(error) as caught:
        attempt()
    assert _snapshot(run.table) == before
    assert str(caught.value)
    return caught.value


def _own_cards(table: Table, player: PlayerId) -> list[str]:
    hand = table.hand
    assert hand is not None
    index = hand.plan.players.index(player)
    return [repr(card) for card in hand.state.hole_cards[index]]


def _check_listing(run: Run, legal: LegalActions, data: st.DataObject) -> None:
    """(d) each listed action passes its ``can_`` check; unlisted ones are refused."""
    table = run.table
    player = legal.player
    listed = (legal.fold, legal.check, legal.call, legal.raise_range, legal.bring_in)
    assert legal.discard or any(x not in (False, None) for x in listed), legal
    assert table.can_fold(player) == legal.fold
    assert table.can_check(player) == legal.check
    assert table.can_call(player) == (legal.call is not None)
    # The listing is the rules engine's (pokerkit), neither narrower nor wider.
    hand = table.hand
    assert hand is not None
    state = hand.state
    if not legal.discard:
        # pokerkit would let a player fold instead of a free check (with a warning); the table
        # does not.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            can_fold = state.can_fold()
        assert legal.fold == (can_fold and bool(state.checking_or_calling_amount))
        assert (legal.bring_in is not None) == state.can_post_bring_in()
        if legal.bring_in is None:
            assert (legal.check or legal.call is not None) == state.can_check_or_call()
            assert (legal.call or 0) == state.checking_or_calling_amount
    if legal.call is not None:
        assert legal.call > 0
    if legal.raise_range is not None:
        low, high = legal.raise_range
        assert 0 < low <= high
        assert state.can_complete_bet_or_raise_to(low)
        assert state.can_complete_bet_or_raise_to(high)
        assert not state.can_complete_bet_or_raise_to(low - 1)
        assert not state.can_complete_bet_or_raise_to(high + 1)
        assert table.can_bet_or_raise_to(player, low)
        assert table.can_bet_or_raise_to(player, high)
        wrong = data.draw(st.sampled_from([low - 1, high + 1, 0]), label="wrong amount")
        error = _refused(run, lambda: table.bet_or_raise_to(player, wrong), AmountOutOfRangeError)
        assert isinstance(error, AmountOutOfRangeError)
        assert (error.minimum, error.maximum) == (low, high)
        assert str(low) in str(error)
        assert str(wrong) in str(error)
    else:
        assert not state.can_complete_bet_or_raise_to()
        assert not table.can_bet_or_raise_to(player, 1)
        _refused(run, lambda: table.bet_or_raise_to(player, 10**6), IllegalActionError)

    choice = data.draw(st.integers(0, 7), label="refused action")
    if choice == 0 and not legal.fold:
        _refused(run, lambda: table.fold(player), IllegalActionError)
    elif choice == 1 and not legal.check:
        _refused(run, lambda: table.check(player), IllegalActionError)
    elif choice == 2 and legal.call is None:
        _refused(run, lambda: table.call(player), IllegalActionError)
    elif choice == 3 and legal.bring_in is None:
        _refused(run, lambda: table.post_bring_in(player), IllegalActionError)
    elif choice == 4 and not legal.discard:
        _refused(run, lambda: table.discard(player, ()), IllegalActionError)
    elif choice == 4:
        mine = set(_own_cards(table, player))
        foreign = sorted(card for card in map(repr, DECK) if card not in mine)
        card = data.draw(st.sampled_from(foreign), label="foreign discard")
        _refused(run, lambda: table.discard(player, card), IllegalActionError)
    elif choice == 5:
        other = data.draw(
            st.sampled_from([p for p in hand.plan.players if p != player]), label="out of turn"
        )
        _refused(run, lambda: table.check(other), NotYourTurnError)
        _refused(run, lambda: table.fold(other), NotYourTurnError)
        _refused(run, lambda: table.call(other), NotYourTurnError)
        _refused(run, lambda: table.discard(other, ()), NotYourTurnError)
    elif choice == 6:
        _refused(run, lambda: table.fold(STRANGER), NotSeatedError)
        outsiders = [s.player for s in table.seats.values() if s.player not in hand.plan.players]
        for outsider in outsiders:
            _refused(run, partial(table.check, outsider), IllegalActionError)
    elif choice == 7 and table.deadline is not None and run.clock.now < table.deadline:
        _refused(run, table.timeout, TooEarlyError)


def _act(run: Run, data: st.DataObject) -> None:
    """One listed action (or a timeout, or the player standing up), chosen by hypothesis."""
    table = run.table
    legal = table.legal_actions()
    player = legal.player
    assert table.to_act == player
    _check_listing(run, legal, data)

    # Weighted by repetition, passive actions first: hands reach later streets and showdowns,
    # with all-ins, side pots and the odd timeout or stand-up.
    options: list[str] = []
    if legal.check:
        options += ["check"] * 8
    if legal.call is not None:
        options += ["call"] * 8
    if legal.bring_in is not None:
        options += ["bring-in"] * 4
    if legal.discard:
        options += ["discard"] * 8
    if legal.raise_range is not None:
        options += ["min", "min", "max", "between", "between"]
    if legal.fold:
        options += ["fold", "fold"]
    if not legal.discard:
        options += ["all-in", "all-in"]
    options += ["timeout", "stand", "another stands"]
    choice = data.draw(st.sampled_from(options), label=f"action of {player}")
    if choice in ("fold", "check", "call", "bring-in"):
        acts = {
            "fold": table.fold,
            "check": table.check,
            "call": table.call,
            "bring-in": table.post_bring_in,
        }
        new = run.do(lambda: acts[choice](player))
        acted = [e for e in new if isinstance(e, PlayerActed) and e.player == player]
        assert acted
        assert acted[0].action.value == choice
        if choice == "call":
            assert acted[0].amount == legal.call
        if choice == "bring-in":
            assert acted[0].amount == legal.bring_in
    elif choice in ("min", "max", "between"):
        assert legal.raise_range is not None
        low, high = legal.raise_range
        amount = (
            low
            if choice == "min"
            else high
            if choice == "max"
            else data.draw(st.integers(low, high), label="amount")
        )
        new = run.do(lambda: table.bet_or_raise_to(player, amount))
        acted = [e for e in new if isinstance(e, PlayerActed) and e.player == player]
        assert acted
        assert acted[0].total == amount
    elif choice == "discard":
        mine = _own_cards(table, player)
        chosen = data.draw(st.lists(st.sampled_from(mine), unique=True), label="discards")
        new = run.do(lambda: table.discard(player, "".join(chosen)))
        acted = [e for e in new if isinstance(e, PlayerActed) and e.player == player]
        assert acted
        assert sorted(c or "" for c in acted[0].discarded) == sorted(chosen)
    elif choice == "all-in":
        run.do(lambda: table.all_in(player))
    elif choice == "timeout":
        deadline = table.deadline
        assert deadline is not None
        run.clock.now = deadline + data.draw(st.sampled_from([0.0, 0.5]), label="late by")
        new = run.do(table.timeout)
        if isinstance(new[0], TimeBankUsed):
            assert table.to_act == player
            assert len(new) == 1
        else:
            acted = [e for e in new if isinstance(e, PlayerActed) and e.player == player]
            assert acted
            assert acted[0].timed_out
    elif choice == "another stands":
        hand = table.hand
        assert hand is not None
        others = [p for p in hand.plan.players if p != player and p in run.seated()]
        if others:
            other = data.draw(st.sampled_from(others), label="stands")
            deadline, seq = table.deadline, table.seq
            assert run.do(lambda: table.stand(other)) == []
            assert (table.deadline, table.seq, table.to_act) == (deadline, seq, player)
    else:  # stand: folded (or standing pat) at once, removed when the hand ends
        number = table.seat_of(player).number
        new = run.do(lambda: table.stand(player))
        assert table.to_act != player
        # The first of the actions taken for them (the hand may come back to them at once).
        actions = [e.action for e in new if isinstance(e, PlayerActed) and e.player == player]
        if legal.discard:
            assert actions[:1] == [ActionKind.STAND_PAT]
        elif legal.bring_in is not None:
            assert actions[:1] == [ActionKind.BRING_IN]
        elif legal.check:
            assert actions[:1] == [ActionKind.CHECK]  # as on a timeout (see test_table_seating)
        else:
            assert actions[:1] == [ActionKind.FOLD]
        assert (number in table.seats) == (table.hand is not None)


def _between_hands(run: Run, data: st.DataObject, new_name: Callable[[], PlayerId]) -> None:
    """Top up the short or busted, bring back those sitting out, sometimes seat someone."""
    table = run.table
    low, high = table.config.buy_in_range
    for seat in list(table.seats.values()):
        if seat.stack < low and data.draw(st.booleans(), label="top up"):
            amount = data.draw(st.integers(1, high - seat.stack), label="top-up")
            new = run.do(partial(table.add_chips, seat.player, amount))
            assert new == [
                ChipsAdded(
                    seq=table.seq,
                    seat=seat.number,
                    player=seat.player,
                    amount=amount,
                    stack=seat.stack,
                )
            ]
        if seat.sitting_out and seat.stack > 0:
            run.do(partial(table.come_back, seat.player))
    free = [n for n in range(1, table.config.seats + 1) if n not in table.seats]
    if len(free) > 0 and data.draw(st.booleans(), label="newcomer"):
        name = new_name()
        number = data.draw(st.sampled_from(free), label="newcomer's seat")
        buy_in = data.draw(st.integers(low, high), label="newcomer's buy-in")
        run.do(lambda: table.sit(name, number, buy_in))
        run.viewers.append(name)
        if data.draw(st.booleans(), label="post"):
            run.do(lambda: table.post(name))


def _play(variant: Variant, data: st.DataObject) -> None:
    seats = data.draw(st.sampled_from(range(2, 11)), label="seats")
    config = replace(CONFIGS[variant], seats=seats)
    clock = Clock()
    rnd = data.draw(st.randoms(use_true_random=False), label="decks")
    table = Table(config, clock=clock, cards=lambda: SeededDeck(rnd))
    run = Run(table, clock)
    names = (PlayerId(f"p{i}@example.org") for i in range(1000))

    low, high = config.buy_in_range
    for _ in range(data.draw(st.integers(max(2, seats - 2), seats), label="players")):
        name = next(names)
        buy_in = data.draw(st.integers(low, high), label="buy-in")
        run.do(partial(table.sit, name, None, buy_in))
        run.viewers.append(name)

    for _ in range(HANDS_PER_EXAMPLE):
        if not table.can_start_hand():
            break
        first = len(run.events)
        run.do(table.start_hand)
        steps = 0
        while table.hand is not None:
            steps += 1
            assert steps < 1000, "the hand does not end"
            _act(run, data)
        hand_events = run.events[first:]
        started = hand_events[0]
        assert isinstance(started, HandStarted)
        # Seen with --hypothesis-show-statistics: how much of the game the examples reach.
        statistic("dealt in", len(started.seats))
        statistic("acted", sum(isinstance(e, PlayerActed) for e in hand_events) // 5 * 5)
        statistic("showdown", any(isinstance(e, CardsShown) for e in hand_events))
        statistic("pots", sum(isinstance(e, PotAwarded) for e in hand_events))
        statistic("all-in", any(isinstance(e, PlayerActed) and e.all_in for e in hand_events))
        statistic("discards", any(isinstance(e, PlayerActed) and e.discarded for e in hand_events))
        statistic("timeouts", any(isinstance(e, PlayerActed) and e.timed_out for e in hand_events))
        statistic("dead", any(getattr(e, "kind", "") == "dead big blind" for e in hand_events))
        statistic("left", any(isinstance(e, PlayerLeft) for e in hand_events))
        ended = next(i for i, e in enumerate(hand_events) if isinstance(e, HandEnded))
        _check_hand_accounts(hand_events[: ended + 1])
        _between_hands(run, data, lambda: next(names))


VARIANTS = list(CONFIGS)


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_random_legal_play_keeps_the_invariants(variant: Variant, data: st.DataObject) -> None:
    _play(variant, data)
