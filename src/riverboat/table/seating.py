"""Seats, the button and who is dealt into the next hand.

The rules (documented in docs/table.md):
- Moving button: the button moves to the next seat of an active player; the small blind is the
  next active player after it and the big blind the next after that (heads-up: the button posts
  the small blind and acts first before the flop).
- A player who joins, or comes back after missing a hand, waits for the big blind: they are dealt
  in when the big blind reaches their seat, or at once if they choose to post one big blind as
  dead money (it goes to the pot and does not count as their bet). When fewer than two players
  are active, everyone waiting is dealt in at once and nobody owes anything.
- A player with no chips, or sitting out, is skipped by the button and the blinds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from riverboat.table.config import TableConfig
from riverboat.table.events import PlayerId, SeatNo
from riverboat.table.hand import HandPlan


@dataclass(slots=True)
class Seat:
    number: SeatNo
    player: PlayerId
    stack: int
    time_bank: float
    sitting_out: bool = False
    waiting: bool = True
    """Has not been dealt in since joining or since missing a hand: waits for the big blind."""
    post_now: bool = False
    """Chose to post a dead big blind to be dealt in at the next hand."""
    leaving: bool = False
    """Stood up during a hand: folded when their turn comes, removed when the hand ends."""
    sit_out_next: bool = False
    pending_chips: int = 0
    """Chips bought during a hand, added before the next one."""
    timeouts: int = 0

    @property
    def eligible(self) -> bool:
        return not self.sitting_out and not self.leaving and self.stack + self.pending_chips > 0

    def enter(self) -> None:
        """Dealt into a hand: chips bought meanwhile join the stack; no longer waiting."""
        self.stack += self.pending_chips
        self.pending_chips = 0
        self.waiting = False
        self.post_now = False


def _cycle_after(numbers: list[SeatNo], start: SeatNo | None) -> list[SeatNo]:
    """The seat numbers in clockwise order, beginning just after ``start``."""
    if start is None:
        return list(numbers)
    later = [n for n in numbers if n > start]
    earlier = [n for n in numbers if n <= start]
    return later + earlier


def plan_next_hand(
    config: TableConfig,
    seats: dict[SeatNo, Seat],
    previous_button: SeatNo | None,
    hand_no: int,
    button: SeatNo | None = None,
) -> HandPlan | None:
    """Choose the button, the seats dealt in and the dead posts; ``None`` if under two play.

    ``button`` forces the button (replays); otherwise it moves from ``previous_button``.
    Changes nothing: ``Table.start_hand`` applies the plan (``Seat.enter``).
    """
    numbers = sorted(n for n, s in seats.items() if s.eligible)
    if len(numbers) < 2:
        return None
    active = [n for n in numbers if not seats[n].waiting]
    owing = True
    if len(active) < 2 or config.variant.uses_bring_in or not any(config.blinds):
        active = list(numbers)  # a game (re)starts, or a game without blinds: all are dealt in
        owing = False  # ... and nobody owes a dead blind to enter
    if button is None:
        button = _cycle_after(active, previous_button)[0]
    elif button not in numbers:
        raise ValueError(f"seat {button} cannot take the button")
    order = [n for n in _cycle_after(numbers, button) if n != button]
    chosen = _choose(seats, order, set(active), big_blind_position=_big_blind_position(config))
    if len(chosen) + 1 == 2 and len(order) > 1 and not config.variant.uses_bring_in:
        # Heads-up: the player after the button posts the big blind.
        chosen = _choose(seats, order, set(active), big_blind_position=0)
    dealt = [*chosen, button]
    if len(dealt) < 2:
        return None
    dead = frozenset(
        n
        for position, n in enumerate(dealt)
        if owing
        and seats[n].waiting
        and seats[n].post_now
        and not _is_big_blind(config, position, len(dealt))
    )
    return HandPlan(
        hand_no=hand_no,
        button=button,
        seats=tuple(dealt),
        players=tuple(seats[n].player for n in dealt),
        stacks=tuple(seats[n].stack + seats[n].pending_chips for n in dealt),
        dead_posts=dead,
    )


def _big_blind_position(config: TableConfig) -> int:
    blinds = config.blinds
    return max(range(len(blinds)), key=lambda i: (blinds[i], i)) if any(blinds) else -1


def _is_big_blind(config: TableConfig, position: int, count: int) -> bool:
    """Whether ``position`` posts the big blind (heads-up: the player after the button)."""
    if not any(config.blinds):
        return False
    return position == (0 if count == 2 else _big_blind_position(config))


def _choose(
    seats: dict[SeatNo, Seat],
    order: Iterable[SeatNo],
    active: set[SeatNo],
    big_blind_position: int,
) -> list[SeatNo]:
    chosen: list[SeatNo] = []
    for n in order:
        seat = seats[n]
        if n in active or seat.post_now or len(chosen) == big_blind_position:
            chosen.append(n)
    return chosen
