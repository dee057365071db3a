"""Long bot runs against a real ejabberd, the component in-process.

Hundreds of hands at several tables: every chip accounted for, every hand's broadcast result
equal to pokerkit's own replay of its history; nobody ever receives another player's hidden
hole cards; and a bot whose connection dies on its turn is timed out and comes back.

Each test uses its own table ids, so that its bots (``bot-<table>-<k>``) and dealers
(``dealer@<component>/<table>``) are not those of any other test of the session.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import json
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pokerkit import HandHistory

import riverboat.bots.fleet
import riverboat.bots.player
from riverboat.bots.fleet import BotFleet, FleetSettings
from riverboat.bots.player import Bot, Think
from riverboat.bots.strategy import Strategy, make_strategy
from riverboat.client import RiverboatClient, ServerAddress
from riverboat.devserver import LocalServer
from riverboat.protocol.codec import event_from_json
from riverboat.protocol.namespace import DEALER_NICK, NS
from riverboat.protocol.stanzas import event_items
from riverboat.server.component import GameComponent
from riverboat.server.settings import ServerSettings, TableSpec, settings_for_server
from riverboat.table import events as ev
from riverboat.table.config import TableConfig, Variant
from riverboat.table.history import finishing_stacks_of
from tests.integration.game import running_component

pytestmark = pytest.mark.integration

ACTION_TIME = 3.0


def password_for(user: str) -> str:
    return f"pw-{user}"


def nlhe(**kwargs: Any) -> TableConfig:
    return TableConfig(
        variant=Variant.NLHE, seats=6, blinds=(1, 2), action_time=ACTION_TIME, **kwargs
    )


def plo() -> TableConfig:
    return TableConfig(variant=Variant.PLO, seats=6, blinds=(1, 2), action_time=ACTION_TIME)


def flhe() -> TableConfig:
    return TableConfig(
        variant=Variant.FLHE,
        seats=6,
        blinds=(1, 2),
        small_bet=2,
        big_bet=4,
        action_time=ACTION_TIME,
    )


def fast_settings(
    server: LocalServer, data_dir: Path, tables: tuple[TableSpec, ...]
) -> ServerSettings:
    return settings_for_server(
        server,
        tables,
        data_dir=data_dir,
        next_hand_delay=0.05,
        start_delay=0.2,
        hands_kept=1000,
    )


def calling_or_random(_name: str, k: int) -> Strategy:
    """The fleet's strategy for its k-th bot at a table: calling stations and random players."""
    return make_strategy(("calling", "random")[k % 2])


async def until(check: Callable[[], bool], timeout: float = 10.0, what: str = "") -> None:
    try:
        async with asyncio.timeout(timeout):
            while not check():
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise AssertionError(f"timed out after {timeout} s waiting for {what or check}") from None


def hands_played(component: GameComponent) -> int:
    return sum(actor.hands_played for actor in component.actors.values())


# --- instrumented clients ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stanza:
    receiver: str
    """The receiving client's bare JID."""
    xml: str


@dataclass
class Tap:
    """What the instrumented clients do besides being clients: record every stanza they
    receive, cut their connection when their turn comes, and wait before connecting."""

    record: bool = False
    stanzas: list[Stanza] = field(default_factory=list)
    kill_on_turn: set[str] = field(default_factory=set)
    """Users whose connection is aborted when their ``action-required`` arrives (they never
    see it)."""
    killed: list[ev.ActionRequired] = field(default_factory=list)
    gates: dict[str, asyncio.Event] = field(default_factory=dict)
    """Users who may (re)connect only once their gate is set."""

    def client_class(self) -> type[RiverboatClient]:
        tap = self

        class Instrumented(RiverboatClient):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self.xmpp.add_filter("in", self._tap)

            async def connect(self, *, register: bool = False, timeout: float = 15.0) -> None:
                gate = tap.gates.get(self.user)
                if gate is not None:
                    await gate.wait()
                await super().connect(register=register, timeout=timeout)

            def _tap(self, stanza: Any) -> Any:
                if tap.record:
                    tap.stanzas.append(Stanza(self.jid, str(stanza)))
                if self.user in tap.kill_on_turn:
                    turn = _turn_of(stanza, self.user)
                    if turn is not None:
                        tap.kill_on_turn.discard(self.user)
                        tap.killed.append(turn)
                        self.xmpp.transport.abort()  # no stream end, no unavailable presence
                        return None
                return stanza

        return Instrumented


def _turn_of(stanza: Any, user: str) -> ev.ActionRequired | None:
    for item in event_items(stanza.xml):
        if item.kind == "action-required":
            event = event_from_json("action-required", item.json)
            assert isinstance(event, ev.ActionRequired)
            if event.player == user:
                return event
    return None


@contextlib.asynccontextmanager
async def fleet_of(
    server: LocalServer, tables: int, per_table: int, seed: int
) -> AsyncIterator[list[Bot]]:
    fleet = BotFleet(
        ServerAddress.from_local_server(server),
        FleetSettings(tables=tables, per_table=per_table, think=Think(0.0, 0.0), seed=seed),
        password_for,
    )
    try:
        yield await fleet.start()
    finally:
        await fleet.stop()


# --- the spectator ------------------------------------------------------------------------------


class Spectator:
    """A client in every room that keeps each game payload the dealer posts, as broadcast."""

    def __init__(self, client: RiverboatClient) -> None:
        self.client = client
        self.events: dict[str, list[ev.Event]] = {}
        self._rooms: dict[str, str] = {}
        client.xmpp.add_event_handler("message", self._on_message)

    async def watch(self, table_ids: Iterable[str]) -> None:
        for table_id in table_ids:
            info = await self.client.table_info(table_id)
            self.events[table_id] = []
            self._rooms[info.room] = table_id  # before joining: nothing posted is missed
            await self.client.watch(info)

    def _on_message(self, message: Any) -> None:
        items = event_items(message.xml)
        sender = message["from"]
        if message["type"] != "groupchat" or not items or sender.resource != DEALER_NICK:
            return
        table_id = self._rooms.get(sender.bare)
        if table_id is None:
            return
        for item in items:
            assert item.table == table_id
            event = event_from_json(item.kind, item.json)
            assert event.seq == int(item.seq)
            self.events[table_id].append(event)

    def last_seq(self, table_id: str) -> int:
        events = self.events[table_id]
        return events[-1].seq if events else 0

    def of(self, table_id: str, kind: type[ev.Event]) -> list[Any]:
        return [e for e in self.events[table_id] if isinstance(e, kind)]

    async def wait_for(
        self, table_id: str, predicate: Callable[[ev.Event], bool], timeout: float = 10.0
    ) -> ev.Event:
        found: list[ev.Event] = []

        def seen() -> bool:
            found.extend(e for e in self.events[table_id] if predicate(e))
            return bool(found)

        await until(seen, timeout, f"an event at {table_id}")
        return found[0]


@contextlib.asynccontextmanager
async def spectator(
    server: LocalServer, user: str, table_ids: Iterable[str], tap: Tap | None = None
) -> AsyncIterator[Spectator]:
    cls = tap.client_class() if tap is not None else RiverboatClient
    client = cls(ServerAddress.from_local_server(server), user, password_for(user))
    await client.connect(register=True)
    try:
        rail = Spectator(client)
        await rail.watch(table_ids)
        yield rail
    finally:
        await client.close()


def brought_in(events: Iterable[ev.Event], up_to: int | None = None) -> int:
    """Chips brought to the table: buy-ins plus chips added, minus chips taken away."""
    total = 0
    for event in events:
        if up_to is not None and event.seq > up_to:
            break
        match event:
            case ev.PlayerSat(stack=stack):
                total += stack
            case ev.ChipsAdded(amount=amount):
                total += amount
            case ev.PlayerLeft(stack=stack):
                total -= stack
    return total


def contiguous(events: list[ev.Event]) -> bool:
    seqs = [e.seq for e in events]
    return seqs == list(range(1, len(seqs) + 1))


# --- 1. many hands, every chip, every result -------------------------------------------------


def replay(histories: Iterable[str]) -> dict[int, tuple[HandHistory, tuple[int, ...]]]:
    """hand number -> (its PHH record, the finishing stacks of pokerkit's own replay)."""
    replayed = {}
    for text in histories:
        record = HandHistory.loads(text)
        assert isinstance(record.hand, int)
        replayed[record.hand] = (record, finishing_stacks_of(record))
    return replayed


async def test_bots_play_500_hands_chips_conserved_results_match_the_core(
    xmpp_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(riverboat.bots.fleet, "strategy_for", calling_or_random)
    tables = (
        *(TableSpec(f"c{i}", f"Long NLHE {i}", nlhe()) for i in range(1, 5)),
        TableSpec("c5", "Long PLO", plo()),
        TableSpec("c6", "Long FLHE", flhe()),
    )
    table_ids = [spec.table_id for spec in tables]
    async with (
        running_component(fast_settings(xmpp_server, tmp_path, tables)) as component,
        spectator(xmpp_server, "long-rail", table_ids) as rail,
    ):
        checkpoints: list[tuple[str, int, int]] = []
        """(table, seq, chips on the table at that seq), taken while the bots play."""
        async with fleet_of(xmpp_server, len(tables), 3, seed=11) as bots:
            assert len(bots) == 3 * len(tables)
            assert {b.strategy.name for b in bots} == {"calling", "random"}
            deadline = time.monotonic() + 150
            while hands_played(component) < 500:
                assert time.monotonic() < deadline, f"{hands_played(component)} hands only"
                await asyncio.sleep(2.0)
                for table_id, actor in component.actors.items():
                    table = actor.table  # read at once: the actor runs on this event loop
                    checkpoints.append((table_id, table.seq, table.chips_on_table()))

        final = {t: (a.table.seq, a.table.chips_on_table()) for t, a in component.actors.items()}
        for table_id, (seq, _chips) in final.items():
            await until(lambda t=table_id, s=seq: rail.last_seq(t) >= s, 10, "the rail")  # type: ignore[misc]
        checkpoints += [(t, seq, chips) for t, (seq, chips) in final.items()]

    replayed = {t: replay(component.histories[t]) for t in table_ids}
    total = 0
    for table_id in table_ids:
        events = rail.events[table_id]
        assert contiguous(events), table_id

        # Every chip: at every checkpoint, the chips on the table are those brought to it.
        for _, seq, chips in (c for c in checkpoints if c[0] == table_id):
            assert chips == brought_in(events, up_to=seq), (table_id, seq)
        assert brought_in(events) == component.actors[table_id].table.chips_on_table()

        # Every hand: started and ended once, in order, zero-sum, as pokerkit replays it.
        started_hands = {e.hand_no: e for e in rail.of(table_id, ev.HandStarted)}
        ended = rail.of(table_id, ev.HandEnded)
        numbers = [e.hand_no for e in ended]
        assert numbers == list(range(1, len(ended) + 1)), table_id
        assert set(replayed[table_id]) == set(numbers), table_id
        for hand in ended:
            assert sum(hand.net) == 0, (table_id, hand)
            start = started_hands[hand.hand_no]
            assert (start.seats, start.players) == (hand.seats, hand.players)
            assert hand.net == tuple(a - b for a, b in zip(hand.stacks, start.stacks, strict=True))
            record, stacks = replayed[table_id][hand.hand_no]
            assert hand.stacks == stacks, (table_id, hand.hand_no, record.dumps())
            assert (record.players, record.seats) == (list(hand.players), list(hand.seats))
        total += len(ended)
    assert total >= 500
    assert all(replayed[t] for t in table_ids)


# --- 2. nobody sees anyone else's hole cards --------------------------------------------------

CARD_RUN = re.compile(r"(?<![0-9A-Za-z])((?:[2-9TJQKA][cdhs])+)(?![0-9A-Za-z])")
"""Card tokens as they appear in bodies and payloads: ``Ah``, ``"Ah"``, ``AhKd`` (PHH)."""


def card_tokens(text: str) -> set[str]:
    tokens: set[str] = set()
    for run in CARD_RUN.findall(text):
        tokens.update(run[i : i + 2] for i in range(0, len(run), 2))
    return tokens


@dataclass(frozen=True, slots=True)
class HandTruth:
    """Who held which hole cards in one hand (from its PHH), and when each showed them."""

    hand_no: int
    hole: dict[str, frozenset[str]]
    """Owner's bare JID -> hole cards."""
    shown_at: dict[str, int]
    """Owner's bare JID -> seq of their ``cards-shown`` event."""
    names: dict[str, str]
    """Owner's bare JID -> their name at the table (in events)."""


@dataclass(frozen=True, slots=True)
class TableTruth:
    starts: list[int]
    """seq of each ``hand-started``, ascending."""
    hands: list[HandTruth | None]
    """The hand that starts at ``starts[i]`` (None: no history, e.g. still being played)."""

    def hand_at(self, seq: int) -> HandTruth | None:
        """The hand a seq belongs to: the last one started at or before it."""
        i = bisect.bisect_right(self.starts, seq) - 1
        return self.hands[i] if i >= 0 else None


def hole_cards_of(record: HandHistory) -> dict[str, frozenset[str]]:
    jids: list[str] = record.user_defined_fields["_jids"]
    hole: dict[str, frozenset[str]] = {}
    for action in record.actions:
        parts = action.split()
        if parts[:2] == ["d", "dh"]:
            hole[jids[int(parts[2][1:]) - 1]] = frozenset(card_tokens(parts[3]))
    return hole


def truth_of(histories: Iterable[str], events: list[ev.Event]) -> TableTruth:
    records = {(r := HandHistory.loads(text)).hand: r for text in histories}
    starts: list[int] = []
    hands: list[HandTruth | None] = []
    for started in (e for e in events if isinstance(e, ev.HandStarted)):
        assert started.hand_no is not None
        starts.append(started.seq)
        record = records.get(started.hand_no)
        if record is None:
            hands.append(None)
            continue
        jid_of = dict(zip(record.players or (), record.user_defined_fields["_jids"], strict=True))
        shown = {
            jid_of[e.player]: e.seq
            for e in events
            if isinstance(e, ev.CardsShown) and e.hand_no == started.hand_no
        }
        names = {jid: name for name, jid in jid_of.items()}
        hands.append(HandTruth(started.hand_no, hole_cards_of(record), shown, names))
    return TableTruth(starts, hands)


def parsed(xml: str) -> ET.Element | None:
    try:
        return ET.fromstring(xml)
    except ET.ParseError:  # stream features, written with their stream prefix: no stanza
        return None


def payloads(root: ET.Element) -> list[ET.Element]:
    """The event elements of a stanza: a room message's ``<events/>`` children, or a private
    message's one ``<event/>``."""
    batch = root.find(f"{{{NS}}}events")
    if batch is not None:
        return batch.findall(f"{{{NS}}}event")
    one = root.find(f"{{{NS}}}event")
    return [] if one is None else [one]


def dealt_to(xml: str, hand: HandTruth, owner: str) -> bool:
    """Whether ``xml`` carries the ``hole-cards-dealt`` event of ``owner`` in ``hand``."""
    root = parsed(xml)
    for payload in payloads(root) if root is not None else []:
        if payload.get("type") == "hole-cards-dealt":
            event = event_from_json("hole-cards-dealt", payload.text or "")
            if (event.hand_no, getattr(event, "player", None)) == (hand.hand_no, hand.names[owner]):
                return True
    return False


def edited(xml: str, *, body: str = "", cards: list[str] | None = None) -> str:
    """A copy of an event stanza with ``body`` added to its body, or with other ``cards`` in
    its first ``hole-cards-dealt`` event."""
    root = ET.fromstring(xml)
    text = root.find("{*}body")
    assert text is not None
    text.text = (text.text or "") + body
    if cards is not None:
        payload = next(p for p in payloads(root) if p.get("type") == "hole-cards-dealt")
        fields = json.loads(payload.text or "")
        fields["cards"] = cards
        payload.text = json.dumps(fields)
    return ET.tostring(root, encoding="unicode")


def table_parts(xml: str) -> list[tuple[str, int, str]] | None:
    """The parts of a stanza that carries table state, each with its (table, seq) and text:
    in a room message each event at its own seq and the rest (body, addresses) at the last
    one's; a private event or a snapshot whole. ``None``: the stanza is not about a table."""
    root = parsed(xml)
    if root is None:
        return None
    batch = root.find(f"{{{NS}}}events")
    if batch is not None:
        table = batch.get("table", "")
        parts = [
            (table, int(e.get("seq", "0")), e.text or "")
            for e in batch.findall(f"{{{NS}}}event")
        ]
        root.remove(batch)
        parts.append((table, int(batch.get("seq", "0")), ET.tostring(root, encoding="unicode")))
        return parts
    payload = root.find(f"{{{NS}}}event")
    if payload is not None:
        return [(payload.get("table", ""), int(payload.get("seq", "0")), xml)]
    snapshot = root.find(f"{{{NS}}}table")
    if snapshot is not None and snapshot.get("seq") is not None:
        return [(root.get("from", "").split("@")[0], int(snapshot.get("seq", "0")), xml)]
    return None


@dataclass
class LeakReport:
    leaks: list[str] = field(default_factory=list)
    judged: int = 0
    """Stanzas placed in a hand whose hole cards are known."""
    snapshots: int = 0
    """Of those, snapshots."""
    own_cards_seen: set[tuple[str, int, str]] = field(default_factory=set)
    """(table, hand, owner) for each owner who received all their own hole cards."""


def find_leaks(stanzas: Iterable[Stanza], truths: dict[str, TableTruth]) -> LeakReport:
    """Every stanza that shows a client someone else's hole cards before they were shown.

    Each part of a stanza about a table (``table_parts``: an event, a snapshot, a room
    message's body) belongs to the hand of its seq; in it, the hidden cards are the hole cards
    of every other player of that hand who has not shown them yet (at that seq). Any other
    stanza (presence, IQ results, plain text) must show no card at all.
    """
    report = LeakReport()
    for stanza in stanzas:
        parts = table_parts(stanza.xml)
        if parts is None:
            tokens = card_tokens(stanza.xml)
            if tokens:
                report.leaks.append(f"{stanza.receiver} got cards {sorted(tokens)}: {stanza.xml}")
            continue
        judged = False
        for table_id, seq, text in parts:
            truth = truths.get(table_id)
            hand = truth.hand_at(seq) if truth is not None else None
            if hand is None:
                continue
            judged = True
            tokens = card_tokens(text)
            hidden: set[str] = set()
            for owner, cards in hand.hole.items():
                if owner == stanza.receiver:
                    if cards <= tokens:
                        report.own_cards_seen.add((table_id, hand.hand_no, owner))
                elif hand.shown_at.get(owner, seq + 1) > seq:
                    hidden |= cards
            if tokens & hidden:
                report.leaks.append(
                    f"{stanza.receiver} got {sorted(tokens & hidden)} of hand {table_id}#"
                    f"{hand.hand_no} at seq {seq}: {stanza.xml}"
                )
        report.judged += judged
        report.snapshots += judged and stanza.xml.startswith("<iq")
    return report


@contextlib.asynccontextmanager
async def snapshots_taken(
    askers: Sequence[tuple[RiverboatClient | None, str]], every: float = 0.25
) -> AsyncIterator[None]:
    """Each client asks for a snapshot of its table every ``every`` seconds meanwhile."""

    async def ask() -> None:
        while True:
            await asyncio.sleep(every)
            for client, table_id in askers:
                if client is not None and client.connected:
                    await client.snapshot(table_id)

    task = asyncio.create_task(ask())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task  # raises what made a request fail, if one did


async def test_no_client_sees_another_players_hole_cards_in_200_hands(
    xmpp_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tap = Tap(record=True)
    monkeypatch.setattr(riverboat.bots.fleet, "strategy_for", calling_or_random)
    monkeypatch.setattr(riverboat.bots.player, "RiverboatClient", tap.client_class())
    tables = (TableSpec("s1", "Secret NLHE", nlhe()), TableSpec("s2", "Secret PLO", plo()))
    table_ids = [spec.table_id for spec in tables]
    async with (
        running_component(fast_settings(xmpp_server, tmp_path, tables)) as component,
        spectator(xmpp_server, "secret-rail", table_ids, tap) as rail,
    ):
        async with fleet_of(xmpp_server, len(tables), 3, seed=5) as bots:
            # Snapshots in the middle of hands too, asked by the rail and by a bot at each table.
            askers: list[tuple[RiverboatClient | None, str]]
            askers = [(rail.client, t) for t in table_ids]
            askers += [(b.client, b.table.table_id) for b in bots[:: len(bots) // len(tables)]]
            async with snapshots_taken(askers):
                await until(lambda: hands_played(component) >= 200, 120, "200 hands")
            tap.record = False
        ended = {t: rail.last_seq(t) for t in table_ids}
        await until(lambda: all(rail.last_seq(t) >= ended[t] for t in table_ids), 10, "the rail")
        histories = {t: list(component.histories[t]) for t in table_ids}
    truths = {t: truth_of(histories[t], rail.events[t]) for t in table_ids}
    clients = {b.client.jid for b in bots if b.client is not None} | {rail.client.jid}
    assert {s.receiver for s in tap.stanzas} == clients

    report = find_leaks(tap.stanzas, truths)
    assert report.leaks == []

    # The check looked at what matters: most stanzas, every hand, snapshots, shown cards, and
    # every player's own cards.
    known = [(t, h) for t in table_ids for h in truths[t].hands if h is not None]
    assert len(known) >= 200
    assert report.judged > len(tap.stanzas) * 3 // 4
    assert report.snapshots > 100
    assert sum(len(h.shown_at) for _, h in known) > 0
    dealt_to_bots = {(t, h.hand_no, o) for t, h in known for o in h.hole if o in clients}
    assert dealt_to_bots
    assert dealt_to_bots == report.own_cards_seen

    # ... and it would notice a leak, in copies of a stanza a bot really received: another
    # player's card in the body, or their cards run together, or in the public payload; or
    # in a snapshot; or anywhere in a stanza that is not about the table.
    table_id, hand = next((t, h) for t, h in known if len(h.hole) >= 2)
    receiver, victim = sorted(hand.hole)[:2]
    secret = sorted(hand.hole[victim])
    dealt = next(s for s in tap.stanzas if s.receiver == receiver and dealt_to(s.xml, hand, victim))
    parts = table_parts(dealt.xml)
    assert parts is not None
    position = parts[-1][:2]
    cards = json.dumps({"players": [{"player": hand.names[victim], "cards": secret}]})
    forged = [
        edited(dealt.xml, body=f" {secret[0]}"),
        edited(dealt.xml, body=f" {''.join(secret)}"),
        edited(dealt.xml, cards=secret),
        f"<iq type='result' from='{table_id}@{xmpp_server.component}' to='{receiver}/bot'>"
        f"<table xmlns='{NS}' seq='{position[1]}'>{cards}</table></iq>",
        f"<message from='someone@{xmpp_server.domain}'><body>{secret[-1]}</body></message>",
    ]
    assert find_leaks([dealt], truths).leaks == []
    for xml in forged:
        assert len(find_leaks([Stanza(receiver, xml)], truths).leaks) == 1, xml
    assert find_leaks([Stanza(victim, xml) for xml in forged[:4]], truths).leaks == []


# --- 3. a dead connection -------------------------------------------------------------------


async def test_a_killed_bot_connection_times_out_and_the_bot_rejoins(
    xmpp_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tap = Tap()
    monkeypatch.setattr(riverboat.bots.fleet, "strategy_for", calling_or_random)
    monkeypatch.setattr(riverboat.bots.player, "RiverboatClient", tap.client_class())
    tables = (TableSpec("k1", "Killed NLHE", nlhe(time_bank=1.0)),)
    async with (
        running_component(fast_settings(xmpp_server, tmp_path, tables)) as component,
        spectator(xmpp_server, "kill-rail", ["k1"]) as rail,
    ):
        actor, room = component.actors["k1"], component.rooms["k1"]
        async with fleet_of(xmpp_server, 1, 3, seed=3) as bots:
            victim = bots[0]
            await until(lambda: actor.hands_played >= 3, 30, "3 hands")
            assert victim.sessions == 1
            assert victim.user in room.occupants

            # Its turn comes: the connection dies before the bot sees it, and stays down (a bot
            # reconnects within a second, in time to play the turn: the gate holds it back).
            gate = tap.gates[victim.user] = asyncio.Event()
            tap.kill_on_turn.add(victim.user)
            await until(lambda: bool(tap.killed), 30, "the victim's turn")
            turn = tap.killed[0]
            await until(lambda: victim.user not in room.occupants, 10, "the victim to go")

            # The table runs its clock down, acts for it, and the hand goes on to its end.
            def of_turn(e: ev.Event) -> bool:
                return e.hand_no == turn.hand_no and getattr(e, "seat", None) == turn.seat

            bank = await rail.wait_for("k1", lambda e: of_turn(e) and type(e) is ev.TimeBankUsed)
            acted = await rail.wait_for(
                "k1", lambda e: of_turn(e) and isinstance(e, ev.PlayerActed), ACTION_TIME + 5
            )
            assert isinstance(acted, ev.PlayerActed)
            assert acted.timed_out
            assert acted.player == victim.user
            assert acted.action in (ev.ActionKind.CHECK, ev.ActionKind.FOLD)
            assert turn.seq < bank.seq < acted.seq
            await rail.wait_for(
                "k1", lambda e: isinstance(e, ev.HandEnded) and e.hand_no == turn.hand_no, 20
            )
            assert victim.sessions == 1

            # It comes back: a new session, in the room again, playing a later hand.
            decided = victim.decisions
            gate.set()
            await until(lambda: victim.sessions == 2, 15, "the victim's new session")
            await until(lambda: victim.user in room.occupants, 10, "the victim to rejoin")
            assert turn.hand_no is not None
            later = await rail.wait_for(
                "k1",
                lambda e: (
                    isinstance(e, ev.PlayerActed)
                    and e.player == victim.user
                    and not e.timed_out
                    and (e.hand_no or 0) > (turn.hand_no or 0)
                ),
                30,
            )
            assert victim.decisions > decided
            await until(lambda: actor.hands_played >= (later.hand_no or 0) + 2, 30, "more hands")
            assert all(b.sessions == 1 for b in bots[1:])

        seq, chips = actor.table.seq, actor.table.chips_on_table()
        await until(lambda: rail.last_seq("k1") >= seq, 10, "the rail")
        events = rail.events["k1"]
        assert contiguous(events)
        assert chips == brought_in(events, up_to=seq)
        assert all(sum(e.net) == 0 for e in rail.of("k1", ev.HandEnded))
        assert len({e.player for e in rail.of("k1", ev.PlayerSat)}) == 3
