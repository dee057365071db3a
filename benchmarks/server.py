"""The game server under load, over a real local ejabberd.

N tables of bots (the bots in their own process, the component in its own process) play for a
fixed time. Probe players (in this process) sit at some tables and act by IQ; a watcher
connection in every room records when each broadcast arrives, which gives the action ->
broadcast latency as another client sees it (same clock on both ends). CPU time comes from
/proc for the component and for ejabberd (the baseline: what the stanzas cost the server).

``--stores none,sqlite,postgresql`` runs the same load once per store (each run with its own
ejabberd, component and bots; a new SQLite file, a new database on one throwaway PostgreSQL),
then prints the component's CPU per hand against the run without a store, and PostgreSQL's own
CPU per hand (postmaster and backends).

    python benchmarks/server.py --tables 50 --think 0.5 --seconds 60      # paced bots
    python benchmarks/server.py --tables 8 --think 0 --seconds 30         # flat out
    python benchmarks/server.py --tables 4 --think 0 --stores none,sqlite,postgresql
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slixmpp import ClientXMPP

from _store_bench import Stores, cpu_seconds, parse_kinds, print_table, system_seconds
from riverboat.bots.strategy import STRATEGIES
from riverboat.devserver import LocalServer, ServerKind, start_server, stop_server
from riverboat.devserver.accounts import register_account
from riverboat.devserver.errors import RegistrationError
from riverboat.devserver.process import free_ports, terminate
from riverboat.protocol.codec import event_from_json
from riverboat.protocol.stanzas import event_items, register_stanzas
from riverboat.table import events as ev

PLAINTEXT = {"feature_mechanisms": {"unencrypted_plain": True, "unencrypted_scram": True}}


SERVER_SRC: str | None = None
"""``--server-src``: the ``src`` folder the game server and bots run from (another checkout)."""


def spawn(args: list[str], log: Path, niceness: int = 0) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    if SERVER_SRC is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (SERVER_SRC, env.get("PYTHONPATH"))))
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "riverboat.cli", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=(lambda: os.nice(niceness)) if niceness else None,  # noqa: PLW1509
        )


async def connect(server: LocalServer, user: str) -> Any:
    try:
        await register_account(server, user, "pw")
    except RegistrationError as exc:
        if "conflict" not in str(exc):
            raise
    xmpp = ClientXMPP(f"{user}@{server.domain}/bench", "pw", plugin_config=PLAINTEXT)
    xmpp.enable_direct_tls = False
    for plugin in ("xep_0030", "xep_0045"):
        xmpp.register_plugin(plugin)
    ready = asyncio.Event()

    def on_start(_: Any) -> None:
        xmpp.send_presence()
        ready.set()

    xmpp.add_event_handler("session_start", on_start)
    xmpp.connect(server.client_host, server.client_port)
    async with asyncio.timeout(20):
        await ready.wait()
    return xmpp


class Watcher:
    """Spectator in every room: counts hands, stamps the arrival of each probe's action."""

    def __init__(self) -> None:
        self.hands = 0
        self.actions = 0
        self.arrivals: dict[tuple[str, int], float] = {}
        self.counting = False

    def on_message(self, message: Any) -> None:
        if message["type"] != "groupchat":
            return
        for item in event_items(message.xml):
            if item.kind == "hand-ended" and self.counting:
                self.hands += 1
            elif item.kind == "player-acted":
                self.actions += self.counting
                event = event_from_json(item.kind, item.json)
                assert isinstance(event, ev.PlayerActed)
                if event.player.startswith("probe"):
                    self.arrivals[(str(event.player), event.seq)] = time.perf_counter()


class Probe:
    """A player at one table acting by IQ (check or call) after ``think`` seconds."""

    def __init__(self, xmpp: Any, nick: str, table_jid: str, think: float) -> None:
        self.xmpp, self.nick, self.table_jid, self.think = xmpp, nick, table_jid, think
        self.sent: list[tuple[float, int]] = []  # (send time, seq of the action-required)

    def on_message(self, message: Any) -> None:
        if message["type"] != "groupchat":
            return
        for item in event_items(message.xml):
            if item.kind == "action-required":
                event = event_from_json(item.kind, item.json)
                assert isinstance(event, ev.ActionRequired)
                if event.player == self.nick:
                    asyncio.get_running_loop().create_task(self.act(event.seq))

    async def act(self, seq: int) -> None:
        await asyncio.sleep(self.think)
        for kind in ("check", "call"):
            iq = self.xmpp.make_iq_set(ito=self.table_jid)
            iq["rb_action"]["type"] = kind
            start = time.perf_counter()
            try:
                await iq.send(timeout=10)
            except Exception:  # check refused: call instead; anything else: skip this turn
                continue
            self.sent.append((start, seq))
            return


async def measure(
    server: LocalServer,
    args: argparse.Namespace,
    component: int,
    database_cpu: Callable[[], float] | None = None,
) -> dict[str, Any]:
    register_stanzas()
    rooms: dict[str, str] = json.loads((server.data_dir / "rooms.json").read_text())
    watcher_xmpp = await connect(server, "watcher")
    watcher = Watcher()
    watcher_xmpp.add_event_handler("message", watcher.on_message)
    for room in rooms.values():
        await watcher_xmpp.plugin["xep_0045"].join_muc_wait(
            f"{room}@{server.muc}", "watcher", maxstanzas=0
        )
    probes = []
    for i, (table_id, room) in enumerate(sorted(rooms.items())[: args.probes]):
        nick = f"probe{i}"
        xmpp = await connect(server, nick)
        probe = Probe(xmpp, nick, f"{table_id}@{server.component}", args.think)
        xmpp.add_event_handler("message", probe.on_message)
        await xmpp.plugin["xep_0045"].join_muc_wait(f"{room}@{server.muc}", nick, maxstanzas=0)
        iq = xmpp.make_iq_set(ito=probe.table_jid)
        iq["rb_action"]["type"] = "sit"
        await iq.send(timeout=10)
        probes.append(probe)
    await asyncio.sleep(args.warmup)
    assert server.pid is not None
    pid = server.pid
    probes_cpu: dict[str, Callable[[], float]] = {
        "component": lambda: cpu_seconds(component),
        "component_kernel": lambda: system_seconds(component),
        "ejabberd": lambda: cpu_seconds(pid),
    }
    if database_cpu is not None:
        probes_cpu["postgres"] = database_cpu
    cpu0 = {name: read() for name, read in probes_cpu.items()}
    watcher.counting = True
    start = time.perf_counter()
    await asyncio.sleep(args.seconds)
    elapsed = time.perf_counter() - start
    watcher.counting = False
    cpu = {name: read() - cpu0[name] for name, read in probes_cpu.items()}
    latencies = []
    for probe in probes:
        for sent, _seq in probe.sent:
            arrived = [
                t for (nick, _s), t in watcher.arrivals.items() if nick == probe.nick and t >= sent
            ]
            if arrived:
                latencies.append(min(arrived) - sent)
    for xmpp in [watcher_xmpp, *(p.xmpp for p in probes)]:
        xmpp.disconnect()
    return {
        "hands": watcher.hands, "actions": watcher.actions, "elapsed": elapsed, "cpu": cpu,
        "latencies": latencies,
    }


def report(args: argparse.Namespace, store: str, result: dict[str, Any]) -> None:
    hands, elapsed, cpu = result["hands"], result["elapsed"], result["cpu"]
    lat = sorted(result["latencies"])
    print(
        f"\n{args.tables} tables, bots thinking {args.think} s, {args.seconds:.0f} s measured,"
        f" store {store}"
    )
    actions = result["actions"] / hands if hands else 0.0
    print(
        f"  hands: {hands}  ({hands / elapsed:.1f} hands/s, {actions:.1f} player actions a hand,"
        f" bots: {args.strategy})"
    )
    if len(lat) >= 2:
        q = statistics.quantiles(lat, n=100)
        print(
            f"  action -> broadcast (another client): p50 {statistics.median(lat) * 1e3:.1f} ms"
            f"  p99 {q[98] * 1e3:.1f} ms  (n={len(lat)})"
        )
    if hands:
        per = {k: v / hands * 1e3 for k, v in cpu.items()}
        print(
            f"  CPU per hand: component {per['component']:.2f} ms"
            f" (kernel {per['component_kernel']:.2f} ms),"
            f" ejabberd {per['ejabberd']:.2f} ms (baseline),"
            f" ratio {per['component'] / max(per['ejabberd'], 1e-9):.2f}"
        )
        if "postgres" in per:
            print(f"  CPU per hand: PostgreSQL {per['postgres']:.2f} ms (postmaster + backends)")
        print(
            "  CPU use: "
            + ", ".join(f"{name} {used / elapsed * 100:.0f}%" for name, used in cpu.items())
            + " of one core"
        )


def summary(store: str, result: dict[str, Any]) -> dict[str, float | str | None]:
    hands, cpu = result["hands"], result["cpu"]
    per = {k: v / hands * 1e3 if hands else None for k, v in cpu.items()}
    return {
        "store": store,
        "rate": hands / result["elapsed"],
        "component": per["component"],
        "ejabberd": per["ejabberd"],
        "postgres": per.get("postgres"),
    }


def run_once(args: argparse.Namespace, kind: str, stores: Stores) -> dict[str, Any]:
    """One load run with its own ejabberd, component (on the store ``kind``) and bots."""
    delay = (
        args.next_hand_delay
        if args.next_hand_delay is not None
        else (0.0 if args.think == 0 else 2.0)
    )
    with tempfile.TemporaryDirectory(prefix="riverboat-bench-") as tmp:
        data = Path(tmp)
        store_url = stores.url(kind, data)
        c2s, comp, http = free_ports(3)
        server = start_server(
            data, kind=ServerKind.EJABBERD, c2s_port=c2s, component_port=comp, http_port=http
        )
        children = []
        try:
            serve = spawn(
                [
                    "serve",
                    "--data-dir",
                    tmp,
                    "--tables",
                    str(args.tables),
                    "--action-time",
                    "10",
                    "--next-hand-delay",
                    str(delay),
                    "--store",
                    store_url,
                    "--loop",
                    args.loop,
                ],
                data / "serve.log",
            )
            children.append(serve)
            deadline = time.monotonic() + 60
            while b" ready with " not in (data / "serve.log").read_bytes():
                if time.monotonic() > deadline or serve.poll() is not None:
                    sys.exit("the component did not start: " + (data / "serve.log").read_text())
                time.sleep(0.2)
            children.append(
                spawn(
                    [
                        "bots",
                        "--data-dir",
                        tmp,
                        "--tables",
                        str(args.tables),
                        "--per-table",
                        str(args.per_table),
                        "--think",
                        str(args.think),
                        "--strategy",
                        args.strategy,
                    ],
                    data / "bots.log",
                    args.bots_nice,
                )
            )
            result = asyncio.run(measure(server, args, serve.pid, stores.cpu_probe(kind)))
            report(args, kind, result)
            return result
        finally:
            for child in reversed(children):
                terminate(child.pid, 10.0)
                child.wait()
            stop_server(data)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tables", type=int, default=50)
    parser.add_argument(
        "--server-src", default=None,
        help="run the game server and the bots from this src folder (another checkout of the"
        " project): two versions compared under the same measuring code",
    )
    parser.add_argument(
        "--strategy", choices=STRATEGIES, default="calling",
        help="the bots' strategy (calling: every hand a 6-way showdown, the most work a hand"
        " can make; equity: hands as players play them, most ending before the river)",
    )
    parser.add_argument("--per-table", type=int, default=5, help="bots per table (5)")
    parser.add_argument("--think", type=float, default=0.5)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--probes", type=int, default=10, help="tables with a probe player")
    parser.add_argument("--next-hand-delay", type=float, default=None)
    parser.add_argument("--loop", choices=("uvloop", "asyncio"), default="uvloop",
                        help="the component's event loop (riverboat serve --loop)")
    parser.add_argument(
        "--bots-nice",
        type=int,
        default=10,
        help="niceness of the bots' process (10): the load generator yields the CPU to the"
        " system measured (component, ejabberd, store) and to the measuring clients",
    )
    parser.add_argument(
        "--stores",
        default="none",
        help="comma-separated stores to run the same load on, in order: none, sqlite,"
        " postgresql (default: none)",
    )
    args = parser.parse_args()
    global SERVER_SRC  # noqa: PLW0603 - read by spawn(), set once here
    SERVER_SRC = args.server_src
    try:
        kinds = parse_kinds(args.stores)
    except ValueError as exc:
        parser.error(str(exc))
    stores = Stores()
    rows = []
    try:
        for kind in kinds:
            rows.append(summary(kind, run_once(args, kind, stores)))
    finally:
        stores.close()
    if len(rows) > 1:
        print_table(rows)


if __name__ == "__main__":
    main()
