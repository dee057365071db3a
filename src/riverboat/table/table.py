"""The table: seats, hands one after another, the action clock, and events with sequence numbers.

Every command follows pokerkit's triad: ``verify_x`` raises a :mod:`riverboat.table.errors`
error saying what is allowed, ``can_x`` answers, ``x`` acts and returns the new events.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from pokerkit import Card, Deck, HandHistory

from riverboat.table.cards import CardSource, ShuffledDeck, parse_cards
from riverboat.table.config import Mode, TableConfig
from riverboat.table.errors import (
    HandInProgressError,
    IllegalActionError,
    NoHandError,
    NotEnoughPlayersError,
    NotYourTurnError,
    TooEarlyError,
)
from riverboat.table.events import (
    ActionRequired,
    CardsShown,
    Event,
    HandEnded,
    HandStarted,
    PlayerActed,
    PlayerId,
    PlayerSatOut,
    SeatNo,
    TableResumed,
    TimeBankUsed,
)
from riverboat.table.hand import HandPlan, HandRunner, LegalActions
from riverboat.table.seating import Seat, plan_next_hand
from riverboat.table.seats import SeatCommands, can


@dataclass(frozen=True, slots=True)
class FinishedHand:
    """A hand that ended: enough to export its history and check its chips."""

    plan: HandPlan
    runner: HandRunner
    net: tuple[int, ...]
    exposed: tuple[tuple[SeatNo, tuple[str, ...]], ...] = ()


class Table(SeatCommands):
    """A poker table. Pure and synchronous: the caller owns time (``clock``) and I/O."""

    def __init__(
        self,
        config: TableConfig,
        *,
        clock: Callable[[], float] = time.monotonic,
        cards: Callable[[], CardSource] | None = None,
        live: bool = True,
    ) -> None:
        self.config = config
        self.clock = clock
        self.live = live
        self._new_cards = cards or (lambda: ShuffledDeck(deck_of(config)))
        self.seats: dict[SeatNo, Seat] = {}
        self.button: SeatNo | None = None
        self.hand: HandRunner | None = None
        self.hand_no = 0
        self.seq = 0
        self.deadline: float | None = None
        self._bank_started: float | None = None
        self.last_hand: FinishedHand | None = None
        self._exposed: list[tuple[SeatNo, tuple[str, ...]]] = []

    # --- helpers ----------------------------------------------------------------------------

    def _next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def _index_of(self, player: PlayerId) -> int:
        hand = self.hand
        if hand is None:
            raise NoHandError("no hand is being played")
        try:
            return hand.plan.players.index(player)
        except ValueError:
            self.seat_of(player)
            raise IllegalActionError(f"{player} is not in this hand") from None

    def chips_on_table(self) -> int:
        """Every chip at the table: stacks of seats out of the hand, plus the hand's chips."""
        in_hand = set(self.hand.plan.seats) if self.hand else set()
        outside = sum(s.stack + s.pending_chips for n, s in self.seats.items() if n not in in_hand)
        inside = sum(self.seats[n].pending_chips for n in in_hand if n in self.seats)
        return outside + inside + (self.hand.chips_in_play() if self.hand else 0)

    # --- hands ------------------------------------------------------------------------------

    def verify_start_hand(self) -> HandPlan:
        if self.hand is not None:
            raise HandInProgressError("a hand is already being played")
        plan = self._plan()
        if plan is None:
            raise NotEnoughPlayersError("a hand needs at least two active players with chips")
        return plan

    def _plan(self, button: SeatNo | None = None) -> HandPlan | None:
        return plan_next_hand(self.config, self.seats, self.button, self.hand_no + 1, button)

    def can_start_hand(self) -> bool:
        return can(self.verify_start_hand)

    def new_cards(self) -> CardSource:
        """A fresh deck for the next hand (the caller may keep its state before dealing)."""
        return self._new_cards()

    def start_hand(
        self,
        *,
        button: SeatNo | None = None,
        cards: CardSource | None = None,
        ante_trimming: bool | None = None,
    ) -> list[Event]:
        if self.hand is not None:
            raise HandInProgressError("a hand is already being played")
        plan = self._plan(button)
        if plan is None:
            raise NotEnoughPlayersError("a hand needs at least two active players with chips")
        for seat in self.seats.values():
            if seat.number in plan.seats:
                seat.enter()
            elif seat.sitting_out or seat.stack + seat.pending_chips == 0:
                seat.waiting = True  # missed a hand: waits for the big blind again
        self.hand_no = plan.hand_no
        self.button = plan.button
        self._exposed = []
        self.hand = HandRunner(
            self.config, plan, cards or self._new_cards(), live=self.live,
            ante_trimming=ante_trimming,
        )
        events: list[Event] = [
            HandStarted(
                seq=self._next_seq(), hand_no=plan.hand_no, button=plan.button,
                seats=plan.seats, players=plan.players, stacks=plan.stacks,
            )
        ]
        events += self.hand.advance(self._next_seq)
        events += self._settle_turn()
        return events

    @property
    def to_act(self) -> PlayerId | None:
        if self.hand is None or (index := self.hand.to_act) is None:
            return None
        return self.hand.plan.players[index]

    def legal_actions(self, player: PlayerId | None = None) -> LegalActions:
        """The legal actions of ``player`` (default: the player to act)."""
        hand = self.hand
        if hand is None:
            raise NoHandError("no hand is being played")
        index = hand.to_act if player is None else self._index_of(player)
        if index is None:
            raise NoHandError("nobody is to act")
        return hand.legal_actions(index)

    def _acting(self, player: PlayerId) -> tuple[HandRunner, int]:
        index = self._index_of(player)
        assert self.hand is not None
        if self.hand.to_act != index:
            # No name here: the message reaches the player, and identities are JIDs.
            seat = self.hand.plan.seats[self.hand.to_act] if self.hand.to_act is not None else None
            where = f"seat {seat} is to act" if seat is not None else "nobody is to act now"
            raise NotYourTurnError(f"it is not your turn: {where}")
        return self.hand, index

    # Each player action: verify, can, do. ``do`` returns the events it caused.

    def verify_fold(self, player: PlayerId) -> None:
        hand, index = self._acting(player)
        hand.verify_fold(index)

    def verify_check(self, player: PlayerId) -> None:
        hand, index = self._acting(player)
        hand.verify_check(index)

    def verify_call(self, player: PlayerId) -> None:
        hand, index = self._acting(player)
        hand.verify_call(index)

    def verify_bet_or_raise_to(self, player: PlayerId, amount: int) -> None:
        hand, index = self._acting(player)
        hand.verify_bet_or_raise_to(index, amount)

    def verify_post_bring_in(self, player: PlayerId) -> None:
        hand, index = self._acting(player)
        hand.verify_post_bring_in(index)

    def verify_discard(self, player: PlayerId, cards: str | tuple[Card, ...] = ()) -> None:
        hand, index = self._acting(player)
        hand.verify_discard(index, _cards(cards))

    def can_fold(self, player: PlayerId) -> bool:
        return can(lambda: self.verify_fold(player))

    def can_check(self, player: PlayerId) -> bool:
        return can(lambda: self.verify_check(player))

    def can_call(self, player: PlayerId) -> bool:
        return can(lambda: self.verify_call(player))

    def can_bet_or_raise_to(self, player: PlayerId, amount: int) -> bool:
        return can(lambda: self.verify_bet_or_raise_to(player, amount))

    def fold(self, player: PlayerId) -> list[Event]:
        hand, index = self._acting(player)
        return self._after(player, lambda: hand.fold(index))

    def check(self, player: PlayerId) -> list[Event]:
        hand, index = self._acting(player)
        return self._after(player, lambda: hand.check(index))

    def call(self, player: PlayerId) -> list[Event]:
        hand, index = self._acting(player)
        return self._after(player, lambda: hand.call(index))

    def bet_or_raise_to(self, player: PlayerId, amount: int) -> list[Event]:
        hand, index = self._acting(player)
        return self._after(player, lambda: hand.bet_or_raise_to(index, amount))

    def all_in(self, player: PlayerId) -> list[Event]:
        """Raise to the maximum allowed if a raise is possible, else call (or check)."""
        legal = self.legal_actions(player)
        if legal.raise_range is not None:
            return self.bet_or_raise_to(player, legal.raise_range[1])
        if legal.call is not None:
            return self.call(player)
        if legal.check:
            return self.check(player)
        raise IllegalActionError("you cannot bet now")

    def post_bring_in(self, player: PlayerId) -> list[Event]:
        hand, index = self._acting(player)
        return self._after(player, lambda: hand.post_bring_in(index))

    def discard(self, player: PlayerId, cards: str | tuple[Card, ...] = ()) -> list[Event]:
        hand, index = self._acting(player)
        return self._after(player, lambda: hand.discard(index, _cards(cards)))

    def show_or_muck(self, player: PlayerId, cards: str | None) -> list[Event]:
        """Recorded showdowns (replays): show ``cards`` or muck (``None``/empty)."""
        index = self._index_of(player)
        hand = self.hand
        assert hand is not None
        shown: tuple[Card, ...] | bool = _cards(cards) if cards else False
        if hand.show_or_muck(index, shown):
            return self._after(player, lambda: None)
        assert isinstance(shown, tuple)
        seat = hand.plan.seats[index]
        text = tuple(repr(c) for c in shown)
        self._exposed.append((seat, text))
        return [
            CardsShown(
                seq=self._next_seq(), hand_no=self.hand_no, seat=seat, player=player, cards=text
            )
        ]

    def finish_recorded_showdown(self) -> list[Event]:
        """A record that stops before its showdown: show the hands that can win, muck the rest."""
        if self.hand is None:
            raise NoHandError("no hand is being played")
        self.hand.auto_show_or_muck()
        return self.hand.advance(self._next_seq) + self._settle_turn()

    def _after(self, player: PlayerId, action: Callable[[], None]) -> list[Event]:
        assert self.hand is not None
        now = self.clock()
        seat = self.seat_of(player)
        events = self.hand.step(action, self._next_seq)
        if self._bank_started is not None:
            seat.time_bank = max(0.0, seat.time_bank - (now - self._bank_started))
        seat.timeouts = 0
        return events + self._settle_turn()

    # --- clock ------------------------------------------------------------------------------

    def timeout(self) -> list[Event]:
        """The clock ran out for the player to act: time bank first, then check or fold.

        Repeated timeouts (``max_timeouts`` in a row) sit the player out after the hand.
        """
        hand = self.hand
        if hand is None or hand.to_act is None or self.deadline is None:
            raise NoHandError("nobody is on the clock")
        now = self.clock()
        if now < self.deadline:
            raise TooEarlyError(f"the deadline is {self.deadline - now:.1f} s away")
        index = hand.to_act
        seat = self.seats[hand.plan.seats[index]]
        if self._bank_started is None and seat.time_bank > 0:
            self._bank_started = now
            self.deadline = now + seat.time_bank
            return [
                TimeBankUsed(
                    seq=self._next_seq(), hand_no=self.hand_no, seat=seat.number,
                    player=seat.player, deadline=self.deadline, time_bank_left=seat.time_bank,
                )
            ]
        if self._bank_started is not None:
            seat.time_bank = 0.0
        hand.timeout_action(index)
        seat.timeouts += 1
        if seat.timeouts >= self.config.max_timeouts:
            seat.sit_out_next = True
        events = [
            replace(e, timed_out=True)
            if isinstance(e, PlayerActed) and e.seat == seat.number
            else e
            for e in hand.advance(self._next_seq)
        ]
        return events + self._settle_turn()

    def resume_clock(self) -> list[Event]:
        """After a restart or a reconnection: a ``TableResumed`` event, and the player to act
        (if any) gets a fresh deadline (a full action time)."""
        events: list[Event] = [TableResumed(seq=self._next_seq(), hand_no=self.hand_no or None)]
        hand = self.hand
        if hand is None or hand.to_act is None or not self.live:
            return events
        self._bank_started = None
        events.append(self._announce_turn(self.seats[hand.plan.seats[hand.to_act]]))
        return events

    def _announce_turn(self, seat: Seat) -> ActionRequired:
        """A full action time for ``seat``, from now."""
        self.deadline = self.clock() + self.config.action_time
        return ActionRequired(
            seq=self._next_seq(), hand_no=self.hand_no, seat=seat.number, player=seat.player,
            deadline=self.deadline, time_bank=seat.time_bank,
        )

    def _settle_turn(self) -> list[Event]:
        """Fold players who left, end the hand if it is over, else start the next turn."""
        events: list[Event] = []
        hand = self.hand
        while hand is not None and not hand.finished:
            index = hand.to_act
            if index is None:
                break
            seat = self.seats[hand.plan.seats[index]]
            if not seat.leaving:
                break
            hand.timeout_action(index)
            events += hand.advance(self._next_seq)
        self._bank_started = None
        if hand is None:
            return events
        if hand.finished:
            return events + self._finish_hand()
        index = hand.to_act
        if index is None or not self.live:
            self.deadline = None
            return events
        events.append(self._announce_turn(self.seats[hand.plan.seats[index]]))
        return events

    def _finish_hand(self) -> list[Event]:
        hand = self.hand
        assert hand is not None
        assert hand.finished
        plan = hand.plan
        stacks = hand.final_stacks()
        net = tuple(after - before for after, before in zip(stacks, plan.stacks, strict=True))
        self.last_hand = FinishedHand(plan, hand, net, tuple(self._exposed))
        self.hand = None
        self.deadline = None
        events: list[Event] = [
            HandEnded(
                seq=self._next_seq(), hand_no=plan.hand_no, seats=plan.seats,
                players=plan.players, stacks=stacks, net=net,
            )
        ]
        for number, stack in zip(plan.seats, stacks, strict=True):
            seat = self.seats[number]
            seat.stack = stack
            if seat.leaving:
                events += self._remove(seat)
            elif stack + seat.pending_chips == 0:
                if self.config.mode is Mode.TOURNAMENT:
                    events += self._remove(seat, busted=True)
                else:
                    seat.sitting_out = True
                    events.append(
                        PlayerSatOut(
                            seq=self._next_seq(), seat=number, player=seat.player,
                            reason="busted",
                        )
                    )
            elif seat.sit_out_next:
                seat.sit_out_next = False
                seat.sitting_out = True
                events.append(
                    PlayerSatOut(
                        seq=self._next_seq(), seat=number, player=seat.player, reason="timeouts"
                    )
                )
        return events


def _cards(cards: str | tuple[Card, ...] | None) -> tuple[Card, ...]:
    if cards is None:
        return ()
    return parse_cards(cards) if isinstance(cards, str) else cards


def deck_of(config: TableConfig) -> Deck:
    """The deck the table's variant is dealt from."""
    return HandHistory.game_types[config.variant.value].deck
