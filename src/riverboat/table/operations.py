"""Turns pokerkit's operation log into Riverboat table events."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

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
_KINDS: tuple[type[Operation], ...] = (
    HoleDealing,
    BetCollection,
    BoardDealing,
    ChipsPushing,
    *_SILENT,
    HandKilling,
    AntePosting,
    BlindOrStraddlePosting,
    BringInPosting,
    Folding,
    CheckingOrCalling,
    CompletionBettingOrRaisingTo,
    StandingPatOrDiscarding,
    HoleCardsShowingOrMucking,
)
_KIND_OF: dict[type, type[Operation] | None] = {kind: kind for kind in _KINDS}


def _kind(op: Operation) -> type[Operation] | None:
    """Which of pokerkit's operations ``op`` is (None: none we know).

    pokerkit's operations are ABCs, on which each ``isinstance`` runs Python code, and an
    operation went through up to fifteen of them: the answer is looked up by exact type instead
    (worked out once for any other type, e.g. a subclass).
    """
    op_type = type(op)
    try:
        return _KIND_OF[op_type]
    except KeyError:
        kind = next((k for k in _KINDS if issubclass(op_type, k)), None)
        _KIND_OF[op_type] = kind
        return kind


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
            kind = _kind(operation)
            if kind is not HoleDealing:
                self._flush_holes(events, next_seq)
            self._one(operation, kind, events, next_seq)
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
        kind: type[Operation] | None,
        events: list[Event],
        next_seq: Callable[[], int],
    ) -> None:
        plan = self._plan
        hand_no = plan.hand_no
        # ``kind`` says which operation ``op`` is; each ``cast`` only tells mypy.
        if kind is HoleDealing:
            dealt = cast(HoleDealing, op)
            if dealt.player_index not in self._holes:
                self._holes[dealt.player_index] = []
                self._hole_order.append(dealt.player_index)
            self._holes[dealt.player_index].extend(
                (repr(c), up) for c, up in zip(dealt.cards, dealt.statuses, strict=True)
            )
            return
        if kind is BetCollection:
            self._bets = [0] * len(self._bets)
            return
        if kind is BoardDealing:
            cards = tuple(repr(c) for c in cast(BoardDealing, op).cards)
            self._board.extend(cards)
            events.append(
                BoardDealt(seq=next_seq(), hand_no=hand_no, cards=cards, board=tuple(self._board))
            )
            return
        if kind is ChipsPushing:
            pushed = cast(ChipsPushing, op)
            amounts = tuple(
                (plan.seats[i], plan.players[i], a) for i, a in enumerate(pushed.amounts) if a
            )
            events.append(
                PotAwarded(
                    seq=next_seq(), hand_no=hand_no, pot_index=pushed.pot_index, amounts=amounts
                )
            )
            return
        if kind in _SILENT:
            return
        index: int = op.player_index  # type: ignore[attr-defined]
        if kind is HandKilling and index in self.shown:
            return  # a losing hand already shown is taken from the table: nothing new to tell
        seat, player = plan.seats[index], plan.players[index]
        common = {"seq": next_seq(), "hand_no": hand_no, "seat": seat, "player": player}
        event: Event
        if kind is AntePosting:
            amount = cast(AntePosting, op).amount
            self._stacks[index] -= amount
            post = "dead big blind" if seat in plan.dead_posts else "ante"
            event = ForcedBetPosted(**common, kind=post, amount=amount)  # type: ignore[arg-type]
        elif kind is BlindOrStraddlePosting:
            amount = cast(BlindOrStraddlePosting, op).amount
            self._bets[index] += amount
            self._stacks[index] -= amount
            position = index if len(plan.seats) > 2 else 1 - index
            post = _BLIND_NAMES[position] if position < 2 else "straddle"
            event = ForcedBetPosted(**common, kind=post, amount=amount)  # type: ignore[arg-type]
        elif kind is BringInPosting:
            amount = cast(BringInPosting, op).amount
            self._bets[index] += amount
            self._stacks[index] -= amount
            self._bring_in_open = True
            event = self._acted(common, index, ActionKind.BRING_IN, amount)
        elif kind is Folding:
            event = self._acted(common, index, ActionKind.FOLD, 0)
        elif kind is CheckingOrCalling:
            amount = cast(CheckingOrCalling, op).amount
            self._bets[index] += amount
            self._stacks[index] -= amount
            action = ActionKind.CALL if amount else ActionKind.CHECK
            event = self._acted(common, index, action, amount)
        elif kind is CompletionBettingOrRaisingTo:
            amount = cast(CompletionBettingOrRaisingTo, op).amount
            before = max(self._bets)
            if self._bring_in_open:
                action = ActionKind.COMPLETE
            else:
                action = ActionKind.RAISE if before else ActionKind.BET
            self._bring_in_open = False
            added = amount - self._bets[index]
            self._bets[index] = amount
            self._stacks[index] -= added
            event = self._acted(common, index, action, added)
        elif kind is StandingPatOrDiscarding:
            discarded = tuple(repr(c) for c in cast(StandingPatOrDiscarding, op).cards)
            action = ActionKind.DISCARD if discarded else ActionKind.STAND_PAT
            event = PlayerActed(**common, action=action, discarded=discarded)  # type: ignore[arg-type]
        elif kind is HoleCardsShowingOrMucking:
            hole_cards = cast(HoleCardsShowingOrMucking, op).hole_cards
            if hole_cards:
                shown = tuple(repr(c) for c in hole_cards)
                self.shown[index] = shown
                event = CardsShown(**common, cards=shown)  # type: ignore[arg-type]
            else:
                self.mucked.add(index)
                event = HandMucked(**common)  # type: ignore[arg-type]
        elif kind is HandKilling:
            self.mucked.add(index)
            event = HandMucked(**common)  # type: ignore[arg-type]
        else:  # pragma: no cover - a pokerkit operation this version does not know
            raise TypeError(f"unknown pokerkit operation {op!r}")
        events.append(event)

    def _acted(
        self,
        common: dict[str, object],
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
