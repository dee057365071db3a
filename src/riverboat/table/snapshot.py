"""A table as one viewer may see it now (the answer to a snapshot request)."""

from __future__ import annotations

from dataclasses import dataclass

from riverboat.table.events import PlayerId, SeatNo
from riverboat.table.table import Table
from riverboat.table.views import Viewer, visible_cards


@dataclass(frozen=True, slots=True)
class SeatView:
    seat: SeatNo
    player: PlayerId
    stack: int
    bet: int
    in_hand: bool
    folded: bool
    sitting_out: bool
    cards: tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class TableView:
    seq: int
    hand_no: int
    variant: str
    stakes: str
    seats: int
    button: SeatNo | None
    board: tuple[str, ...]
    pot: int
    to_act: PlayerId | None
    deadline: float | None
    players: tuple[SeatView, ...]


def snapshot(table: Table, viewer: Viewer) -> TableView:
    """Seats, stacks, bets, board, pot, whose turn and the deadline, as ``viewer`` may see them."""
    hand = table.hand
    in_hand: dict[SeatNo, int] = {}
    board: tuple[str, ...] = ()
    pot = 0
    if hand is not None:
        in_hand = {seat: i for i, seat in enumerate(hand.plan.seats)}
        state = hand.state
        board = tuple(repr(c) for c in state.get_board_cards(0)) if state.board_cards else ()
        pot = state.total_pot_amount
    views = []
    for number in sorted(table.seats):
        seat = table.seats[number]
        index = in_hand.get(number)
        if hand is None or index is None:
            views.append(
                SeatView(number, seat.player, seat.stack, 0, False, False, seat.sitting_out, ())
            )
            continue
        state = hand.state
        shown = index in hand.translator.shown
        cards = visible_cards(
            seat.player,
            viewer,
            [repr(c) for c in state.hole_cards[index]],
            state.hole_card_statuses[index],
            shown=shown,
        )
        views.append(
            SeatView(
                number, seat.player, state.stacks[index], state.bets[index], True,
                not state.statuses[index], seat.sitting_out,
                () if index in hand.translator.mucked else cards,
            )
        )
    return TableView(
        seq=table.seq,
        hand_no=table.hand_no,
        variant=table.config.variant.name,
        stakes=table.config.stakes,
        seats=table.config.seats,
        button=table.button,
        board=board,
        pot=pot,
        to_act=table.to_act,
        deadline=table.deadline,
        players=tuple(views),
    )
