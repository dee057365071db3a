"""Seat commands of a table: sit, stand, sit out, come back, post, add chips.

A mixin of :class:`riverboat.table.table.Table`, which owns the state these commands read and
change; each command follows the verify / can / do triad and returns the events it caused.
"""

from __future__ import annotations

from collections.abc import Callable

from riverboat.table.config import Mode, TableConfig
from riverboat.table.errors import (
    AlreadySeatedError,
    AmountOutOfRangeError,
    IllegalActionError,
    InsufficientChipsError,
    NotSeatedError,
    SeatTakenError,
    TableError,
    TableFullError,
)
from riverboat.table.events import (
    ChipsAdded,
    Event,
    PlayerCameBack,
    PlayerId,
    PlayerLeft,
    PlayerSat,
    PlayerSatOut,
    SeatNo,
)
from riverboat.table.hand import HandRunner
from riverboat.table.seating import Seat


def can(verify: Callable[[], object]) -> bool:
    try:
        verify()
    except TableError:
        return False
    return True


class SeatCommands:
    config: TableConfig
    seats: dict[SeatNo, Seat]
    hand: HandRunner | None

    # Provided by Table:
    _next_seq: Callable[[], int]
    _settle_turn: Callable[[], list[Event]]

    def seat_of(self, player: PlayerId) -> Seat:
        for seat in self.seats.values():
            if seat.player == player:
                return seat
        raise NotSeatedError(f"{player} is not seated at this table")

    # --- seats ------------------------------------------------------------------------------

    def verify_sit(
        self, player: PlayerId, seat: int | None = None, buy_in: int | None = None
    ) -> tuple[SeatNo, int]:
        if any(s.player == player for s in self.seats.values()):
            raise AlreadySeatedError(f"{player} is already seated at this table")
        if seat is None:
            free = [n for n in range(1, self.config.seats + 1) if n not in self.seats]
            if not free:
                raise TableFullError("the table is full")
            seat = free[0]
        if not 1 <= seat <= self.config.seats:
            raise SeatTakenError(f"seat {seat} does not exist: seats are 1 to {self.config.seats}")
        if seat in self.seats:
            raise SeatTakenError(f"seat {seat} is taken")
        low, high = self.config.buy_in_range
        amount = self.config.buy_in if buy_in is None else buy_in
        if not low <= amount <= high:
            raise AmountOutOfRangeError(
                f"buy-in must be between {low} and {high}, not {amount}", low, high
            )
        return SeatNo(seat), amount

    def can_sit(self, player: PlayerId, seat: int | None = None, buy_in: int | None = None) -> bool:
        return can(lambda: self.verify_sit(player, seat, buy_in))

    def sit(
        self, player: PlayerId, seat: int | None = None, buy_in: int | None = None
    ) -> list[Event]:
        number, amount = self.verify_sit(player, seat, buy_in)
        self.seats[number] = Seat(number, player, amount, time_bank=self.config.time_bank)
        return [PlayerSat(seq=self._next_seq(), seat=number, player=player, stack=amount)]

    def verify_stand(self, player: PlayerId) -> Seat:
        seat = self.seat_of(player)
        if self.config.mode is Mode.TOURNAMENT and seat.stack > 0:
            raise IllegalActionError("tournament chips cannot leave the table")
        return seat

    def can_stand(self, player: PlayerId) -> bool:
        return can(lambda: self.verify_stand(player))

    def stand(self, player: PlayerId) -> list[Event]:
        """Leave the table. During a hand, the table acts for the player on their turns (check
        if free, else fold) and removes them when the hand ends."""
        seat = self.verify_stand(player)
        if self.hand is not None and seat.number in self.hand.plan.seats:
            seat.leaving = True
            index = self.hand.to_act
            if index is None or self.hand.plan.players[index] != player:
                return []  # folded on their turn; the clock of the player to act runs on
            return self._settle_turn()
        return self._remove(seat)

    def _remove(self, seat: Seat, busted: bool = False) -> list[Event]:
        del self.seats[seat.number]
        stack = seat.stack + seat.pending_chips
        return [
            PlayerLeft(
                seq=self._next_seq(), seat=seat.number, player=seat.player, stack=stack,
                busted=busted,
            )
        ]

    def sit_out(self, player: PlayerId) -> list[Event]:
        seat = self.seat_of(player)
        if seat.sitting_out:
            raise IllegalActionError("you are already sitting out")
        seat.sitting_out = True
        return [PlayerSatOut(seq=self._next_seq(), seat=seat.number, player=player)]

    def come_back(self, player: PlayerId, post: bool = False) -> list[Event]:
        """Back from sitting out; ``post`` deals the player in at once with a dead big blind."""
        seat = self.seat_of(player)
        if not seat.sitting_out and not (post and seat.waiting):
            raise IllegalActionError("you are not sitting out")
        if seat.stack + seat.pending_chips == 0:
            raise InsufficientChipsError("you have no chips: add chips first")
        seat.sitting_out = False
        seat.timeouts = 0
        seat.post_now = post
        return [PlayerCameBack(seq=self._next_seq(), seat=seat.number, player=player)]

    def post(self, player: PlayerId) -> list[Event]:
        """Choose to post a dead big blind to be dealt into the next hand."""
        seat = self.seat_of(player)
        if not seat.waiting:
            raise IllegalActionError("you are already in the game: no need to post")
        seat.post_now = True
        return []

    def verify_add_chips(self, player: PlayerId, amount: int) -> Seat:
        seat = self.seat_of(player)
        if self.config.mode is Mode.TOURNAMENT:
            raise IllegalActionError("chips cannot be added in a tournament")
        _, high = self.config.buy_in_range
        room = high - seat.stack - seat.pending_chips
        if not 0 < amount <= room:
            raise AmountOutOfRangeError(
                f"you can add between 1 and {max(room, 0)} chips, not {amount}", 1, max(room, 0)
            )
        return seat

    def add_chips(self, player: PlayerId, amount: int) -> list[Event]:
        """Top up; during a hand the chips wait for the next hand."""
        seat = self.verify_add_chips(player, amount)
        if self.hand is not None and seat.number in self.hand.plan.seats:
            seat.pending_chips += amount
        else:
            seat.stack += amount
        return [
            ChipsAdded(
                seq=self._next_seq(), seat=seat.number, player=player, amount=amount,
                stack=seat.stack + seat.pending_chips,
            )
        ]

