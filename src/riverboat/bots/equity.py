"""A hand-strength player: Monte Carlo equity against random hands (eval7), then pot odds.

Hold'em only (NLHE, FLHE); other variants, or unknown hole cards, fall back to calling.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from functools import cache
from typing import Any

from riverboat.bots.strategy import (
    HOLDEM_VARIANTS,
    CallingStation,
    Decision,
    Situation,
    bet_to,
)

RANKS = "23456789TJQKA"
SUITS = "cdhs"


@cache
def _eval7() -> Any:
    """eval7's compiled ``Card`` and ``evaluate`` (without its package's pyparsing import)."""
    from riverboat.table.eval7_core import eval7

    return eval7


@cache
def _deck() -> tuple[Any, ...]:
    card = _eval7().Card
    return tuple(card(rank + suit) for rank in RANKS for suit in SUITS)


def equity(
    hole: Sequence[str],
    board: Sequence[str],
    opponents: int,
    iterations: int = 400,
    rng: random.Random | None = None,
) -> float:
    """Our share of the pot against ``opponents`` random hands, by sampling the unseen cards
    (a tie counts as half a win)."""
    e7 = _eval7()
    rng = rng or random.Random()
    known = {c.lower() for c in (*hole, *board)}
    mine = [e7.Card(c) for c in hole]
    shown = [e7.Card(c) for c in board]
    unseen = [c for c in _deck() if str(c).lower() not in known]
    missing = 5 - len(shown)
    opponents = max(1, opponents)
    needed = missing + 2 * opponents
    if needed > len(unseen):
        return 0.5
    evaluate = e7.evaluate
    score = 0.0
    for _ in range(iterations):
        drawn = rng.sample(unseen, needed)
        full = shown + drawn[:missing]
        ours = evaluate(mine + full)
        best = max(
            evaluate(drawn[missing + 2 * i : missing + 2 * i + 2] + full) for i in range(opponents)
        )
        if ours > best:
            score += 1.0
        elif ours == best:
            score += 0.5
    return score / iterations


class EquityPlayer:
    """Bets and raises strong hands, calls when the pot odds pay, folds the rest."""

    name = "equity"

    def __init__(self, iterations: int = 400) -> None:
        self.iterations = iterations
        self._fallback = CallingStation()

    def decide(self, situation: Situation, rng: random.Random) -> Decision:
        if situation.variant not in HOLDEM_VARIANTS or len(situation.cards) != 2:
            return self._fallback.decide(situation, rng)
        share = equity(situation.cards, situation.board, situation.opponents, self.iterations, rng)
        fair = 1.0 / (situation.opponents + 1)
        strong = min(0.85, max(0.55, 1.8 * fair))
        pot = max(situation.pot, situation.big_blind)
        if share >= strong and situation.stack > situation.to_call:
            return bet_to(situation, situation.raise_to(pot if share >= 0.75 else pot // 2))
        if situation.to_call == 0:
            if share >= 0.5 * (1 + fair) and rng.random() < 0.4:
                return bet_to(situation, situation.raise_to(pot // 2))
            return Decision("check")
        odds = situation.to_call / (pot + situation.to_call)
        if share >= odds + 0.03:
            return Decision("call")
        return Decision("fold")
