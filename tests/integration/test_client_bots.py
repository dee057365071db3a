"""The client library and the bots against a real ejabberd, the component in-process.

Lobby, seats, ordered events, private hole cards, typed errors, re-sync after a gap, the trust
rule for payloads, and bot fleets playing many hands with every chip accounted for.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from riverboat.bots.fleet import BotFleet, FleetSettings
from riverboat.bots.player import Think
from riverboat.client import RiverboatClient, ServerAddress, TableWatch, is_private
from riverboat.client.rooms import join_presence
from riverboat.devserver import LocalServer
from riverboat.protocol.codec import event_to_json
from riverboat.server.component import GameComponent
from riverboat.server.run import build_component, run_component
from riverboat.server.settings import ServerSettings, TableSpec, settings_for_server
from riverboat.table import events as ev
from riverboat.table.config import TableConfig, Variant
from riverboat.table.errors import (
    AlreadySeatedError,
    AmountOutOfRangeError,
    IllegalActionError,
    NotSeatedError,
    NotYourTurnError,
    UnknownTableError,
)
from riverboat.table.events import PlayerId, SeatNo

pytestmark = pytest.mark.integration


def nlhe(seats: int = 6, action_time: float = 10.0) -> TableConfig:
    return TableConfig(variant=Variant.NLHE, seats=seats, blinds=(1, 2), action_time=action_time)


TABLES = (
    TableSpec("t1", "Client NLHE", nlhe()),
    TableSpec("t2", "Client PLO", TableConfig(variant=Variant.PLO, seats=6, blinds=(1, 2))),
)


def settings_for(
    server: LocalServer, data_dir: Path, tables: tuple[TableSpec, ...] = TABLES
) -> ServerSettings:
    return settings_for_server(
        server,
        tables,
        data_dir=data_dir,
        next_hand_delay=0.2,
        start_delay=0.2,
    )


class Running:
    """The component as an asyncio task, stoppable in the middle of a test."""

    def __init__(self, component: GameComponent) -> None:
        self.component = component
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(run_component(self.component, self._stop))

    @classmethod
    async def start(cls, settings: ServerSettings) -> Running:
        return cls(await build_component(settings))

    async def ready(self) -> GameComponent:
        async with asyncio.timeout(20):
            await self.component.ready.wait()
        return self.component

    async def stop(self) -> None:
        self._stop.set()
        await self._task


@contextlib.asynccontextmanager
async def component(settings: ServerSettings) -> AsyncIterator[Running]:
    running = await Running.start(settings)
    try:
        await running.ready()
        yield running
    finally:
        await running.stop()


@contextlib.asynccontextmanager
async def clients(server: LocalServer, *users: str) -> AsyncIterator[list[RiverboatClient]]:
    address = ServerAddress.from_local_server(server)
    made = [RiverboatClient(address, user, f"pw-{user}") for user in users]
    try:
        await asyncio.gather(*(c.connect(register=True) for c in made))
        yield made
    finally:
        await asyncio.gather(*(c.close() for c in made))


class Recorder:
    """Consumes a watch's stream in the background and keeps every event."""

    def __init__(self, watch: TableWatch) -> None:
        self.watch = watch
        self.events: list[ev.Event] = []
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async for event in self.watch:
            self.events.append(event)

    def mark(self) -> int:
        return len(self.events)

    async def wait_for(
        self, predicate: Callable[[ev.Event], bool], since: int = 0, timeout: float = 10.0
    ) -> ev.Event:
        async with asyncio.timeout(timeout):
            while True:
                for event in self.events[since:]:
                    if predicate(event):
                        return event
                await asyncio.sleep(0.02)

    def public(self) -> list[ev.Event]:
        return [e for e in self.events if not is_private(e)]


async def until(check: Callable[[], bool], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.02)


def turn(name: str | None = None) -> Callable[[ev.Event], bool]:
    return lambda e: isinstance(e, ev.ActionRequired) and name in (None, e.player)


def contiguous(events: list[ev.Event]) -> bool:
    seqs = [e.seq for e in events]
    return seqs == list(range(seqs[0], seqs[0] + len(seqs)))


async def test_lobby_seats_events_private_cards_and_errors(
    any_server: LocalServer, tmp_path: Path
) -> None:
    async with (
        component(settings_for(any_server, tmp_path)) as running,
        clients(any_server, "cl-alice", "cl-bob", "cl-carol") as (alice, bob, carol),
    ):
        tables = await alice.list_tables()
        assert [t.table_id for t in tables] == ["t1", "t2"]
        t1 = tables[0]
        assert (t1.jid, t1.name, t1.variant, t1.stakes) == (
            f"t1@{any_server.component}",
            "Client NLHE",
            "NLHE",
            "1/2",
        )
        assert (t1.seats, t1.players, t1.buy_in_min, t1.buy_in_max) == (6, 0, 40, 200)
        assert t1.room == running.component.rooms["t1"].jid.bare
        assert tables[1].variant == "PLO"

        # Refusals come back as the table core's own types, with the allowed range.
        with pytest.raises(UnknownTableError):
            await alice.sit("t99")
        with pytest.raises(NotSeatedError):
            await alice.stand(t1)
        with pytest.raises(AmountOutOfRangeError) as low_buy_in:
            await carol.sit(t1, buy_in=10)
        assert (low_buy_in.value.minimum, low_buy_in.value.maximum) == (40, 200)

        a, b = Recorder(await alice.watch(t1)), Recorder(await bob.watch("t1"))
        start = a.watch.state.seq
        await alice.sit(t1, seat=2, buy_in=100)
        with pytest.raises(AlreadySeatedError):
            await alice.sit(t1)
        await bob.sit(t1, seat=5)
        first = await a.wait_for(turn())
        assert isinstance(first, ev.ActionRequired)
        await until(lambda: b.watch.state.seq >= first.seq)
        assert (await alice.table_info(t1)).players == 2

        # Each player got their own hole cards privately, and saw the other's face down.
        for client, rec in ((alice, a), (bob, b)):
            private = await rec.wait_for(is_private)
            assert isinstance(private, ev.HoleCardsDealt)
            assert private.player == client.user
            assert all(private.cards)
            mirror = rec.watch.state
            assert mirror.me == client.user
            assert mirror.my_cards == private.cards
            other = next(s for s in mirror.seats.values() if s.player != client.user)
            assert other.cards == [None, None]
            assert [type(e) for e in rec.events if is_private(e)] == [ev.HoleCardsDealt]
            assert mirror.differences(await client.snapshot(t1)) == []

        # Out of turn, out of range, illegal: the right exception types.
        actor, waiting = (alice, bob) if first.player == "cl-alice" else (bob, alice)
        with pytest.raises(NotYourTurnError):
            await waiting.call(t1)
        with pytest.raises(AmountOutOfRangeError) as small_raise:
            await actor.raise_to(t1, 1)
        assert small_raise.value.minimum == 4
        assert small_raise.value.maximum in (100, 200)
        with pytest.raises(IllegalActionError) as check:
            await actor.check(t1)
        assert type(check.value) is IllegalActionError

        # The actor calls, the other checks: the flop; both mirrors agree with snapshots.
        mark = a.mark()
        await actor.call(t1)
        await a.wait_for(turn(waiting.user), since=mark)
        await waiting.check(t1)
        flop = await a.wait_for(lambda e: isinstance(e, ev.BoardDealt), since=mark)
        assert isinstance(flop, ev.BoardDealt)
        assert len(flop.board) == 3
        last = await a.wait_for(turn(), since=a.events.index(flop))
        for client, rec in ((alice, a), (bob, b)):
            await until(lambda r=rec: r.watch.state.seq == last.seq)  # type: ignore[misc]
            mirror = rec.watch.state
            assert mirror.differences(await client.snapshot(t1)) == []
            assert isinstance(last, ev.ActionRequired)
            assert (mirror.board, mirror.pot, mirror.to_act) == (flop.board, 4, last.player)
            public = rec.public()
            assert public[0].seq == start + 1
            assert contiguous(public)
            assert rec.watch.resyncs == 0


async def test_a_missed_event_is_noticed_and_the_mirror_resyncs(
    any_server: LocalServer, tmp_path: Path
) -> None:
    async with (
        component(settings_for(any_server, tmp_path)),
        clients(any_server, "gap-alice", "gap-bob") as (alice, bob),
    ):
        a, b = Recorder(await alice.watch("t1")), Recorder(await bob.watch("t1"))
        await alice.sit("t1", seat=1)
        await bob.sit("t1", seat=3)
        required = await a.wait_for(turn())
        assert isinstance(required, ev.ActionRequired)
        await until(lambda: a.watch.state.seq == required.seq)

        # Drop the next public event on purpose: the one after it reveals the gap.
        dropped: list[ev.Event] = []
        deliver = a.watch.deliver

        def lossy(event: ev.Event, *, private: bool = False) -> None:
            if not private and not dropped:
                dropped.append(event)
                return
            deliver(event, private=private)

        a.watch.deliver = lossy  # type: ignore[method-assign]
        actor = alice if required.player == "gap-alice" else bob
        await actor.call("t1")
        await until(lambda: a.watch.resyncs == 1)
        assert dropped
        assert dropped[0].seq == required.seq + 1
        assert dropped[0] not in a.events
        await until(lambda: a.watch.state.seq == b.watch.state.seq)
        assert a.watch.state.differences(await alice.snapshot("t1")) == []
        assert b.watch.state.differences(await bob.snapshot("t1")) == []
        assert b.watch.resyncs == 0

        # What did arrive is still streamed (the turn), and it goes on with no further gap.
        after = a.public()[a.public().index(required) + 1 :]
        assert after[0].seq == required.seq + 2
        assert contiguous(after)
        nxt = await a.wait_for(turn(), since=a.events.index(after[0]))
        assert isinstance(nxt, ev.ActionRequired)
        assert a.watch.state.to_act == nxt.player
        mark = a.mark()
        raiser, folder = (alice, bob) if nxt.player == "gap-alice" else (bob, alice)
        await raiser.raise_to("t1", 10)
        await a.wait_for(turn(folder.user), since=mark)
        await folder.fold("t1")
        await a.wait_for(lambda e: isinstance(e, ev.HandEnded), since=mark)
        assert a.watch.resyncs == 1
        assert contiguous(a.public()[a.public().index(after[0]) :])
        assert a.watch.state.differences(await alice.snapshot("t1")) == []


async def agrees(client: RiverboatClient, watch: TableWatch) -> None:
    """The mirror equals a snapshot taken at the same seq (the table may be moving on)."""
    for _ in range(20):
        view = await client.snapshot(watch.table)
        await until(lambda v=view: watch.state.seq >= v.seq)  # type: ignore[misc]
        if watch.state.seq == view.seq:
            assert watch.state.differences(view) == []
            return
    raise AssertionError("the table never kept still long enough to compare")


def forge(sender: RiverboatClient, to: str, mtype: str, seq: int) -> None:
    """A game payload that claims a new player sat with 999 chips."""
    message = sender.xmpp.make_message(mto=to, mtype=mtype, mbody="ghost sits in seat 3")
    payload = message["rb_event"]
    payload["type"] = "player-sat"
    payload["seq"] = str(seq)
    payload["table"] = "t1"
    payload["json"] = event_to_json(
        ev.PlayerSat(seq=seq, seat=SeatNo(3), player=PlayerId("ghost"), stack=999)
    )
    message.send()


async def sentinel(sender: RiverboatClient, receiver: RiverboatClient, room: str) -> None:
    """Send a plain line after the forgeries and wait for it: they were all handled by then."""
    arrived = asyncio.Event()
    body = f"sentinel {id(arrived)}"

    def on_message(message: Any) -> None:
        if message["body"] == body:
            arrived.set()

    receiver.xmpp.add_event_handler("message", on_message)
    sender.xmpp.send_message(mto=room, mbody=body, mtype="groupchat")
    async with asyncio.timeout(10):
        await arrived.wait()
    receiver.xmpp.del_event_handler("message", on_message)


async def test_payloads_count_only_from_the_rooms_owner(
    any_server: LocalServer, tmp_path: Path
) -> None:
    running = await Running.start(settings_for(any_server, tmp_path))
    try:
        await running.ready()
        async with clients(any_server, "tr-alice", "tr-mallory") as (alice, mallory):
            rec = Recorder(await alice.watch("t1"))
            mirror = rec.watch.state
            room = rec.watch.table.room
            await mallory.watch("t1", nick="Dea1er")
            assert alice.occupants("t1")["Dealer"] == "owner"
            await until(lambda: alice.occupants("t1").get("Dea1er") == "none")
            seq = mirror.seq
            forge(mallory, room, "groupchat", seq + 1)
            forge(mallory, alice.xmpp.boundjid.full, "chat", seq + 1)
            await sentinel(mallory, alice, room)
            assert rec.events == []
            assert (mirror.seq, mirror.seats) == (seq, {})

            # The real dealer leaves; an impostor takes the nick 'Dealer'.
            await running.stop()
            await until(lambda: "Dealer" not in alice.occupants("t1"))
            join_presence(mallory.xmpp, room, "Dealer").send()
            await until(lambda: alice.occupants("t1").get("Dealer") == "none")
            forge(mallory, room, "groupchat", seq + 1)
            await sentinel(mallory, alice, room)
            assert rec.events == []
            assert (mirror.seq, mirror.seats) == (seq, {})

            # The real dealer comes back (a restarted component numbers events afresh): the
            # watch re-syncs from a snapshot and follows the new numbering.
            mallory.xmpp.send_presence(pto=f"{room}/Dealer", ptype="unavailable")
            await until(lambda: "Dealer" not in alice.occupants("t1"))
            running = await Running.start(settings_for(any_server, tmp_path))
            await running.ready()
            await until(lambda: rec.watch.resyncs == 1)
            await alice.sit("t1", seat=4)
            me = PlayerId(alice.user)
            sat = await rec.wait_for(lambda e: isinstance(e, ev.PlayerSat))
            assert (sat.seq, sat) == (1, ev.PlayerSat(seq=1, seat=SeatNo(4), player=me, stack=200))
            assert rec.watch.state.seats[SeatNo(4)].stack == 200
    finally:
        await running.stop()


async def test_bots_play_many_hands_and_every_chip_is_accounted_for(
    xmpp_server: LocalServer, tmp_path: Path
) -> None:
    tables = tuple(TableSpec(f"t{i}", f"Bots {i}", nlhe(action_time=5.0)) for i in (1, 2, 3))
    async with (
        component(settings_for(xmpp_server, tmp_path, tables)) as running,
        clients(xmpp_server, "rail") as (rail,),
    ):
        watched = ("t1", "t2")
        recs = {t: Recorder(await rail.watch(t)) for t in watched}
        actors = [running.component.actors[t] for t in watched]
        fleet = BotFleet(
            ServerAddress.from_local_server(xmpp_server),
            FleetSettings(tables=2, per_table=3, strategy="mixed", think=Think(0.0, 0.03), seed=7),
            lambda user: f"pw-{user}",
        )
        try:
            bots = await fleet.start()
            assert sorted(b.user for b in bots) == [
                f"bot-{t}-{k}" for t in watched for k in (1, 2, 3)
            ]
            assert sorted({b.strategy.name for b in bots}) == ["calling", "equity", "random"]
            await until(lambda: sum(a.hands_played for a in actors) >= 10, timeout=30)

            # A dropped connection: the bot reconnects, rejoins and plays on.
            victim = bots[0]
            assert victim.client is not None
            victim.client.xmpp.abort()
            await until(lambda: victim.sessions == 2, timeout=15)
            decided = victim.decisions
            await until(lambda: sum(a.hands_played for a in actors) >= 50, timeout=60)
            await until(lambda: victim.decisions > decided, timeout=15)
        finally:
            await fleet.stop()

        for table_id, rec, actor in zip(watched, recs.values(), actors, strict=True):
            table = actor.table
            await until(lambda r=rec, t=table: r.watch.state.seq == t.seq)  # type: ignore[misc]
            events = rec.public()
            assert contiguous(events)
            assert rec.watch.resyncs == 0
            brought = (
                sum(e.stack for e in events if isinstance(e, ev.PlayerSat))
                + sum(e.amount for e in events if isinstance(e, ev.ChipsAdded))
                - sum(e.stack for e in events if isinstance(e, ev.PlayerLeft))
            )
            assert table.chips_on_table() == brought, table_id
            ended = [e for e in events if isinstance(e, ev.HandEnded)]
            assert all(sum(e.net) == 0 for e in ended)
            assert len({e.player for e in events if isinstance(e, ev.PlayerSat)}) == 3
            await agrees(rail, rec.watch)
        assert sum(a.hands_played for a in actors) >= 50
        assert running.component.actors["t3"].table.seats == {}
