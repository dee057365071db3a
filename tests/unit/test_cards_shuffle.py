"""The live deck's shuffle: uniform over permutations, unbiased draws, one CSPRNG read."""

from __future__ import annotations

import itertools
import os
from collections import Counter
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st
from pokerkit import Deck

from riverboat.table.cards import ShuffledDeck, _below, _shuffled, parse_cards

SPAN = 1 << 32


@given(st.integers(1, 52), st.integers(0, SPAN - 1))
def test_a_draw_is_below_its_bound_or_rejected_in_the_biased_slice(bound: int, word: int) -> None:
    draw = _below(bound, word)
    kept = SPAN - SPAN % bound  # the largest multiple of bound: every value equally often
    if word < kept:
        assert draw == word % bound
    else:
        assert draw is None


def test_every_permutation_of_four_cards_is_equally_likely() -> None:
    deck = list(parse_cards("AsKdQhJc"))
    rounds = 24_000
    seen = Counter(tuple(_shuffled(list(deck))) for _ in range(rounds))
    assert set(seen) == set(itertools.permutations(deck))
    expected = rounds / 24
    chi2 = sum((n - expected) ** 2 / expected for n in seen.values())
    # 23 degrees of freedom: P(chi2 > 70) is about 1e-6 for a fair shuffle.
    assert chi2 < 70, seen


def test_a_rejected_word_is_replaced_and_the_deck_read_once() -> None:
    reads: list[int] = []
    real = os.urandom

    def urandom(n: int) -> bytes:
        reads.append(n)
        if len(reads) == 1:  # every word of the first read falls in the rejected slice
            return b"\xff" * n
        return real(n)

    with mock.patch("riverboat.table.cards.os.urandom", urandom):
        shuffled = _shuffled(list(Deck.STANDARD))
    assert len(shuffled) == 52
    assert set(shuffled) == set(Deck.STANDARD)
    assert reads[0] == 4 * 52
    # 0xffffffff is rejected for every bound that does not divide 2**32 (3, 5, 6, 7, ...).
    assert len(reads) > 1
    assert all(n == 4 for n in reads[1:])


def test_a_restored_deck_refills_as_the_original() -> None:
    deck = ShuffledDeck()
    copy = ShuffledDeck.from_state(deck.state())
    used = [deck.board_card() for _ in range(10)]
    assert [copy.board_card() for _ in range(10)] == used
    deck.refill(used)
    copy.refill(used)
    assert [deck.board_card() for _ in range(deck.remaining())] == [
        copy.board_card() for _ in range(copy.remaining())
    ]
