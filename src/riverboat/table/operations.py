"""Turns pokerkit's operation log into Riverboat table events."""

from __future__ import annotations

from collections.abc import Callable

from pokerkit import (
    AntePosting,
    BetCollection,
    BlindOrStraddlePosting,
    BoardDealing,
    BringInPosting,
    CardBurning,
    CheckingOrCalling,
    ChipsPulling,
    ChipsPushing,
    CompletionBettingOrRaisingTo,
    Folding,
    HandKilling,
    HoleCardsShowingOrMucking,
    HoleDealing,
    NoOperation,
    Operation,
    RunoutCountSelection,
    StandingPatOrDiscarding,
    State,
)

from riverboat.table.config import TableConfig
from riverboat.table.events import (
    ActionKind,
    BoardDealt,
    CardsShown,
    Event,
    ForcedBetPosted,
    HandMucked,
    HoleCardsDealt,
    PlayerActed,
    PotAwarded,
)

_BLIND_NAMES = ("small blind", "big blind")
_SILENT = (CardBurning, ChipsPulling, RunoutCountSelection, NoOperation)


class OperationTranslator:
    """Reads the operations pokerkit appended since the last call and makes events of them.

    It keeps the street's bets itself (pokerkit's are already collected by the time the batch
    is read) so that each action says how much it added and whether it was a bet or a raise.
    """

    def __init__(self, config: TableConfig, plan: object) -> None:
        from riverboat.table.hand import HandPlan

        assert isinstance(plan, HandPlan)
        self._plan = plan
        self._config = config
        self._read = 0
        n = len(plan.seats)
        self._bets = [0] * n
        self._stacks = list(plan.stacks)
        self._bring_in_open = False
        self._holes: dict[int, list[tuple[str, bool]]] = {}
        self._hole_order: list[int] = []
        self._board: list[str] = []
        self.shown: dict[int, tuple[str, ...]] = {}
        self.mucked: set[int] = set()

    def translate(self, state: State, next_seq: Callable[[], int]) -> list[Event]:
        operations = state.operations
        events: list[Event] = []
        for operation in operations[self._read :]:
            if not isinstance(operation, HoleDealing):
                self._flush_holes(events, next_seq)
            self._one(operation, state, events, next_seq)
        self._read = len(operations)
        self._flush_holes(events, next_seq)
        return events

    def _flush_holes(self, events: list[Event], next_seq: Callable[[], int]) -> None:
        plan = self._plan
        for index in self._hole_order:
            dealt = self._holes[index]
            events.append(
                HoleCardsDealt(
                    seq=next_seq(),
                    hand_no=plan.hand_no,
                    seat=plan.seats[index],
                    player=plan.players[index],
                    cards=tuple(card for card, _ in dealt),
                    face_up=tuple(up for _, up in dealt),
                )
            )
        self._holes.clear()
        self._hole_order.clear()

    def _one(
        self,
        op: Operation,
        state: State,
        events: list[Event],
        next_seq: Callable[[], int],
    ) -> None:
        plan = self._plan
        hand_no = plan.hand_no
        if isinstance(op, HoleDealing):
            if op.player_index not in self._holes:
                self._holes[op.player_index] = []
                self._hole_order.append(op.player_index)
            self._holes[op.player_index].extend(
                (repr(c), up) for c, up in zip(op.cards, op.statuses, strict=True)
            )
            return
        if isinstance(op, BetCollection):
            self._bets = [0] * len(self._bets)
            return
        if isinstance(op, BoardDealing):
            cards = tuple(repr(c) for c in op.cards)
            self._board.extend(cards)
            events.append(
                BoardDealt(seq=next_seq(), hand_no=hand_no, cards=cards, board=tuple(self._board))
            )
            return
        if isinstance(op, ChipsPushing):
            amounts = tuple(
                (plan.seats[i], plan.players[i], a) for i, a in enumerate(op.amounts) if a
            )
            events.append(
                PotAwarded(seq=next_seq(), hand_no=hand_no, pot_index=op.pot_index, amounts=amounts)
            )
            return
        if isinstance(op, _SILENT):
            return
        index: int = op.player_index  # type: ignore[attr-defined]
        if isinstance(op, HandKilling) and index in self.shown:
            return  # a losing hand already shown is taken from the table: nothing new to tell
        seat, player = plan.seats[index], plan.players[index]
        common = {"seq": next_seq(), "hand_no": hand_no, "seat": seat, "player": player}
        event: Event
        if isinstance(op, AntePosting):
            self._stacks[index] -= op.amount
            post = "dead big blind" if seat in plan.dead_posts else "ante"
            event = ForcedBetPosted(**common, kind=post, amount=op.amount)  # type: ignore[arg-type]
        elif isinstance(op, BlindOrStraddlePosting):
            self._bets[index] += op.amount
            self._stacks[index] -= op.amount
            position = index if len(plan.seats) > 2 else 1 - index
            post = _BLIND_NAMES[position] if position < 2 else "straddle"
            event = ForcedBetPosted(**common, kind=post, amount=op.amount)  # type: ignore[arg-type]
        elif isinstance(op, BringInPosting):
            self._bets[index] += op.amount
            self._stacks[index] -= op.amount
            self._bring_in_open = True
            event = self._acted(common, state, index, ActionKind.BRING_IN, op.amount)
        elif isinstance(op, Folding):
            event = self._acted(common, state, index, ActionKind.FOLD, 0)
        elif isinstance(op, CheckingOrCalling):
            self._bets[index] += op.amount
            self._stacks[index] -= op.amount
            kind = ActionKind.CALL if op.amount else ActionKind.CHECK
            event = self._acted(common, state, index, kind, op.amount)
        elif isinstance(op, CompletionBettingOrRaisingTo):
            before = max(self._bets)
            if self._bring_in_open:
                kind = ActionKind.COMPLETE
            else:
                kind = ActionKind.RAISE if before else ActionKind.BET
            self._bring_in_open = False
            added = op.amount - self._bets[index]
            self._bets[index] = op.amount
            self._stacks[index] -= added
            event = self._acted(common, state, index, kind, added)
        elif isinstance(op, StandingPatOrDiscarding):
            discarded = tuple(repr(c) for c in op.cards)
            kind = ActionKind.DISCARD if discarded else ActionKind.STAND_PAT
            event = PlayerActed(**common, action=kind, discarded=discarded)  # type: ignore[arg-type]
        elif isinstance(op, HoleCardsShowingOrMucking):
            if op.hole_cards:
                shown = tuple(repr(c) for c in op.hole_cards)
                self.shown[index] = shown
                event = CardsShown(**common, cards=shown)  # type: ignore[arg-type]
            else:
                self.mucked.add(index)
                event = HandMucked(**common)  # type: ignore[arg-type]
        elif isinstance(op, HandKilling):
            self.mucked.add(index)
            event = HandMucked(**common)  # type: ignore[arg-type]
        else:  # pragma: no cover - a pokerkit operation this version does not know
            raise TypeError(f"unknown pokerkit operation {op!r}")
        events.append(event)

    def _acted(
        self,
        common: dict[str, object],
        state: State,
        index: int,
        kind: ActionKind,
        added: int,
    ) -> PlayerActed:
        return PlayerActed(
            **common,  # type: ignore[arg-type]
            action=kind,
            amount=added,
            total=self._bets[index],
            all_in=self._stacks[index] == 0 and kind is not ActionKind.FOLD,
        )
