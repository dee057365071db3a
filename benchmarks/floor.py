"""The floor: what an input's stanzas cost a component that does nothing else.

A do-nothing component built as the game server is (slixmpp's ``ComponentXMPP`` on uvloop, in
its own process): it sits in a room per table as ``Dealer``, reads action IQs on the same raw
path, drops the room's copies of its own messages unparsed by slixmpp, and answers each action
with the IQ result and ONE room message of a real input's size, in one write. It has no table,
no rules, no events. Five players per room (clients in this process) take turns as at a table:
each sends its action when the message naming it arrives.

The component's CPU per input here is the least any game server built this way can spend per
input on this machine; ``benchmarks/server.py`` prints the game server's (CPU per hand over
player actions per hand). ejabberd's CPU per input is printed as the same-run baseline.

    python benchmarks/floor.py --tables 4 --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from slixmpp import JID, ComponentXMPP
from slixmpp.plugins.xep_0045.stanza import register_plugins as register_muc_stanzas

from _store_bench import cpu_seconds
from riverboat.devserver import LocalServer, ServerKind, start_server, stop_server
from riverboat.devserver.process import free_ports, terminate
from riverboat.devserver.state import load_local_server
from riverboat.eventloop import run
from riverboat.protocol.namespace import NS
from riverboat.protocol.stanzas import events_message_xml, iq_result_xml
from riverboat.server.outbox import Outbox
from riverboat.server.rooms import Room, configure_room, send_join
from server import connect

ACTION = f"{{{NS}}}action"
PER_TABLE = 5
EVENT_JSON = '{"seq":%d,"hand_no":7,"seat":3,"player":"p%d","action":"call","amount":2,' + (
    '"total":2,"all_in":false,"discarded":[],"timed_out":false}'
)


class FloorComponent(ComponentXMPP):  # type: ignore[misc]
    def __init__(self, server: LocalServer, tables: int) -> None:
        super().__init__(
            server.component, server.component_secret, server.component_host,
            server.component_port,
        )
        for plugin in ("xep_0030", "xep_0004"):
            self.register_plugin(plugin)
        register_muc_stanzas()
        self.muc = server.muc
        self.tables = [f"f{i}" for i in range(tables)]
        self.turn = dict.fromkeys(self.tables, 0)
        self.seq = dict.fromkeys(self.tables, 0)
        self.outbox = Outbox(super().send_raw)
        self.ready = asyncio.Event()
        self.add_event_handler("session_start", self._start)

    def room(self, table: str) -> Room:
        return Room(table, JID(f"{table}@{self.muc}"), JID(f"dealer@{self.boundjid.bare}/{table}"))

    async def _start(self, _: Any) -> None:
        for table in self.tables:
            room = self.room(table)
            send_join(self, room, "Dealer")
            await asyncio.sleep(0.5)
            await configure_room(self, room, table, True)
        self.ready.set()

    def send_raw(self, data: str | bytes) -> None:
        self.outbox.flush()
        super().send_raw(data)

    def _spawn_event(self, xml: Any) -> None:
        kind = xml.get("type")
        if kind == "groupchat" and (xml.get("from") or "").endswith("/Dealer"):
            return
        if kind == "set" and len(xml) == 1 and xml[0].tag == ACTION:
            self._answer(xml)
            return
        super()._spawn_event(xml)

    def _answer(self, xml: Any) -> None:
        table = (xml.get("to") or "").split("@", 1)[0]
        if table not in self.turn:
            return
        self.turn[table] = turn = (self.turn[table] + 1) % PER_TABLE
        items = []
        for _ in range(3):  # an input makes three public events on average
            self.seq[table] = seq = self.seq[table] + 1
            items.append(("player-acted", seq, EVENT_JSON % (seq, turn)))
        room = self.room(table)
        self.outbox.put(
            iq_result_xml(iq_id=xml.get("id") or "", to=xml.get("from"), sender=xml.get("to"))
            + events_message_xml(
                to=str(room.jid), sender=str(room.dealer), table=table, items=items,
                body=f"p{(turn + 4) % PER_TABLE} calls 2\nthe flop\nnext: p{turn}",
            )
        )


async def serve(args: argparse.Namespace) -> None:
    server = load_local_server(Path(args.data_dir))
    component = FloorComponent(server, args.tables)
    component.connect()
    await asyncio.Event().wait()


class Player:
    """One of a table's five: acts when the dealer's message names it."""

    def __init__(self, xmpp: Any, name: str, table_jid: str, think: float) -> None:
        self.xmpp, self.name, self.table_jid, self.think = xmpp, name, table_jid, think
        self.answered = 0
        xmpp.add_event_handler("message", self.on_message)

    def on_message(self, message: Any) -> None:
        if message["type"] == "groupchat" and message["body"].endswith(f"next: {self.name}"):
            if self.think:  # as the bots think: 40-100% of --think
                loop = asyncio.get_running_loop()
                loop.call_later(self.think * random.uniform(0.4, 1.0), self.act)
            else:
                self.act()

    def act(self) -> None:
        iq = self.xmpp.make_iq_set(ito=self.table_jid)
        iq.xml.append(iq.xml.makeelement(ACTION, {"type": "call"}))
        iq.send(callback=self.count)

    def count(self, _: Any) -> None:
        self.answered += 1


async def drive(server: LocalServer, args: argparse.Namespace, floor_pid: int) -> None:
    players: list[Player] = []
    for t in range(args.tables):
        table = f"f{t}"
        for k in range(PER_TABLE):
            xmpp = await connect(server, f"floor-{table}-{k}")
            await xmpp.plugin["xep_0045"].join_muc_wait(
                f"{table}@{server.muc}", f"p{k}", maxstanzas=0
            )
            players.append(Player(xmpp, f"p{k}", f"{table}@{server.component}", args.think))
    for t in range(args.tables):
        players[t * PER_TABLE].act()  # p0 starts each table
    await asyncio.sleep(args.warmup)
    assert server.pid is not None
    answered0 = sum(p.answered for p in players)
    floor0, xmpp0 = cpu_seconds(floor_pid), cpu_seconds(server.pid)
    start = time.perf_counter()
    await asyncio.sleep(args.seconds)
    elapsed = time.perf_counter() - start
    inputs = sum(p.answered for p in players) - answered0
    floor, ejabberd = cpu_seconds(floor_pid) - floor0, cpu_seconds(server.pid) - xmpp0
    for player in players:
        player.xmpp.disconnect()
    print(
        f"\nfloor component, {args.tables} tables x {PER_TABLE} players thinking"
        f" {args.think} s, {elapsed:.0f} s"
    )
    print(f"  inputs: {inputs} ({inputs / elapsed:.0f}/s)")
    if inputs:
        print(
            f"  CPU per input: floor component {floor / inputs * 1e6:.0f} us,"
            f" ejabberd {ejabberd / inputs * 1e6:.0f} us (baseline), ratio"
            f" {floor / ejabberd:.2f}"
        )
        for per_hand in (25, 12):
            print(f"  x {per_hand} inputs a hand: {floor / inputs * per_hand * 1e3:.2f} ms a hand")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--think", type=float, default=0.0, help="players think 40-100%% of it")
    parser.add_argument("--nice", type=int, default=10, help="niceness of the players (10)")
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        run(serve(args))
        return
    with tempfile.TemporaryDirectory(prefix="riverboat-floor-") as tmp:
        data = Path(tmp)
        c2s, comp, http = free_ports(3)
        server = start_server(
            data, kind=ServerKind.EJABBERD, c2s_port=c2s, component_port=comp, http_port=http
        )
        floor = subprocess.Popen(
            [sys.executable, __file__, "--serve", "--data-dir", tmp, "--tables", str(args.tables)],
            stdin=subprocess.DEVNULL,
        )
        try:
            os.nice(args.nice)  # the players (this process) yield the CPU to what is measured
            time.sleep(2.0 + 0.6 * args.tables)  # connected, rooms joined and configured
            run(drive(server, args, floor.pid))
        finally:
            terminate(floor.pid, 10.0)
            with contextlib.suppress(Exception):
                floor.wait(5)
            stop_server(data)


if __name__ == "__main__":
    main()
