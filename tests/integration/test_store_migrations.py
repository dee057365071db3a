"""A database made at the first migration upgrades to head with its rows, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from riverboat.store.engine import create_engine
from riverboat.store.migrate import current_revision, head_revision, upgrade
from riverboat.store.records import Transfer
from riverboat.store.schema import metadata
from riverboat.store.store import Store

ALICE = "alice@example.org"
EARLY = datetime(2024, 6, 1, tzinfo=UTC)


def table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_a_database_at_0001_upgrades_to_head_keeping_its_rows(store_url: str) -> None:
    engine = create_engine(store_url)
    try:
        await upgrade(engine, "0001")
        assert await current_revision(engine) == "0001"
        async with engine.begin() as conn:
            assert "hands" not in await conn.run_sync(table_names)
            await conn.execute(text(
                "INSERT INTO players (jid, name, created_at, last_seen) "
                "VALUES (:jid, 'Alice', :t, :t)"), {"jid": ALICE, "t": EARLY})
            await conn.execute(text(
                "INSERT INTO wallets (jid, balance, last_topup) VALUES (:jid, 0, :t)"),
                {"jid": ALICE, "t": EARLY})
    finally:
        await engine.dispose()

    store = await Store.open(store_url)  # upgrades to head
    try:
        assert head_revision() == "0002"
        assert await current_revision(store.engine) == "0002"
        async with store.engine.connect() as conn:
            assert await conn.run_sync(table_names) >= set(metadata.tables)
            name = await conn.scalar(text("SELECT name FROM players WHERE jid = :jid"),
                                     {"jid": ALICE})
        assert name == "Alice"
        # The old row is usable: an empty wallet long past its period is topped up.
        wallet = await store.touch_player(ALICE)
        assert wallet.balance == 1_000
        await store.save_table("t1", "Table 1", {})
        await store.append("t1", {"op": "sit"}, [Transfer("buy_in", ALICE, "t1", 400)])
        assert (await store.wallet(ALICE)).on_tables == {"t1": 400}
        # Alice's first wallet row has no grant posting behind it, but held 0 chips: balanced.
        report = await store.audit()
        assert report.ok, report.discrepancies
        assert report.chips_in_play == 1_000
    finally:
        await store.close()


async def test_opening_twice_is_a_no_op(store_url: str) -> None:
    for _ in range(2):
        store = await Store.open(store_url)
        try:
            assert await current_revision(store.engine) == head_revision()
        finally:
            await store.close()
