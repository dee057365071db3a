"""Check riverboat's fast showdown evaluation against pokerkit's own, and time both.

    python benchmarks/showdown_equivalence.py [--count 100000] [--seed N]

Deals random 2-9 player showdowns (half NLHE: 2 hole + 5 board, half PLO: 4 hole + 5 board),
finds winners, ties and the full finishing order with the original hand types and with
``fast_hand_types``, and exits 1 on any mismatch. Then times a 6-way showdown (all six hands)
and a whole 6-way NLHE hand through pokerkit's State.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import TypeVar

from pokerkit import Automation, Card, Deck, Hand, NoLimitTexasHoldem, OmahaHoldemHand
from pokerkit import StandardHighHand as HighHand

from riverboat.table.evaluation import fast_hand_types

T = TypeVar("T")
DECK: tuple[Card, ...] = tuple(Deck.STANDARD)
ORIGINAL = (HighHand, OmahaHoldemHand)
FAST = fast_hand_types(ORIGINAL)
HOLE_COUNT = {HighHand: 2, OmahaHoldemHand: 4}
Deal = tuple[int, list[tuple[Card, ...]], tuple[Card, ...]]  # (game index, holes, board)


def deal(rng: random.Random, players: int | None = None, game: int | None = None) -> Deal:
    """A random showdown: NLHE (game 0) or PLO (game 1)."""
    game = rng.randrange(2) if game is None else game
    players = rng.randint(2, 9) if players is None else players
    hole = HOLE_COUNT[ORIGINAL[game]]
    cards = rng.sample(DECK, players * hole + 5)
    holes = [tuple(cards[i * hole : (i + 1) * hole]) for i in range(players)]
    return game, holes, tuple(cards[-5:])


def showdown(
    hand_type: type[Hand], holes: Sequence[tuple[Card, ...]], board: tuple[Card, ...]
) -> tuple[list[Hand], tuple[int, ...]]:
    """Evaluate every hand and find the winners, as pokerkit's chip pushing does."""
    hands = [hand_type.from_game(hole, board) for hole in holes]
    best = max(hands)
    return hands, tuple(i for i, hand in enumerate(hands) if hand == best)


def showdown_of(hand_type: type[Hand], dealt: Deal) -> object:
    return showdown(hand_type, dealt[1], dealt[2])


def finishing_order(hands: Sequence[Hand]) -> tuple[int, ...]:
    """For each player, how many hands beat theirs (equal numbers are ties)."""
    return tuple(sum(other > hand for other in hands) for hand in hands)


def check(count: int, rng: random.Random) -> int:
    mismatches = 0
    spent = [0, 0]  # nanoseconds: original, fast
    for _ in range(count):
        game, holes, board = deal(rng)
        results = []
        for side, types in enumerate((ORIGINAL, FAST)):
            start = time.perf_counter_ns()
            hands, winners = showdown(types[game], holes, board)
            spent[side] += time.perf_counter_ns() - start
            results.append((winners, finishing_order(hands)))
        if results[0] != results[1]:
            mismatches += 1
            if mismatches <= 5:
                print(f"MISMATCH {holes} {board}: {results[0]} != {results[1]}")
    original, fast = (ns / 1e9 for ns in spent)
    print(f"checked {count} showdowns: {mismatches} mismatches")
    print(f"  pokerkit {original:.2f} s, fast {fast:.2f} s, speed-up x{original / fast:.1f}")
    return mismatches


def percentiles(samples: list[float]) -> str:
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    return f"median {statistics.median(samples):8.1f} us, p99 {p99:8.1f} us"


def timed(run: Callable[[T], object], inputs: Sequence[T]) -> list[float]:
    """Microseconds taken by ``run`` on each input."""
    samples = []
    for item in inputs:
        start = time.perf_counter_ns()
        run(item)
        samples.append((time.perf_counter_ns() - start) / 1e3)
    return samples


def six_way_timings(rng: random.Random, repeats: int) -> None:
    for game, name in enumerate(("NLHE", "PLO")):
        deals = [deal(rng, 6, game) for _ in range(repeats)]
        for label, types in (("pokerkit", ORIGINAL), ("fast", FAST)):
            hand_type = types[game]
            samples = timed(partial(showdown_of, hand_type), deals)
            print(f"  6-way {name} showdown, {label:8}: {percentiles(samples)}")


MANUAL = (Automation.HOLE_DEALING, Automation.BOARD_DEALING, Automation.CARD_BURNING)
AUTOMATIONS = tuple(automation for automation in Automation if automation not in MANUAL)


def state_hand(fast: bool, cards: Sequence[Card]) -> None:
    """A 6-way NLHE hand through pokerkit's State, everyone calling down to showdown."""
    game = NoLimitTexasHoldem(AUTOMATIONS, True, 0, (1, 2), 2)
    if fast:
        game.hand_types = fast_hand_types(game.hand_types)  # type: ignore[misc]
    state = game((200,) * 6, 6)
    dealt = iter(cards)
    while state.status:
        if state.can_deal_hole():
            state.deal_hole(next(dealt))
        elif state.can_burn_card():
            state.burn_card(next(dealt))
        elif state.can_deal_board():
            state.deal_board(tuple(next(dealt) for _ in range(state.board_dealing_count or 0)))
        else:
            state.check_or_call()


def state_timings(rng: random.Random, repeats: int) -> None:
    decks = [rng.sample(DECK, 20) for _ in range(repeats)]
    for label, fast in (("pokerkit", False), ("fast", True)):
        samples = timed(partial(state_hand, fast), decks)
        print(f"  6-way NLHE hand in State, {label:8}: {percentiles(samples)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=100_000, help="showdowns to check")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    parser.add_argument("--repeats", type=int, default=2_000, help="samples per timing")
    args = parser.parse_args(argv)
    seed = random.randrange(2**32) if args.seed is None else args.seed
    print(f"seed {seed}")
    rng = random.Random(seed)
    mismatches = check(args.count, rng)
    six_way_timings(rng, args.repeats)
    state_timings(rng, max(1, args.repeats // 10))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
