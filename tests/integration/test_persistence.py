"""The store behind the game over a real ejabberd: wallets pay for seats and get chips back, a
player reads their balance and past hands (and never another player's mucked cards), and a
component that dies in the middle of a hand comes back with the hand where it was.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import pytest
from slixmpp import JID

from riverboat.client import RiverboatClient
from riverboat.devserver import LocalServer
from riverboat.protocol.namespace import DEALER_NICK, DEALER_NODE, NS
from riverboat.server.component import GameComponent
from riverboat.server.run import build_component, run_component
from riverboat.server.settings import ServerSettings, TableSpec, settings_for_server
from riverboat.store import Store
from riverboat.table import events as ev
from riverboat.table.config import TableConfig, Variant
from riverboat.table.errors import InsufficientChipsError
from tests.integration.test_client_bots import Recorder, clients, turn, until

pytestmark = pytest.mark.integration

GRANT = 10_000


def settings(server: LocalServer, data_dir: Path, url: str) -> ServerSettings:
    table = TableConfig(variant=Variant.NLHE, seats=2, blinds=(1, 2), action_time=8)
    return settings_for_server(
        server, (TableSpec("t1", "Stored NLHE", table),), data_dir=data_dir,
        next_hand_delay=0.3, start_delay=0.3, store_url=url,
    )


class Running:
    def __init__(self, component: GameComponent) -> None:
        self.component = component
        self.stop = asyncio.Event()
        self.task = asyncio.create_task(run_component(component, self.stop))

    @classmethod
    async def start(cls, settings: ServerSettings) -> Running:
        running = cls(await build_component(settings))
        async with asyncio.timeout(20):
            await running.component.ready.wait()
        return running

    async def crash(self) -> None:
        """Die as a killed process would: no goodbye to the rooms, nothing more stored."""
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        for actor in self.component.actors.values():
            await actor.stop()
        self.component.transport.abort()
        assert self.component.persistence is not None
        await self.component.persistence.store.close()

    async def close(self) -> None:
        if not self.task.done():
            self.stop.set()
            await self.task


async def play_out(
    players: dict[str, RiverboatClient], rec: Recorder, hand_no: int, since: int = 0
) -> None:
    """Check or call from the turn at ``rec.events[since:]`` until hand ``hand_no`` ends."""
    while not any(isinstance(e, ev.HandEnded) and e.hand_no == hand_no for e in rec.events):
        event = await rec.wait_for(
            lambda e: (isinstance(e, ev.ActionRequired) and e.hand_no == hand_no)
            or (isinstance(e, ev.HandEnded) and e.hand_no == hand_no),
            since=since, timeout=20,
        )
        since = rec.events.index(event) + 1
        if isinstance(event, ev.ActionRequired):
            mirror = rec.watch.state
            seat = mirror.seat_of(event.player)
            client = players[event.player]
            if seat is not None and mirror.to_call(seat) > 0:
                await client.call("t1")
            else:
                await client.check("t1")


async def chat(client: RiverboatClient, to: str, body: str) -> str:
    """Send a private text command, return the dealer's answer (not a game event, such as
    hole cards, that the same JID sends meanwhile)."""
    answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    def on_message(message: Any) -> None:
        if message.xml.find(f"{{{NS}}}event") is not None:
            return
        if message["type"] == "chat" and str(message["from"]) == to and not answer.done():
            answer.set_result(message["body"])

    client.xmpp.add_event_handler("message", on_message)
    try:
        client.xmpp.send_message(mto=to, mbody=body, mtype="chat")
        async with asyncio.timeout(10):
            return await answer
    finally:
        client.xmpp.del_event_handler("message", on_message)


async def test_wallets_pay_for_seats_and_players_read_balance_and_history(
    xmpp_server: LocalServer, tmp_path: Path, store_url: str
) -> None:
    url = store_url  # SQLite and PostgreSQL
    running = await Running.start(settings(xmpp_server, tmp_path, url))
    try:
        async with clients(xmpp_server, "st-alice", "st-bob") as (alice, bob):
            dealer = f"{DEALER_NODE}@{xmpp_server.component}/t1"
            assert (await alice.wallet()).balance == 0  # not a player yet
            rec = Recorder(await alice.watch("t1"))
            await alice.sit("t1", buy_in=150)
            await bob.sit("t1")
            wallet = await alice.wallet()
            table_jid = f"t1@{xmpp_server.component}"  # a table's id in the store and wallets
            assert (wallet.balance, wallet.on_tables, wallet.total) == (
                GRANT - 150, {table_jid: 150}, GRANT)
            assert "wallet: 9850 chips" in await chat(alice, dealer, "balance")
            with pytest.raises(InsufficientChipsError):
                await alice.add_chips("t1", GRANT)  # more than the wallet holds

            # Hand 1 to the end; hand 2: the first to act folds.
            players = {"st-alice": alice, "st-bob": bob}
            await rec.wait_for(turn(), timeout=20)
            await play_out(players, rec, 1)
            second = await rec.wait_for(lambda e: turn()(e) and e.hand_no == 2, timeout=20)
            assert isinstance(second, ev.ActionRequired)
            folder = players[second.player]
            await folder.fold("t1")
            await rec.wait_for(lambda e: isinstance(e, ev.HandEnded) and e.hand_no == 2)

            # Each reads their history; the folded hand's cards stay the folder's own.
            watcher = bob if folder is alice else alice
            for reader in (alice, bob):
                hands = await reader.history(limit=5)
                assert [h.table_id for h in hands] == [table_jid, table_jid]
                folded = hands[0]  # newest first
                dealt = [e for e in folded.events if isinstance(e, ev.HoleCardsDealt)]
                mine = [e for e in dealt if e.player == reader.user]
                theirs = [e for e in dealt if e.player != reader.user]
                assert mine
                assert all(all(e.cards) for e in mine)
                assert theirs
                assert all(c is None for e in theirs for c in e.cards)
            text = await chat(watcher, dealer, "history")
            assert text.startswith("your last 2 hands:")
            assert "#2" in text
            assert "#1" in text

            # The operator's store holds the whole hand, including the folded cards.
            store = await Store.open(url)
            try:
                stored = [h async for h in store.hands(table_id=table_jid)]
                assert [h.hand_no for h in stored] == [1, 2]
                assert sum(stored[1].net) == 0
            finally:
                await store.close()

            await alice.stand("t1")
            await bob.stand("t1")
            await until(lambda: not running.component.actors["t1"].table.seats)
            total = (await alice.wallet()).total + (await bob.wallet()).total
            assert total == 2 * GRANT
            assert (await alice.wallet()).on_tables == {}
    finally:
        await running.close()
    store = await Store.open(url)
    try:
        report = await store.audit()
    finally:
        await store.close()
    assert report.ok, report.discrepancies
    assert report.chips_in_play == 2 * GRANT


async def test_a_component_that_dies_mid_hand_comes_back_with_the_hand(
    xmpp_server: LocalServer, tmp_path: Path, store_url: str
) -> None:
    url = store_url  # SQLite and PostgreSQL
    config = settings(xmpp_server, tmp_path, url)
    running = await Running.start(config)
    try:
        async with clients(xmpp_server, "cr-alice", "cr-bob") as (alice, bob):
            players = {"cr-alice": alice, "cr-bob": bob}
            rec = Recorder(await alice.watch("t1"))
            await bob.watch("t1")
            await alice.sit("t1")
            await bob.sit("t1")
            first = await rec.wait_for(turn(), timeout=20)
            assert isinstance(first, ev.ActionRequired)
            await players[first.player].call("t1")
            nxt = await rec.wait_for(lambda e: turn()(e) and e.seq > first.seq)
            assert isinstance(nxt, ev.ActionRequired)
            last_seq = rec.events[-1].seq
            room = running.component.rooms["t1"].jid.bare

            await running.crash()
            await asyncio.sleep(0.5)
            running = await Running.start(config)

            # Same room, same hand; the player to act gets a fresh deadline; numbering goes on.
            assert running.component.rooms["t1"].jid.bare == room
            table = running.component.actors["t1"].table
            assert table.hand is not None
            assert table.hand_no == 1
            again = await rec.wait_for(lambda e: turn()(e) and e.seq > last_seq, timeout=20)
            assert isinstance(again, ev.ActionRequired)
            assert (again.hand_no, again.player, again.seq) == (1, nxt.player, table.seq)
            assert again.deadline > nxt.deadline
            occupants = running.component.rooms["t1"].occupants
            assert {o.jid.bare for o in occupants.values() if o.jid} >= {
                JID(alice.jid).bare, JID(bob.jid).bare
            }
            assert DEALER_NICK not in occupants
            await play_out(players, rec, 1, since=rec.events.index(again))
            assert [e.hand_no for e in rec.events if isinstance(e, ev.HandStarted)][:1] == [1]
            assert len([e for e in rec.events if isinstance(e, ev.HandStarted) and e.hand_no == 1
                        ]) == 1
            seqs = [e.seq for e in rec.public()]
            assert seqs == sorted(set(seqs))
    finally:
        await running.close()
    store = await Store.open(url)
    try:
        report = await store.audit()
        hands = [h.hand_no async for h in store.hands(table_id=f"t1@{xmpp_server.component}")]
    finally:
        await store.close()
    assert report.ok, report.discrepancies
    assert hands[:1] == [1]
