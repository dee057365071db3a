"""Several game servers on one store: each restores only its own tables (ids are table JIDs)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from cryptography.fernet import Fernet

from riverboat.protocol.intents import Intent, IntentKind
from riverboat.server.journal import TableJournal, apply_entry, intent_entry
from riverboat.server.persistence import open_persistence
from riverboat.server.settings import ServerSettings, TableSpec
from riverboat.store import Store, Transfer
from riverboat.table.config import TableConfig, Variant
from riverboat.table.events import PlayerId
from riverboat.table.state import config_to_dict
from riverboat.table.table import Table

CONFIG = TableConfig(variant=Variant.NLHE, seats=6, blinds=(1, 2), action_time=30)
KEY = Fernet.generate_key()


def settings(tmp_path: Path, url: str, domain: str) -> ServerSettings:
    return ServerSettings(
        component=domain, secret="s", host="127.0.0.1", port=1, muc="muc.x",
        data_dir=tmp_path, tables=(TableSpec("t1", "Table 1", CONFIG),), store_url=url,
        deck_key=KEY,
    )


async def sit(journal: TableJournal, table: Table, player: str) -> None:
    """Seat ``player`` with 200 chips as the actor would, and store it."""
    entry = intent_entry(PlayerId(player), Intent(IntentKind.SIT, amount=200), 1.0, player)
    events = apply_entry(table, entry)
    await journal.record(table, entry, events)


async def test_two_servers_share_one_store_and_keep_their_tables_apart(
    tmp_path: Path, store_url: str
) -> None:
    # Two servers (two components, each its own store connections, as two processes have)
    # with the same local table id "t1", open on one store at the same time, seat players
    # concurrently; restarted, each finds only its own table.
    servers = {"games1.example.org": "alice@x", "games2.example.org": "bob@x"}
    opened = [
        await open_persistence(settings(tmp_path, store_url, domain), store_url)
        for domain in servers
    ]
    try:
        async def seat(index: int, player: str) -> None:
            persistence, tables = opened[index]
            await persistence.store.touch_player(player)
            await sit(persistence.journal_for("t1", {}, CONFIG), tables["t1"], player)

        await asyncio.gather(*(seat(i, p) for i, p in enumerate(servers.values())))
    finally:
        for persistence, _ in opened:
            await persistence.store.close()
    for domain, player in servers.items():
        persistence, tables = await open_persistence(settings(tmp_path, store_url, domain),
                                                     store_url)
        try:
            assert [s.player for s in tables["t1"].seats.values()] == [player]
            wallet = await persistence.store.wallet(player)
            assert wallet.on_tables == {f"t1@{domain}": 200}
            report = await persistence.store.audit()
            assert report.ok, report.discrepancies
        finally:
            await persistence.store.close()


async def test_tables_stored_under_bare_ids_are_taken_over_with_their_ledger(
    tmp_path: Path, store_url: str
) -> None:
    # A store written before table ids were JIDs: table "t1", a buy-in, a journal entry.
    store = await Store.open(store_url)
    try:
        await store.touch_player("alice@x")
        await store.save_table("t1", "Table 1", config_to_dict(CONFIG))
        await store.append(
            "t1", {"op": "intent", "player": "alice@x", "kind": "sit", "amount": 200,
                   "at": 1.0, "name": "alice"},
            [Transfer("buy_in", "alice@x", "t1", 200)],
        )
    finally:
        await store.close()
    persistence, tables = await open_persistence(
        settings(tmp_path, store_url, "games.example.org"), store_url
    )
    try:
        assert [s.player for s in tables["t1"].seats.values()] == ["alice@x"]
        store = persistence.store
        assert [s.table_id for s in await store.saved_tables()] == ["t1@games.example.org"]
        wallet = await store.wallet("alice@x")
        assert wallet.on_tables == {"t1@games.example.org": 200}
        report = await store.audit()
        assert report.ok, report.discrepancies
    finally:
        await persistence.store.close()
