"""The table actor with a journal: an input is stored before its events go out, and an input
that cannot be stored did not happen (the table goes back to what is stored)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from riverboat.protocol.intents import Intent, IntentKind
from riverboat.server.actor import TableActor
from riverboat.server.journal import Entry, intent_entry, restore
from riverboat.server.persistence import open_persistence
from riverboat.server.settings import ServerSettings, TableSpec
from riverboat.store import SavedTable
from riverboat.store.deck_cipher import DeckCipher
from riverboat.table.config import TableConfig, Variant
from riverboat.table.events import Event, PlayerId, PlayerSat
from riverboat.table.state import config_to_dict
from riverboat.table.table import Table

CONFIG = TableConfig(variant=Variant.NLHE, seats=6, blinds=(1, 2), action_time=30)
CIPHER = DeckCipher(Fernet.generate_key())


class Sink:
    def __init__(self) -> None:
        self.published: list[Event] = []

    def publish(self, table_id: str, events: list[Event]) -> None:
        self.published += events


class MemoryJournal:
    """What a store would hold: the entries, in order; ``down`` makes every write fail."""

    last_phh: str | None = None

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.down = False
        self.stored_before_published: list[bool] = []
        self.sink: Sink | None = None

    async def record(self, table: Table, entry: Entry, events: Sequence[Event]) -> None:
        if self.down:
            raise ConnectionError("the database is unreachable")
        assert self.sink is not None
        self.stored_before_published.append(not any(e in self.sink.published for e in events))
        self.entries.append(dict(entry))

    async def reload(self) -> Table:
        saved = SavedTable("t1", "t1", config_to_dict(CONFIG), None, list(self.entries))
        return restore(saved, CIPHER, lambda: 0.0, CONFIG).table


def sit(player: str) -> Entry:
    return intent_entry(PlayerId(player), Intent(IntentKind.SIT), 0.0, player)


async def test_an_input_that_cannot_be_stored_did_not_happen() -> None:
    sink, journal = Sink(), MemoryJournal()
    journal.sink = sink
    table = Table(CONFIG)
    actor = TableActor("t1", table, sink, journal=journal, cipher=CIPHER)
    actor.start()
    try:
        await actor.call(sit("a@x"))
        await actor.call(sit("b@x"))
        assert journal.stored_before_published == [True, True]
        seq = table.seq
        journal.down = True
        with pytest.raises(ConnectionError):
            await actor.call(sit("c@x"))
        # Nothing of it remains, nothing was published; the table object is the same one.
        assert actor.table is table
        assert sorted(s.player for s in table.seats.values()) == ["a@x", "b@x"]
        assert table.seq == seq
        assert [e.player for e in sink.published if isinstance(e, PlayerSat)] == ["a@x", "b@x"]
        journal.down = False
        events = await actor.call(sit("c@x"))
        assert [e.seq for e in events] == [seq + 1]
        assert len(journal.entries) == 3
    finally:
        await actor.stop()


async def test_a_table_that_cannot_be_restored_does_not_stop_the_others(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    specs = tuple(TableSpec(t, t, CONFIG) for t in ("t1", "t2"))
    settings = ServerSettings(
        component="games.example.org", secret="s", host="127.0.0.1", port=1, muc="muc.x",
        data_dir=tmp_path, tables=specs, store_url=url, deck_key=Fernet.generate_key(),
    )
    persistence, tables = await open_persistence(settings, url)
    store = persistence.store
    try:
        for table_id in ("t1", "t2"):
            await store.append(persistence.store_id(table_id), sit("a@x") | {"at": 1.0})
        await store.append(
            "t2@games.example.org", {"op": "start", "at": 2.0, "deck": "not a sealed deck"}
        )
    finally:
        await store.close()
    persistence, tables = await open_persistence(settings, url)
    try:
        assert sorted(tables) == ["t1"]
        assert [s.player for s in tables["t1"].seats.values()] == ["a@x"]
        kept = {s.table_id: s for s in await persistence.store.saved_tables()}
        assert len(kept["t2@games.example.org"].journal) == 2  # left as it was, for the operator
    finally:
        await persistence.store.close()
