"""``riverboat audit`` and ``riverboat export-hands`` through ``riverboat.cli.main`` (SQLite)."""

from __future__ import annotations

import asyncio
import io
import random
import sqlite3
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pokerkit import HandHistory

from riverboat.cli import main
from riverboat.store.records import HandRecord, Transfer
from riverboat.store.store import Store
from riverboat.table.config import TableConfig, Variant
from riverboat.table.events import PlayerId
from riverboat.table.history import dumps
from riverboat.table.table import Table
from tests.unit.test_history import play_random_hand

PLAYERS = [PlayerId(f"p{i}@example.org") for i in range(4)]
START = datetime(2025, 3, 1, 20, 0, tzinfo=UTC)
SHARED_PHH = Path(__file__).resolve().parents[3] / "shared" / "phh" / "dwan-ivey-2009.phh"


async def play_and_store(url: str, table_id: str, hands: int, seed: int) -> None:
    """Hands played by the table runtime, stored as the server would store them."""
    config = TableConfig(variant=Variant.NLHE, seats=6, blinds=(1, 2))
    table = Table(config)
    rng = random.Random(seed)
    store = await Store.open(url)
    try:
        await store.save_table(table_id, f"Table {table_id}", {"variant": "NLHE"})
        buy_ins = []
        for player in PLAYERS:
            table.sit(player)
            buy_ins.append(Transfer("buy_in", player, table_id, config.buy_in))
        await store.append(table_id, {"op": "sit"}, buy_ins)
        for i in range(hands):
            play_random_hand(table, rng)
            finished = table.last_hand
            assert finished is not None
            players = tuple(finished.plan.players)
            when = START + timedelta(minutes=i)
            record = HandRecord(table_id, finished.plan.hand_no, when, players, finished.net,
                                dumps(finished, table=table_id, when=when,
                                      extra={"jids": list(players)}))
            checkpoint = {"seats": [
                {"player": seat.player, "stack": seat.stack, "pending_chips": 0}
                for seat in table.seats.values()
            ]}
            await store.finish_hand(table_id, record, checkpoint)
            refills = [seat.player for seat in table.seats.values() if seat.stack == 0]
            for player in refills:
                table.add_chips(player, config.buy_in)
                table.come_back(player)
            if refills:
                await store.append(table_id, {"op": "add"}, [
                    Transfer("buy_in", p, table_id, config.buy_in) for p in refills])
                await store.checkpoint(table_id, {"seats": [
                    {"player": seat.player, "stack": seat.stack, "pending_chips": 0}
                    for seat in table.seats.values()
                ]})
    finally:
        await store.close()


@pytest.fixture
def filled_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'riverboat.db'}"
    asyncio.run(play_and_store(url, "t1", 6, seed=3))
    asyncio.run(play_and_store(url, "t2", 4, seed=4))
    return url


def test_audit_of_a_clean_store(filled_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--store", filled_url]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"ledger balanced: {len(PLAYERS) * 10_000} chips in play, 0 discrepancies"]


def test_audit_finds_the_default_store_in_the_data_dir(
    tmp_path: Path, filled_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--data-dir", str(tmp_path)]) == 0
    assert "0 discrepancies" in capsys.readouterr().out
    assert main(["audit", "--data-dir", str(tmp_path / "elsewhere")]) == 2
    assert "no store at" in capsys.readouterr().err
    assert not (tmp_path / "elsewhere").exists()


def test_audit_of_a_tampered_store_exits_1(
    tmp_path: Path, filled_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(tmp_path / "riverboat.db") as db:
        db.execute("UPDATE wallets SET balance = balance + 7 WHERE jid = ?", (PLAYERS[0],))
    assert main(["audit", "--store", filled_url]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"wallet of {PLAYERS[0]} stores ")
    assert out[0].endswith(f"chips but its ledger balance is {int(out[0].split()[4]) - 7}")
    assert out[1] == f"ledger unbalanced: {len(PLAYERS) * 10_000} chips in play, 1 discrepancies"
    assert len(out) == 2


def load_all_strictly(text: str) -> list[HandHistory]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return list(HandHistory.load_all(io.BytesIO(text.encode())))


def test_export_hands_reads_back_with_pokerkit(
    filled_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export-hands", "--store", filled_url]) == 0
    captured = capsys.readouterr()
    assert captured.err.strip() == "exported 10 hands"
    records = load_all_strictly(captured.out)
    # Oldest first: the tables' hands interleave (hand n of each ended at minute n - 1).
    assert [(r.table, r.hand) for r in records] == [
        *((t, n) for n in range(1, 5) for t in ("t1", "t2")), ("t1", 5), ("t1", 6)]
    for record in records:
        final = record.finishing_stacks
        assert final is not None
        assert sum(final) == sum(record.starting_stacks)
        states = list(record)  # replays every action
        assert list(states[-1].stacks) == final


def test_export_hands_filters(filled_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export-hands", "--store", filled_url, "--table", "t2",
                 "--since", "2025-03-01T20:02:00"]) == 0
    records = load_all_strictly(capsys.readouterr().out)
    assert [(r.table, r.hand) for r in records] == [("t2", 3), ("t2", 4)]
    assert main(["export-hands", "--store", filled_url, "--player", "nobody@example.org"]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err.strip()) == ("", "exported 0 hands")


def test_export_of_hand_histories_from_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Stored PHH with comments and multi-line arrays (a published hand) exports as it is."""
    url = f"sqlite:///{tmp_path / 'riverboat.db'}"
    phh = SHARED_PHH.read_text()

    async def store_it() -> None:
        store = await Store.open(url)
        try:
            await store.save_table("tv", "TV", {})
            players = ("ivey@example.org", "antonius@example.org", "dwan@example.org")
            for hand_no in (1, 2):
                await store.finish_hand("tv", HandRecord(
                    "tv", hand_no, START, players, (0, 0, 0), phh), {"seats": []})
        finally:
            await store.close()

    asyncio.run(store_it())
    assert main(["export-hands", "--store", url]) == 0
    first, second = load_all_strictly(capsys.readouterr().out)
    assert first.players == second.players == ["Phil Ivey", "Patrik Antonius", "Tom Dwan"]
    assert first.starting_stacks == [1125600, 2000000, 553500]


def test_bad_since_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export-hands", "--since", "yesterday"])
    assert "not an ISO 8601 date" in capsys.readouterr().err
