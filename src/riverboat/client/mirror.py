"""A local mirror of one table, kept from the dealer's events and re-based on snapshots.

The mirror holds what a snapshot holds (seats, stacks, bets, board, pot, whose turn, the
deadline) plus the viewer's own hole cards. Public events are applied in ``seq`` order; the
private version of an event (your hole cards, your discards) carries the same ``seq`` as its
public twin and is merged with it whichever of the two arrives first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from riverboat.table import events as ev
from riverboat.table.events import PlayerId, SeatNo
from riverboat.table.snapshot import TableView

_NOT_BETS = ("ante", "dead big blind")
"""Forced bets that go to the pot without being a bet on the street."""


def is_private(event: ev.Event) -> bool:
    """Whether ``event`` is a private version: it shows cards the room does not see."""
    if isinstance(event, ev.HoleCardsDealt):
        pairs = zip(event.cards, event.face_up, strict=False)
        return any(card is not None and not up for card, up in pairs)
    if isinstance(event, ev.PlayerActed):
        return any(card is not None for card in event.discarded)
    return False


@dataclass(slots=True)
class SeatState:
    seat: SeatNo
    player: PlayerId
    """The player's name at this table (their room nick when they sat)."""
    stack: int
    bet: int = 0
    """Chips in front of the player on this street."""
    in_hand: bool = False
    """Dealt into the current hand (stays true after a fold, until the hand ends)."""
    folded: bool = False
    sitting_out: bool = False
    cards: list[str | None] = field(default_factory=list)
    """Hole cards as this viewer sees them (``None``: face down)."""
    pending: int = 0
    """Chips added during a hand: they join the stack when the player is next dealt in."""

    @property
    def all_in(self) -> bool:
        return self.in_hand and not self.folded and self.stack == 0


class TableMirror:
    """The table as this viewer knows it. Feed it with :meth:`apply` / :meth:`apply_private`."""

    def __init__(self, table_id: str, view: TableView, me: PlayerId | None = None) -> None:
        self.table_id = table_id
        self.me = me
        """This viewer's name at the table (a guess until the first private event)."""
        self.seats: dict[SeatNo, SeatState] = {}
        self._private: dict[int, ev.Event] = {}
        self._dealt: dict[int, tuple[SeatNo, int, int]] = {}
        self.cards_stale = False
        """True when a draw left this viewer's own cards uncertain (re-sync to fix)."""
        self.reset(view)

    # --- snapshots ----------------------------------------------------------------------------

    def reset(self, view: TableView) -> None:
        """Start again from a snapshot (``view`` is the asker's view)."""
        self.seq = view.seq
        self.hand_no = view.hand_no
        self.variant = view.variant
        self.stakes = view.stakes
        self.seat_count = view.seats
        self.button = view.button
        self.board = tuple(view.board)
        self.pot = view.pot
        self.to_act = view.to_act
        self.deadline = view.deadline
        self.seats = {
            p.seat: SeatState(
                seat=p.seat,
                player=p.player,
                stack=p.stack,
                bet=p.bet,
                in_hand=p.in_hand,
                folded=p.folded,
                sitting_out=p.sitting_out,
                cards=list(p.cards),
            )
            for p in view.players
        }
        self._dealt.clear()
        self._private = {s: e for s, e in self._private.items() if s > self.seq}
        self.cards_stale = False

    def differences(self, view: TableView) -> list[str]:
        """How this mirror differs from a snapshot (empty: they agree)."""
        found: list[str] = []
        for name in ("seq", "hand_no", "button", "pot", "to_act"):
            mine, theirs = getattr(self, name), getattr(view, name)
            if mine != theirs:
                found.append(f"{name}: {mine!r} != {theirs!r}")
        if self.board != tuple(view.board):
            found.append(f"board: {self.board!r} != {view.board!r}")
        theirs_seats = {p.seat: p for p in view.players}
        if set(self.seats) != set(theirs_seats):
            found.append(f"seats: {sorted(self.seats)} != {sorted(theirs_seats)}")
        for number in sorted(set(self.seats) & set(theirs_seats)):
            s, p = self.seats[number], theirs_seats[number]
            mine_t = (s.player, s.stack, s.bet, s.in_hand, s.folded, s.sitting_out, tuple(s.cards))
            theirs_t = (p.player, p.stack, p.bet, p.in_hand, p.folded, p.sitting_out, p.cards)
            if mine_t != theirs_t:
                found.append(f"seat {number}: {mine_t!r} != {theirs_t!r}")
        return found

    # --- questions ----------------------------------------------------------------------------

    def seat_of(self, player: PlayerId | None) -> SeatState | None:
        for seat in self.seats.values():
            if seat.player == player:
                return seat
        return None

    @property
    def my_seat(self) -> SeatState | None:
        return self.seat_of(self.me)

    @property
    def my_cards(self) -> tuple[str, ...]:
        seat = self.my_seat
        if seat is None or not seat.in_hand:
            return ()
        return tuple(c for c in seat.cards if c is not None)

    @property
    def my_turn(self) -> bool:
        return self.me is not None and self.to_act == self.me

    @property
    def hand_in_progress(self) -> bool:
        return any(s.in_hand for s in self.seats.values())

    def players_in_hand(self) -> list[SeatState]:
        """Seats still contesting the pot."""
        return [s for s in self.seats.values() if s.in_hand and not s.folded]

    @property
    def current_bet(self) -> int:
        return max((s.bet for s in self.seats.values() if s.in_hand), default=0)

    def to_call(self, seat: SeatState) -> int:
        """What a call would add for ``seat`` (at most its stack)."""
        return max(0, min(self.current_bet - seat.bet, seat.stack))

    # --- events -------------------------------------------------------------------------------

    def apply_private(self, event: ev.Event) -> None:
        """A private event from the dealer; its public twin has the same ``seq``."""
        if isinstance(event, ev.HoleCardsDealt):
            self.me = event.player
        if event.seq > self.seq:
            self._private[event.seq] = event  # merged when the public twin arrives
            return
        if isinstance(event, ev.HoleCardsDealt) and event.seq in self._dealt:
            number, start, count = self._dealt[event.seq]
            seat = self.seats.get(number)
            if seat is not None and len(seat.cards) >= start + count:
                seat.cards[start : start + count] = list(event.cards)
        elif isinstance(event, ev.PlayerActed) and event.seq in self._dealt:
            self.cards_stale = True

    def apply(self, event: ev.Event) -> None:
        """Apply the next public event (``event.seq == self.seq + 1``)."""
        private = self._private.pop(event.seq, None)
        if private is not None and type(private) is type(event):
            event = private
        self.seq = event.seq
        self._apply(event)
        for stale in [s for s in self._private if s <= self.seq]:
            del self._private[stale]

    def _seat(self, number: SeatNo) -> SeatState | None:
        return self.seats.get(number)

    def _reset_bets(self) -> None:
        for seat in self.seats.values():
            seat.bet = 0

    def _apply(self, event: ev.Event) -> None:
        match event:
            case ev.PlayerSat(seat=number, player=player, stack=stack):
                self.seats[number] = SeatState(seat=number, player=player, stack=stack)
            case ev.PlayerLeft(seat=number):
                self.seats.pop(number, None)
            case ev.PlayerSatOut(seat=number):
                if (seat := self._seat(number)) is not None:
                    seat.sitting_out = True
            case ev.PlayerCameBack(seat=number):
                if (seat := self._seat(number)) is not None:
                    seat.sitting_out = False
            case ev.ChipsAdded(seat=number, amount=amount):
                if (seat := self._seat(number)) is not None:
                    if seat.in_hand:
                        seat.pending += amount
                    else:
                        seat.stack += amount
            case ev.HandStarted():
                self._start_hand(event)
            case ev.ForcedBetPosted(seat=number, kind=kind, amount=amount):
                if (seat := self._seat(number)) is not None:
                    seat.stack -= amount
                    if kind not in _NOT_BETS:
                        seat.bet += amount
                self.pot += amount
            case ev.HoleCardsDealt(seat=number):
                self._deal(event, number)
            case ev.BoardDealt(board=board):
                self.board = tuple(board)
                self._reset_bets()
            case ev.ActionRequired(player=player, deadline=deadline):
                self.to_act = player
                self.deadline = deadline
            case ev.TimeBankUsed(deadline=deadline):
                self.deadline = deadline
            case ev.PlayerActed():
                self._acted(event)
            case ev.CardsShown(seat=number, cards=cards):
                if (seat := self._seat(number)) is not None:
                    seat.cards = list(cards)
            case ev.HandMucked(seat=number):
                if (seat := self._seat(number)) is not None:
                    seat.cards = []
                    seat.folded = True
            case ev.PotAwarded(amounts=amounts):
                for number, _player, amount in amounts:
                    if (seat := self._seat(number)) is not None:
                        seat.stack += amount
                    self.pot -= amount
            case ev.HandEnded():
                self._end_hand(event)

    def _start_hand(self, event: ev.HandStarted) -> None:
        self.hand_no = event.hand_no or self.hand_no + 1
        self.button = event.button
        self.board = ()
        self.pot = 0
        self.to_act = None
        self.deadline = None
        self._dealt.clear()
        self.cards_stale = False
        for state in self.seats.values():
            state.in_hand = state.folded = False
            state.bet = 0
            state.cards = []
        for number, stack in zip(event.seats, event.stacks, strict=False):
            if (seat := self._seat(number)) is not None:
                seat.in_hand = True
                seat.stack = stack
                seat.pending = 0

    def _deal(self, event: ev.HoleCardsDealt, number: SeatNo) -> None:
        seat = self._seat(number)
        if seat is None:
            return
        if is_private(event):
            self.me = event.player
        if seat.cards:
            self._reset_bets()  # a later street (stud, draw): the bets were collected
        self._dealt[event.seq] = (number, len(seat.cards), len(event.cards))
        seat.cards.extend(event.cards)

    def _acted(self, event: ev.PlayerActed) -> None:
        seat = self._seat(event.seat)
        if self.to_act == event.player:
            self.to_act = None
            self.deadline = None
        if seat is None:
            return
        if event.action in (ev.ActionKind.DISCARD, ev.ActionKind.STAND_PAT):
            self._reset_bets()
            self._discard(seat, event)
            return
        seat.stack -= event.amount
        seat.bet = event.total
        self.pot += event.amount
        if event.action is ev.ActionKind.FOLD:
            seat.folded = True
            seat.cards = []  # a fold mucks the hand

    def _discard(self, seat: SeatState, event: ev.PlayerActed) -> None:
        if not event.discarded:
            return
        if is_private(event):
            for card in event.discarded:
                if card in seat.cards:
                    seat.cards.remove(card)
            return
        if seat.player == self.me:
            self.cards_stale = True  # which of ours went is in the private twin, not here
            self._dealt[event.seq] = (seat.seat, 0, 0)
        del seat.cards[: len(event.discarded)]

    def _end_hand(self, event: ev.HandEnded) -> None:
        for number, stack in zip(event.seats, event.stacks, strict=False):
            if (seat := self._seat(number)) is not None:
                seat.stack = stack
        for seat in self.seats.values():
            seat.in_hand = seat.folded = False
            seat.bet = 0
            seat.cards = []
        self.board = ()
        self.pot = 0
        self.to_act = None
        self.deadline = None
