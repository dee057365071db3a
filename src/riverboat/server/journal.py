"""Crash-safe tables: every input of a table is a journal entry, stored before its events go out.

An entry is a small JSON dict: a player's intent, a timeout, the start of a hand (with its deck,
encrypted) or the resumption of the clock after a restart. Each carries the clock time it ran
at, so applying the same entries to the same state gives the same table, sequence numbers and
deadlines included. The store keeps a checkpoint of the table after every hand and the entries
since; a restarted server loads the checkpoint and replays the entries: an interrupted hand
continues where its last stored input left it (docs/persistence.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from riverboat.protocol.intents import Intent, IntentKind
from riverboat.server.commands import run_intent
from riverboat.store import HandRecord, SavedTable, Store, Transfer
from riverboat.store.deck_cipher import DeckCipher
from riverboat.table.cards import CardSource, ShuffledDeck
from riverboat.table.config import TableConfig
from riverboat.table.errors import NoHandError
from riverboat.table.events import (
    ChipsAdded,
    Event,
    HandEnded,
    PlayerId,
    PlayerLeft,
    PlayerSat,
)
from riverboat.table.history import dumps
from riverboat.table.state import config_from_dict, load_state, table_state
from riverboat.table.table import Table

Entry = dict[str, Any]


def intent_entry(player: PlayerId, intent: Intent, at: float, name: str | None = None) -> Entry:
    entry: Entry = {"op": "intent", "at": at, "player": player, "kind": intent.kind.value}
    if intent.amount is not None:
        entry["amount"] = intent.amount
    if intent.seat is not None:
        entry["seat"] = intent.seat
    if intent.cards:
        entry["cards"] = intent.cards
    if name is not None:
        entry["name"] = name
    return entry


def clock_entry(op: str, at: float) -> Entry:
    """``timeout`` (the clock ran out) or ``resume`` (fresh deadline after a restart)."""
    return {"op": op, "at": at}


def start_entry(at: float, deck: CardSource, cipher: DeckCipher | None) -> Entry:
    entry: Entry = {"op": "start", "at": at}
    if cipher is not None and isinstance(deck, ShuffledDeck):
        entry["deck"] = cipher.seal(deck.state())
    return entry


def apply_entry(
    table: Table, entry: Entry, *, deck: CardSource | None = None, cipher: DeckCipher | None = None
) -> list[Event]:
    """Run one entry on ``table`` with the table's clock reading the entry's time.

    ``deck`` is the live deck of a ``start`` entry; a replay opens the entry's sealed deck.
    """
    at = float(entry["at"])
    saved = table.clock
    table.clock = lambda: at
    try:
        return _run(table, entry, deck, cipher)
    finally:
        table.clock = saved


def _run(
    table: Table, entry: Entry, deck: CardSource | None, cipher: DeckCipher | None
) -> list[Event]:
    op = entry["op"]
    if op == "intent":
        intent = Intent(
            IntentKind(entry["kind"]), amount=entry.get("amount"), seat=entry.get("seat"),
            cards=entry.get("cards", ""),
        )
        return run_intent(intent, PlayerId(entry["player"]))(table)
    if op == "timeout":
        return table.timeout()
    if op == "resume":
        return table.resume_clock()
    if op == "start":
        if deck is None and "deck" in entry:
            if cipher is None:
                raise NoHandError("a stored deck needs the deck key to be read")
            deck = ShuffledDeck.from_state(cipher.open(entry["deck"]))
        return table.start_hand(cards=deck)
    raise ValueError(f"unknown journal entry {op!r}")


def transfers_for(table_id: str, events: Sequence[Event]) -> list[Transfer]:
    """The wallet movements an input caused: buy-ins in, stacks out."""
    moves: list[Transfer] = []
    for event in events:
        if isinstance(event, PlayerSat):
            moves.append(Transfer("buy_in", event.player, table_id, event.stack))
        elif isinstance(event, ChipsAdded):
            moves.append(Transfer("buy_in", event.player, table_id, event.amount, event.hand_no))
        elif isinstance(event, PlayerLeft) and event.stack > 0:
            moves.append(Transfer("cash_out", event.player, table_id, event.stack))
    return moves


def checkpoint_of(table: Table, names: dict[PlayerId, str]) -> dict[str, Any]:
    state = table_state(table)
    seated = {seat.player for seat in table.seats.values()}
    state["names"] = {p: n for p, n in names.items() if p in seated}
    return state


def last_hand_phh(table: Table, table_id: str, names: dict[PlayerId, str]) -> str | None:
    """The table's last finished hand as PHH (players' names and JIDs in it), if any."""
    finished = table.last_hand
    if finished is None:
        return None
    return dumps(
        finished,
        table=table_id,
        names={p: names.get(p, p) for p in finished.plan.players},
        extra={"jids": list(finished.plan.players)},
    )


@dataclass
class TableJournal:
    """Stores one table's inputs and finished hands; the table actor awaits each write."""

    store: Store
    table_id: str
    names: dict[PlayerId, str]
    cipher: DeckCipher
    config: TableConfig
    table_clock: Callable[[], float]
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    last_phh: str | None = None

    async def reload(self) -> Table:
        for saved in await self.store.saved_tables():
            if saved.table_id == self.table_id:
                return restore(saved, self.cipher, self.table_clock, self.config).table
        return Table(self.config, clock=self.table_clock)

    async def record(self, table: Table, entry: Entry, events: Sequence[Event]) -> None:
        transfers = transfers_for(self.table_id, events)
        ended = next((e for e in events if isinstance(e, HandEnded)), None)
        if ended is None or table.last_hand is None:
            await self.store.append(self.table_id, entry, transfers)
            return
        finished = table.last_hand
        phh = last_hand_phh(table, self.table_id, self.names)
        assert phh is not None
        record = HandRecord(
            table_id=self.table_id, hand_no=ended.hand_no or finished.plan.hand_no,
            ended_at=self.clock(), players=tuple(ended.players), net=tuple(ended.net), phh=phh,
        )
        await self.store.finish_hand(
            self.table_id, record, checkpoint_of(table, self.names), transfers
        )
        self.last_phh = phh


@dataclass
class RestoredTable:
    table: Table
    names: dict[PlayerId, str]
    title: str
    entries: int
    """How many journal entries were replayed (0: the table was between hands)."""


def restore(
    saved: SavedTable,
    cipher: DeckCipher,
    clock: Callable[[], float],
    config: TableConfig | None = None,
) -> RestoredTable:
    """Rebuild a table from its checkpoint and journal (``config`` overrides the saved one)."""
    table = Table(config or config_from_dict(saved.config), clock=clock)
    names: dict[PlayerId, str] = {}
    if saved.checkpoint is not None:
        load_state(table, saved.checkpoint)
        names.update({PlayerId(p): n for p, n in saved.checkpoint.get("names", {}).items()})
    for entry in saved.journal:
        if entry.get("op") == "intent" and "name" in entry:
            names.setdefault(PlayerId(entry["player"]), str(entry["name"]))
        apply_entry(table, entry, cipher=cipher)
    return RestoredTable(table, names, saved.title, len(saved.journal))
