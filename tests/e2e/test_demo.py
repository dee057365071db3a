"""The main job as a person runs it: `riverboat demo`, then join with a plain XMPP client."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import pytest

from riverboat.devserver import ServerKind, load_local_server, start_server, stop_server
from riverboat.devserver.process import free_ports
from tests.integration.game import PlainClient, join, plain_client

pytestmark = pytest.mark.integration
CARD = r"[2-9TJQKA][cdhs]"


async def read_welcome(demo: asyncio.subprocess.Process) -> str:
    assert demo.stdout is not None
    lines: list[str] = []
    async with asyncio.timeout(90):
        while not any(line.startswith("Your hole cards") for line in lines):
            raw = await demo.stdout.readline()
            if not raw:
                raise AssertionError("demo ended early:\n" + "".join(lines))
            lines.append(raw.decode())
    return "".join(lines)


async def play_until_a_bot_acts(me: PlainClient, room: str) -> None:
    """Answer my turns (check, else call) until a bot's action is announced (the dealer's
    room messages have a line per event)."""
    async with asyncio.timeout(60):
        while True:
            item = await me.inbox.get()
            if re.search(r"^bot-\S+ (checks|calls|folds|bets|raises)", item.body, re.MULTILINE):
                return
            if re.search(r"^me \(seat \d+\) to act$", item.body, re.MULTILINE):
                me.say(room, "check")
            elif item.mtype == "chat" and item.body.startswith("cannot check"):
                me.say(room, "call")


async def test_demo_runs_and_a_person_can_play(tmp_path: Path) -> None:
    c2s, component, http = free_ports(3)
    start_server(
        tmp_path, kind=ServerKind.EJABBERD, c2s_port=c2s, component_port=component, http_port=http
    )
    server = load_local_server(tmp_path)
    try:
        demo = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "riverboat.cli",
            "demo",
            "--data-dir",
            str(tmp_path),
            "--tables",
            "2",
            "--per-table",
            "2",
            "--exit-after",
            "40",
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        welcome = await read_welcome(demo)
        account = re.search(r"account\s+(\S+)@(\S+)", welcome)
        password = re.search(r"password\s+(\S+)", welcome)
        room = re.search(rf"t1\s+(\S+@{re.escape(server.muc)})", welcome)
        assert account, welcome
        assert password, welcome
        assert room, welcome
        assert f"port {server.client_port}" in welcome
        me = await plain_client(server, account.group(1), password.group(1))
        try:
            await join(me, room.group(1), nick="me")
            me.say(room.group(1), "sit")
            await me.next_matching(r"^me sits in seat \d+", timeout=15)
            cards = await me.next_matching(rf"^{CARD} {CARD}$", timeout=30)
            assert cards.sender == f"dealer@{server.component}/t1"
            assert cards.mtype == "chat"
            await play_until_a_bot_acts(me, room.group(1))
            # The buy-in came from the wallet (10000 to start; the 1/2 table's buy-in is 200).
            me.say(f"dealer@{server.component}/t1", "balance", mtype="chat")
            wallet = await me.next_matching(r"^wallet: ", timeout=10)
            assert wallet.body.startswith("wallet: 9800 chips; on tables: "), wallet.body
        finally:
            await me.close()
        async with asyncio.timeout(60):
            code = await demo.wait()
        assert demo.stdout is not None
        tail = (await demo.stdout.read()).decode()
        assert code == 0, tail
        assert "stopped everything it started" in tail
        # The demo found the server running: it leaves it running, and only it.
        assert load_local_server(tmp_path).pid == server.pid
        # Everything the demo played is in its store, and the ledger balances.
        audit = subprocess.run(
            [sys.executable, "-m", "riverboat.cli", "audit", "--data-dir", str(tmp_path)],
            capture_output=True, text=True, timeout=120, check=False,
        )
        assert audit.returncode == 0, audit.stdout + audit.stderr
        assert re.match(r"ledger balanced: \d+ chips in play, 0 discrepancies", audit.stdout)
    finally:
        stop_server(tmp_path)
