"""Table runtime against raw pokerkit on the same scripted 6-max NLHE hands.

Two policies: ``tight`` (pre-flop: play pairs and two broadway cards, fold the rest; then
check/call to the end) and ``all-call`` (everyone checks or calls to a 6-way showdown). Both
sides deal exactly the same cards and take the same decisions; each hand's finishing stacks are
compared, so the speed-up cannot come from doing something else.

    python benchmarks/table.py [--hands 300] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable

from pokerkit import Card, Deck, NoLimitTexasHoldem, State

from riverboat.table.cards import ScriptedDeal
from riverboat.table.config import TableConfig, Variant
from riverboat.table.events import PlayerId
from riverboat.table.hand import LIVE_AUTOMATIONS
from riverboat.table.table import Table

PLAYERS = 6
STACK = 200
BROADWAY = set("TJQKA")
Deal = tuple[list[list[Card]], list[Card]]
Policy = Callable[[list[Card], bool], bool]


def make_deals(count: int, seed: int) -> list[Deal]:
    rng = random.Random(seed)
    deals = []
    for _ in range(count):
        cards = list(Deck.STANDARD)
        rng.shuffle(cards)
        holes = [cards[2 * i : 2 * i + 2] for i in range(PLAYERS)]
        deals.append((holes, cards[2 * PLAYERS : 2 * PLAYERS + 5]))
    return deals


def tight(hole: list[Card], preflop: bool) -> bool:
    """True: stay in (check or call); False: fold when facing a bet."""
    if not preflop:
        return True
    ranks = [c.rank.value for c in hole]
    return ranks[0] == ranks[1] or all(r in BROADWAY for r in ranks)


def all_call(hole: list[Card], preflop: bool) -> bool:
    return True


def raw_hand(deal: Deal, policy: Policy) -> tuple[tuple[int, ...], float | None]:
    holes, board = deal
    # The runtime's live automations: everything but dealing, which both sides do themselves.
    state: State = NoLimitTexasHoldem(
        LIVE_AUTOMATIONS, True, 0, (1, 2), 2,
    )([STACK] * PLAYERS, PLAYERS)
    dealt = [0] * PLAYERS
    board_left = list(board)
    showdown: float | None = None
    while state.status:
        if state.can_burn_card():
            state.burn_card("??")
        elif state.can_deal_hole():
            i = state.hole_dealee_index
            assert i is not None
            state.deal_hole((holes[i][dealt[i]],), i)
            dealt[i] += 1
        elif state.can_deal_board():
            n = state.board_dealing_count or 0
            state.deal_board(tuple(board_left[:n]))
            del board_left[:n]
        else:
            i = state.actor_index
            assert i is not None
            owed = state.checking_or_calling_amount or 0
            if owed and not policy(holes[i], state.street_index == 0):
                state.fold()
                continue
            last = state.street_index == 3 and _last_to_act(state)
            start = time.perf_counter()
            state.check_or_call()
            if last and not state.status:
                showdown = time.perf_counter() - start
    return tuple(state.stacks), showdown


def _last_to_act(state: State) -> bool:
    return len(state.actor_indices) == 1


class RuntimeTable:
    """One long-lived table, as the game server keeps it; stacks are reset between hands so
    that every hand starts like the raw side's (the button moves on as usual)."""

    def __init__(self) -> None:
        self.table = Table(TableConfig(variant=Variant.NLHE, seats=PLAYERS, blinds=(1, 2)))
        for i in range(PLAYERS):
            self.table.sit(PlayerId(f"p{i}"), i + 1, STACK)

    def __call__(self, deal: Deal, policy: Policy) -> tuple[tuple[int, ...], float | None]:
        for seat in self.table.seats.values():
            seat.stack = STACK
        return runtime_hand(self.table, deal, policy)


def runtime_hand(
    table: Table, deal: Deal, policy: Policy
) -> tuple[tuple[int, ...], float | None]:
    holes, board = deal
    # The deal is by pokerkit player index (first after the button ... button), as raw.
    table.start_hand(cards=ScriptedDeal(dict(enumerate(holes)), list(board)))
    showdown: float | None = None
    # Like the game server: the player to act sends an intent and the table runs it. A check is
    # tried where it is legal (can_check is cheap); otherwise the policy folds or calls.
    while (hand := table.hand) is not None:
        actor = table.to_act
        assert actor is not None
        player = actor
        index = hand.plan.players.index(player)
        facing_bet = not table.can_check(player)
        if facing_bet and not policy(holes[index], hand.state.street_index == 0):
            table.fold(player)
            continue
        last = hand.state.street_index == 3 and _last_to_act(hand.state)
        act = table.call if facing_bet else table.check
        start = time.perf_counter()
        act(player)
        if last and table.hand is None:
            showdown = time.perf_counter() - start
    assert table.last_hand is not None
    return table.last_hand.runner.final_stacks(), showdown


def run(name: str, deals: list[Deal], policy: Policy) -> tuple[float, float]:
    print(f"\n{name}: {len(deals)} hands")
    results = {}
    sides: tuple[tuple[str, Callable[[Deal, Policy], tuple[tuple[int, ...], float | None]]], ...]
    sides = (("pokerkit", raw_hand), ("riverboat", RuntimeTable()))
    for side, play in sides:
        showdowns: list[float] = []
        stacks = []
        start = time.perf_counter()
        for deal in deals:
            final, showdown = play(deal, policy)
            stacks.append(final)
            if showdown is not None:
                showdowns.append(showdown)
        elapsed = time.perf_counter() - start
        results[side] = stacks
        rate = len(deals) / elapsed
        line = f"  {side:10} {rate:8.1f} hands/s"
        if len(showdowns) >= 2:
            q = statistics.quantiles(showdowns, n=100)
            line += (
                f"   showdown action: p50 {statistics.median(showdowns) * 1e3:6.2f} ms"
                f"  p99 {q[98] * 1e3:6.2f} ms  (n={len(showdowns)})"
            )
        print(line)
        if side == "pokerkit":
            base_rate, base_p99 = rate, (statistics.quantiles(showdowns, n=100)[98]
                                         if len(showdowns) >= 2 else 0.0)
        else:
            ours_rate = rate
    same = results["pokerkit"] == results["riverboat"]
    print(f"  speed-up: {ours_rate / base_rate:.1f}x   identical finishing stacks: {same}")
    if not same:
        sys.exit("results differ from pokerkit")
    return ours_rate / base_rate, base_p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hands", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    deals = make_deals(args.hands, args.seed)
    run("tight 6-max", deals, tight)
    run("all-call 6-way showdown", deals, all_call)


if __name__ == "__main__":
    main()
