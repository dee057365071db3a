"""The store's bankroll, journal and hands on SQLite and on PostgreSQL (``store_url``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, text

from riverboat.store.errors import DuplicateHandError, LedgerError, UnknownTableError
from riverboat.store.records import BankrollPolicy, HandRecord, Transfer, Wallet
from riverboat.store.schema import ledger_transactions
from riverboat.store.store import Store
from riverboat.table.errors import InsufficientChipsError

ALICE, BOB, CAROL = "alice@example.org", "bob@example.org", "carol@example.org"
START = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = START
    calls: list[datetime] = field(default_factory=list)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def timed_store(store_url: str, clock: Clock) -> AsyncIterator[Store]:
    opened = await Store.open(store_url, BankrollPolicy(), clock=clock)
    try:
        yield opened
    finally:
        await opened.close()


def seats(**stacks: int) -> dict[str, Any]:
    names = {"alice": ALICE, "bob": BOB, "carol": CAROL}
    return {"seats": [
        {"player": names[name], "stack": stack, "pending_chips": 0}
        for name, stack in stacks.items()
    ]}


def hand(hand_no: int, players: tuple[str, ...], net: tuple[int, ...]) -> HandRecord:
    return HandRecord("t1", hand_no, START + timedelta(minutes=hand_no), players, net,
                      f"hand = {hand_no}")


async def test_first_touch_grants_and_later_touches_do_not(timed_store: Store) -> None:
    assert await timed_store.wallet(ALICE) == Wallet()  # unknown: empty, and not created
    wallet = await timed_store.touch_player(ALICE, "Alice")
    assert wallet.balance == 10_000
    assert wallet.on_tables == {}
    assert (await timed_store.touch_player(ALICE)).balance == 10_000
    report = await timed_store.audit()
    assert report.discrepancies == ()
    assert report.chips_in_play == report.sources == 10_000


async def test_top_up_below_the_floor_at_most_once_per_period(
    timed_store: Store, clock: Clock
) -> None:
    await timed_store.touch_player(ALICE)
    await timed_store.save_table("t1", "Table 1", {})
    await timed_store.append("t1", {"op": "sit"}, [Transfer("buy_in", ALICE, "t1", 9_800)])
    assert (await timed_store.wallet(ALICE)).balance == 200
    clock.advance(hours=23)
    assert (await timed_store.touch_player(ALICE)).balance == 200  # not a day since the grant
    clock.advance(hours=1)
    topped = await timed_store.touch_player(ALICE)
    assert topped.balance == 1_000
    assert topped.last_topup == clock.now
    await timed_store.append("t1", {"op": "add"}, [Transfer("buy_in", ALICE, "t1", 1_000)])
    clock.advance(hours=12)
    assert (await timed_store.touch_player(ALICE)).balance == 0  # topped up 12 hours ago
    clock.advance(hours=12)
    # A buy-in touches the player first: the top-up due now pays for it.
    await timed_store.append("t1", {"op": "add"}, [Transfer("buy_in", ALICE, "t1", 600)])
    wallet = await timed_store.wallet(ALICE)
    assert (wallet.balance, wallet.on_tables) == (400, {"t1": 11_400})
    report = await timed_store.audit()
    assert report.sources == 10_000 + 800 + 1_000
    assert report.chips_in_play == report.sources
    # The table has a journal, so its accounts are not compared with a checkpoint yet.
    assert report.ok, report.discrepancies


async def test_a_buy_in_above_the_wallet_changes_nothing(timed_store: Store) -> None:
    await timed_store.save_table("t1", "Table 1", {})
    await timed_store.append("t1", {"op": "sit", "n": 1}, [Transfer("buy_in", ALICE, "t1", 9_000)])
    with pytest.raises(InsufficientChipsError, match=(
        "your wallet holds 1000 chips: not enough for a buy-in of 2000")):
        await timed_store.append("t1", {"op": "sit", "n": 2}, [
            Transfer("buy_in", BOB, "t1", 100),  # made first in the same transaction
            Transfer("buy_in", ALICE, "t1", 2_000),
        ])
    assert await timed_store.wallet(ALICE) == Wallet(1_000, {"t1": 9_000}, START)
    assert await timed_store.wallet(BOB) == Wallet()  # not even created
    [saved] = await timed_store.saved_tables()
    assert saved.journal == [{"op": "sit", "n": 1}]
    assert (await timed_store.audit()).chips_in_play == 10_000


async def test_cash_out_returns_the_table_account_to_the_wallet(timed_store: Store) -> None:
    await timed_store.save_table("t1", "Table 1", {})
    await timed_store.append("t1", {"op": "sit"}, [Transfer("buy_in", ALICE, "t1", 500)])
    await timed_store.append("t1", {"op": "stand"}, [Transfer("cash_out", ALICE, "t1", 300)])
    assert await timed_store.wallet(ALICE) == Wallet(9_800, {"t1": 200}, START)
    with pytest.raises(LedgerError, match="holds 200 chips: cannot cash out 201"):
        await timed_store.append("t1", {"op": "stand"}, [Transfer("cash_out", ALICE, "t1", 201)])
    await timed_store.append("t1", {"op": "stand"}, [Transfer("cash_out", ALICE, "t1", 200)])
    assert await timed_store.wallet(ALICE) == Wallet(10_000, {}, START)
    await timed_store.checkpoint("t1", {"seats": []})
    report = await timed_store.audit()
    assert report.summary() == "ledger balanced: 10000 chips in play, 0 discrepancies"


async def test_finish_hand_posts_the_nets_and_clears_the_journal(timed_store: Store) -> None:
    await timed_store.save_table("t1", "Table 1", {"variant": "NLHE"})
    await timed_store.append("t1", {"op": "sit"}, [
        Transfer("buy_in", ALICE, "t1", 200), Transfer("buy_in", BOB, "t1", 200)])
    await timed_store.append("t1", {"op": "start", "deck": "sealed"})
    await timed_store.finish_hand(
        "t1", hand(1, (ALICE, BOB), (-50, 50)), seats(alice=150, bob=250),
        [Transfer("cash_out", BOB, "t1", 250, hand_no=1)])
    [saved] = await timed_store.saved_tables()
    assert saved.journal == []
    assert saved.checkpoint == seats(alice=150, bob=250)
    assert (await timed_store.wallet(ALICE)).on_tables == {"t1": 150}
    assert await timed_store.wallet(BOB) == Wallet(10_050, {}, START)
    report = await timed_store.audit()
    # Bob cashed out but the checkpoint still seats him with 250: the audit sees it.
    assert report.discrepancies == (
        f"table t1: {BOB} has 250 chips in the checkpoint but 0 in the ledger",)
    await timed_store.checkpoint("t1", seats(alice=150))
    assert (await timed_store.audit()).ok


async def test_a_duplicate_hand_raises_and_changes_nothing(timed_store: Store) -> None:
    await timed_store.save_table("t1", "Table 1", {})
    await timed_store.append("t1", {"op": "sit"}, [
        Transfer("buy_in", ALICE, "t1", 200), Transfer("buy_in", BOB, "t1", 200)])
    await timed_store.finish_hand("t1", hand(1, (ALICE, BOB), (10, -10)), seats(alice=210, bob=190))
    await timed_store.append("t1", {"op": "start"})
    with pytest.raises(DuplicateHandError, match="hand 1 of table 't1' is already stored"):
        await timed_store.finish_hand(
            "t1", hand(1, (ALICE, BOB), (-10, 10)), seats(alice=200, bob=200),
            [Transfer("cash_out", ALICE, "t1", 200)])
    with pytest.raises(DuplicateHandError, match="hand 1 of table 't1' is already stored"):
        await timed_store.finish_hand(  # no cash-outs: PostgreSQL's direct path
            "t1", hand(1, (ALICE, BOB), (-10, 10)), seats(alice=200, bob=200))
    [saved] = await timed_store.saved_tables()
    assert saved.journal == [{"op": "start"}]
    assert saved.checkpoint == seats(alice=210, bob=190)
    assert await timed_store.wallet(ALICE) == Wallet(9_800, {"t1": 210}, START)
    assert [h.net for h in await timed_store.recent_hands(ALICE)] == [(10, -10)]
    assert (await timed_store.audit()).ok


async def test_recent_hands_newest_first_and_hands_oldest_first(timed_store: Store) -> None:
    await timed_store.save_table("t1", "Table 1", {})
    await timed_store.append("t1", {"op": "sit"}, [
        Transfer("buy_in", p, "t1", 300) for p in (ALICE, BOB, CAROL)])
    stacks = {ALICE: 300, BOB: 300, CAROL: 300}
    for hand_no in range(1, 8):
        players = (ALICE, BOB) if hand_no % 2 else (BOB, CAROL)
        record = hand(hand_no, players, (hand_no, -hand_no))
        for player, net in zip(players, record.net, strict=True):
            stacks[player] += net
        checkpoint = {"seats": [
            {"player": p, "stack": s, "pending_chips": 0} for p, s in stacks.items()]}
        await timed_store.finish_hand("t1", record, checkpoint)
    recent = await timed_store.recent_hands(ALICE, limit=3)
    assert [h.hand_no for h in recent] == [7, 5, 3]
    assert recent[0].players == (ALICE, BOB)
    assert recent[0].net == (7, -7)
    assert recent[0].ended_at == START + timedelta(minutes=7)
    assert recent[0].phh == "hand = 7"
    assert [h.hand_no async for h in timed_store.hands()] == [1, 2, 3, 4, 5, 6, 7]
    assert [h.hand_no async for h in timed_store.hands(player=CAROL)] == [2, 4, 6]
    since = START + timedelta(minutes=5)
    assert [h.hand_no async for h in timed_store.hands(player=BOB, since=since)] == [5, 6, 7]
    assert [h.hand_no async for h in timed_store.hands(table_id="t2")] == []
    assert (await timed_store.audit()).ok


async def test_saved_tables_round_trip(timed_store: Store) -> None:
    config = {"variant": "PLO", "blinds": [1, 2], "seats": 6, "nested": {"a": None}}
    await timed_store.save_table("t2", "Omaha", config)
    await timed_store.save_table("t1", "Hold'em", {"variant": "NLHE"})
    await timed_store.save_table("t1", "Hold'em deep", {"variant": "NLHE", "buy_in": 400})
    entries = [{"op": "sit", "player": ALICE, "i": i} for i in range(5)]
    for entry in entries:
        await timed_store.append("t1", entry)
    await timed_store.checkpoint("t2", {"seats": [], "hand_no": 9})
    t1, t2 = await timed_store.saved_tables()
    assert (t1.table_id, t1.title, t1.config) == ("t1", "Hold'em deep",
                                                   {"variant": "NLHE", "buy_in": 400})
    assert (t1.checkpoint, t1.journal) == (None, entries)
    assert (t2.title, t2.config, t2.checkpoint, t2.journal) == (
        "Omaha", config, {"seats": [], "hand_no": 9}, [])
    with pytest.raises(UnknownTableError, match="no saved table 't3'"):
        await timed_store.append("t3", {"op": "sit"})
    await timed_store.forget_table("t1")
    assert [t.table_id for t in await timed_store.saved_tables()] == ["t2"]


async def test_the_audit_catches_a_wallet_changed_behind_the_store(store: Store) -> None:
    await store.touch_player(ALICE)
    await store.touch_player(BOB)
    assert (await store.audit()).summary() == (
        "ledger balanced: 20000 chips in play, 0 discrepancies")
    async with store.engine.begin() as conn:
        await conn.execute(text("UPDATE wallets SET balance = 25000 WHERE jid = :jid"),
                           {"jid": ALICE})
    report = await store.audit()
    assert report.discrepancies == (
        f"wallet of {ALICE} stores 25000 chips but its ledger balance is 10000",)
    assert report.summary() == "ledger unbalanced: 20000 chips in play, 1 discrepancies"


async def test_the_audit_catches_a_forged_posting_and_a_bad_hand(store: Store) -> None:
    await store.save_table("t1", "Table 1", {})
    await store.append("t1", {"op": "sit"}, [
        Transfer("buy_in", ALICE, "t1", 100), Transfer("buy_in", BOB, "t1", 100)])
    await store.finish_hand("t1", hand(1, (ALICE, BOB), (20, -20)), seats(alice=120, bob=80))
    assert (await store.audit()).ok
    async with store.engine.begin() as conn:
        # Chips out of nowhere onto Bob's table account, and a hand whose nets were edited.
        tx = await conn.scalar(insert(ledger_transactions).values(
            created_at=START, reason="hand", table_id="t1").returning(ledger_transactions.c.id))
        await conn.execute(text(
            "INSERT INTO ledger_postings (transaction_id, account, player, amount) "
            "VALUES (:tx, :account, :player, 5)"),
            {"tx": tx, "account": f"table:t1:{BOB}", "player": BOB})
        await conn.execute(text("UPDATE hand_players SET net = 25 WHERE jid = :jid"),
                           {"jid": ALICE})
    lines = (await store.audit()).discrepancies
    assert any("sums to 5, not 0" in line for line in lines), lines
    assert any("grants and top-ups total 20000" in line for line in lines), lines
    assert any("hand 1 of table t1: net amounts sum to 5" in line for line in lines), lines
    assert any("net 25 but 20 posted" in line for line in lines), lines
    assert any(f"{BOB} has 80 chips in the checkpoint but 85" in line for line in lines), lines


async def test_concurrent_appends_of_many_tables_keep_each_journal_in_order(
    timed_store: Store,
) -> None:
    # On PostgreSQL the appends that arrive while one is in flight share a round trip: a
    # batch holds several tables (and an unknown one, refused alone), each in its own order.
    tables = [f"t{i}" for i in range(8)]
    for table_id in tables:
        await timed_store.save_table(table_id, table_id, {"variant": "NLHE"})

    async def actor(table_id: str) -> None:
        for i in range(12):
            await timed_store.append(table_id, {"op": "intent", "i": i})

    async def stranger() -> None:
        for _ in range(3):
            with pytest.raises(UnknownTableError):
                await timed_store.append("nowhere", {"op": "sit"})

    await asyncio.gather(*(actor(t) for t in tables), stranger())
    saved = {t.table_id: t.journal for t in await timed_store.saved_tables()}
    assert saved == {t: [{"op": "intent", "i": i} for i in range(12)] for t in tables}


async def test_a_lost_postgresql_connection_fails_at_most_one_append(pg_store_url: str) -> None:
    store = await Store.open(pg_store_url)
    try:
        await store.save_table("t1", "t1", {"variant": "NLHE"})
        await store.append("t1", {"i": 0})
        async with store.engine.connect() as conn:  # kill every other backend of this DB
            await conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        # The driver may notice the closed connection before sending (a new one is opened)
        # or only when the round trip fails (that append is lost, and said so).
        try:
            await store.append("t1", {"i": 1})
            expected = [{"i": 0}, {"i": 1}, {"i": 2}]
        except UnknownTableError:
            raise
        except Exception:  # whatever asyncpg raises for a dead connection
            expected = [{"i": 0}, {"i": 2}]
        await store.append("t1", {"i": 2})
        [saved] = await store.saved_tables()
        assert saved.journal == expected
    finally:
        await store.close()
