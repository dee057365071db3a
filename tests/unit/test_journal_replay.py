"""Crash safety of a table, without a database: a table rebuilt from its last checkpoint and the
journal entries since is the same table, at any moment, in every variant that deals from a deck.

Each example plays random inputs (sits, stand-ups, top-ups, legal actions at random amounts,
timeouts, time banks, hand starts with CSPRNG decks) through ``apply_entry`` exactly as the table
actor does, keeping what the store would keep (a checkpoint after each hand, the entries since).
At a random moment the table is "killed" and rebuilt with ``restore``: its whole state must be
equal (seats, stacks, sequence number, deadline, the hand's pokerkit state with every card), and
feeding both tables the same further inputs must produce the same events.
"""

from __future__ import annotations

import contextlib
import json
import random
from dataclasses import asdict
from typing import Any

import pytest
from cryptography.fernet import Fernet
from hypothesis import HealthCheck, given, settings
from hypothesis import event as statistic
from hypothesis import strategies as st

from riverboat.protocol.intents import Intent, IntentKind
from riverboat.server.journal import (
    Entry,
    apply_entry,
    checkpoint_of,
    clock_entry,
    intent_entry,
    restore,
    start_entry,
)
from riverboat.store import SavedTable
from riverboat.store.deck_cipher import DeckCipher
from riverboat.table.cards import CardSource, ShuffledDeck
from riverboat.table.config import TableConfig, Variant
from riverboat.table.errors import TableError
from riverboat.table.events import Event, PlayerId
from riverboat.table.state import config_to_dict
from riverboat.table.table import Table, deck_of

CONFIGS = {
    "NLHE": TableConfig(variant=Variant.NLHE, seats=6, blinds=(1, 2), action_time=10),
    "PLO": TableConfig(variant=Variant.PLO, seats=6, blinds=(1, 2), action_time=10),
    "FLHE": TableConfig(
        variant=Variant.FLHE, seats=6, blinds=(1, 2), small_bet=2, big_bet=4, action_time=10
    ),
    "27TD": TableConfig(
        variant=Variant.FL27TD, seats=6, blinds=(1, 2), small_bet=2, big_bet=4, action_time=10
    ),
    "STUD": TableConfig(
        variant=Variant.STUD, seats=8, blinds=(), antes=1, bring_in=1, small_bet=2, big_bet=4,
        action_time=10,
    ),
}
PLAYERS = [PlayerId(f"p{i}@example.org") for i in range(1, 9)]
CIPHER = DeckCipher(Fernet.generate_key())


class Recorder:
    """A table driven as the actor drives it, with what the store would hold."""

    def __init__(self, config: TableConfig, rng: random.Random | None = None) -> None:
        self.now = 1_000_000.0
        self.rng = rng or random.Random(0)
        self.table = Table(config, clock=lambda: self.now, cards=self._deck)
        self.names: dict[PlayerId, str] = {}
        self.checkpoint: dict[str, Any] | None = None
        self.journal: list[Entry] = []

    def _deck(self) -> ShuffledDeck:
        """A deck shuffled from the example's own randomness (hypothesis replays examples)."""
        cards = list(deck_of(self.table.config))
        self.rng.shuffle(cards)
        order = "".join(repr(c) for c in cards)
        return ShuffledDeck.from_state({"cards": order, "seed": f"{self.rng.getrandbits(64):x}"})

    def run(self, entry: Entry) -> list[Event]:
        entry["at"] = self.now
        deck = None
        if entry["op"] == "start":
            deck = self.table.new_cards()
            entry = start_entry(self.now, deck, CIPHER)
        events = apply_entry(self.table, entry, deck=deck, cipher=CIPHER)
        if any(type(e).__name__ == "HandEnded" for e in events):
            self.checkpoint = json.loads(json.dumps(checkpoint_of(self.table, self.names)))
            self.journal = []
        elif events:
            self.journal.append(json.loads(json.dumps(entry)))  # as stored: JSON
        return events

    def saved(self) -> SavedTable:
        return SavedTable(
            "t1", "t1", config_to_dict(self.table.config), self.checkpoint, list(self.journal)
        )


def outcome(table: Table, entry: Entry, deck: CardSource | None = None) -> object:
    try:
        return apply_entry(table, entry, deck=deck, cipher=CIPHER)
    except TableError as exc:
        return type(exc)


def state_of(table: Table) -> dict[str, Any]:
    hand = table.hand
    state: dict[str, Any] = {
        "seats": {n: asdict(s) for n, s in table.seats.items()},
        "button": table.button, "hand_no": table.hand_no, "seq": table.seq,
        "deadline": table.deadline,
    }
    if hand is not None:
        pk = hand.state
        state["hand"] = (
            hand.plan, hand.to_act, pk.stacks, pk.bets, pk.hole_cards, pk.board_cards,
            pk.statuses, pk.street_index, pk.pots and list(pk.pots),
        )
    return state


def next_input(data: st.DataObject, rec: Recorder) -> Entry:
    table = rec.table
    if table.hand is None:
        choice = data.draw(st.sampled_from(["start", "start", "start", "sit", "stand", "add"]))
        seated = [s.player for s in table.seats.values()]
        if choice == "sit" or len(seated) < 2:
            free = [p for p in PLAYERS if p not in seated]
            if free:
                player = data.draw(st.sampled_from(free))
                rec.names.setdefault(player, player.split("@")[0])
                return intent_entry(player, Intent(IntentKind.SIT), 0.0, rec.names[player])
        if choice == "stand" and seated:
            return intent_entry(data.draw(st.sampled_from(seated)), Intent(IntentKind.STAND), 0.0)
        if choice == "add" and seated:
            amount = data.draw(st.integers(1, 60))
            return intent_entry(
                data.draw(st.sampled_from(seated)), Intent(IntentKind.ADD_CHIPS, amount), 0.0
            )
        return {"op": "start", "at": 0.0}
    to_act = table.to_act
    if to_act is None or data.draw(st.integers(0, 9)) == 0:
        rec.now = (table.deadline or rec.now) + 0.5
        return clock_entry("timeout", 0.0)
    rec.now += data.draw(st.floats(0.0, 3.0))
    player = to_act
    legal = table.legal_actions(player)
    options: list[Intent] = [Intent(IntentKind.FOLD)] if legal.fold else []
    if legal.check:
        options.append(Intent(IntentKind.CHECK))
    if legal.call is not None:
        options.append(Intent(IntentKind.CALL))
    if legal.raise_range is not None:
        low, high = legal.raise_range
        options.append(Intent(IntentKind.RAISE, data.draw(st.integers(low, high))))
    if legal.bring_in is not None:
        options.append(Intent(IntentKind.BRING_IN))
    if legal.discard:
        options.append(Intent(IntentKind.DISCARD))
    if data.draw(st.integers(0, 19)) == 0:
        options.append(Intent(IntentKind.STAND))
    return intent_entry(player, data.draw(st.sampled_from(options or [Intent(IntentKind.FOLD)])),
                        0.0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(), variant=st.sampled_from(sorted(CONFIGS)), cut=st.integers(5, 160),
    rng=st.randoms(use_true_random=False),
)
def test_a_restored_table_is_the_same_table(
    data: st.DataObject, variant: str, cut: int, rng: random.Random
) -> None:
    rec = Recorder(CONFIGS[variant], rng)
    for _ in range(cut):
        with contextlib.suppress(TableError):  # refused: changes nothing, not journaled
            rec.run(next_input(data, rec))
    statistic("cut in a hand" if rec.table.hand else "cut between hands")
    statistic(f"journal entries replayed: {min(len(rec.journal), 20) // 5 * 5}+")
    restored = restore(rec.saved(), CIPHER, lambda: rec.now, CONFIGS[variant])
    assert state_of(restored.table) == state_of(rec.table)
    assert {p: n for p, n in rec.names.items() if p in {s.player for s in rec.table.seats.values()}
            } == {p: n for p, n in restored.names.items()
                  if p in {s.player for s in rec.table.seats.values()}}
    # Both go on the same way: the same inputs give the same events.
    twin = Recorder(CONFIGS[variant])
    twin.table, twin.now = restored.table, rec.now
    restored.table.clock = lambda: twin.now
    for _ in range(40):
        entry = next_input(data, rec)
        twin.now = rec.now
        deck = None
        if entry["op"] == "start":
            deck = rec.table.new_cards()
            entry = start_entry(rec.now, deck, CIPHER)
        entry["at"] = rec.now
        assert outcome(twin.table, dict(entry)) == outcome(rec.table, entry, deck)
    assert state_of(twin.table) == state_of(rec.table)


def test_resume_gives_the_player_to_act_a_fresh_deadline() -> None:
    rec = Recorder(CONFIGS["NLHE"])
    for player in PLAYERS[:3]:
        rec.run(intent_entry(player, Intent(IntentKind.SIT), 0.0, player))
    rec.run({"op": "start", "at": 0.0})
    seq = rec.table.seq
    rec.now += 500.0  # the server was down long past the deadline
    restored = restore(rec.saved(), CIPHER, lambda: rec.now)
    assert restored.table.seq == seq
    events = apply_entry(restored.table, clock_entry("resume", rec.now), cipher=CIPHER)
    assert [type(e).__name__ for e in events] == ["TableResumed", "ActionRequired"]
    assert [e.seq for e in events] == [seq + 1, seq + 2]
    assert restored.table.deadline == rec.now + CONFIGS["NLHE"].action_time


def test_the_stored_deck_is_sealed() -> None:
    rec = Recorder(CONFIGS["NLHE"])
    for player in PLAYERS[:2]:
        rec.run(intent_entry(player, Intent(IntentKind.SIT), 0.0, player))
    rec.run({"op": "start", "at": 0.0})
    stored = json.dumps(rec.journal)
    token = rec.journal[-1]["deck"]
    cards = CIPHER.open(token)["cards"]
    assert len(cards) == 104  # the whole deck, in order, inside the sealed token only
    runs = {cards[i : i + 8] for i in range(0, len(cards) - 8, 2)}  # any four cards in a row
    assert not any(run in stored for run in runs)
    with pytest.raises(Exception, match=r"(?i)key|token|decrypt"):
        DeckCipher(Fernet.generate_key()).open(token)
