"""Crash safety over a real ejabberd: the game server killed with SIGKILL again and again while
bots play, the XMPP server restarted under a running game; afterwards the audit is clean, every
finished hand is stored exactly once, sequence numbers never go back, and the tables play on.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from riverboat.devserver import LocalServer, ServerKind, start_server, stop_server
from riverboat.store import Store
from riverboat.table import events as ev
from tests.integration.conftest import start_on_free_ports
from tests.integration.test_bots_long import fleet_of, spectator, until

pytestmark = pytest.mark.integration

TABLES = ("t1", "t2", "t3", "t4")
KILLS = int(os.environ.get("RIVERBOAT_CHAOS_KILLS", "20"))
HANDS = int(os.environ.get("RIVERBOAT_CHAOS_HANDS", "500"))
# The store under test: sqlite (CI's run) or postgresql (RIVERBOAT_CHAOS_STORE=postgresql).
STORE = os.environ.get("RIVERBOAT_CHAOS_STORE", "sqlite")


class GameServer:
    """``riverboat serve`` as a child process that the test kills and starts again."""

    def __init__(self, server: LocalServer, store: str, log: Path) -> None:
        self.server = server
        self.store = store
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def _readies(self) -> int:
        return self.log.read_text().count(" ready with ") if self.log.exists() else 0

    async def start(self) -> None:
        before = self._readies()
        with self.log.open("ab") as out:
            proc = self.proc = subprocess.Popen(
                [
                    sys.executable, "-m", "riverboat.cli", "serve",
                    "--data-dir", str(self.server.data_dir), "--tables", str(len(TABLES)),
                    "--action-time", "3", "--next-hand-delay", "0.05", "--store", self.store,
                ],
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        self.starts += 1
        await until(lambda: self._readies() > before or proc.poll() is not None, 60,
                    "the game server's start")
        assert proc.poll() is None, self.log.read_text()[-3000:]

    def kill(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def terminate(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def own_ejabberd(tmp_path: Path) -> Iterator[LocalServer]:
    """An ejabberd of this test's own (the test restarts it)."""
    server = start_on_free_ports(tmp_path / "xmpp", ServerKind.EJABBERD)
    try:
        yield server
    finally:
        stop_server(server.data_dir)


async def stored_hands(url: str) -> dict[str, list[tuple[int, float]]]:
    store = await Store.open(url)
    try:
        hands: dict[str, list[tuple[int, float]]] = {t: [] for t in TABLES}
        async for hand in store.hands():  # stored by table JID: t1@<component>
            table_id = hand.table_id.partition("@")[0]
            hands.setdefault(table_id, []).append((hand.hand_no, hand.ended_at.timestamp()))
        return hands
    finally:
        await store.close()


def audit(url: str) -> str:
    """``riverboat audit`` as an operator runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "riverboat.cli", "audit", "--store", url],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.timeout(900)
async def test_sigkill_at_random_moments_loses_nothing(
    own_ejabberd: LocalServer, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    rng = random.Random(int(os.environ.get("RIVERBOAT_CHAOS_SEED", str(time.time_ns()))))
    url = (
        str(request.getfixturevalue("pg_store_url")) if STORE == "postgresql"
        else f"sqlite:///{tmp_path / 'riverboat.db'}"
    )
    game = GameServer(own_ejabberd, url, tmp_path / "serve.log")
    await game.start()
    try:
        async with (
            spectator(own_ejabberd, "chaos-rail", TABLES) as rail,
            fleet_of(own_ejabberd, len(TABLES), 4, seed=rng.randrange(1 << 30)),
        ):
            restarts: list[float] = []
            for _ in range(KILLS):
                await asyncio.sleep(rng.uniform(0.3, 3.0))
                game.kill()
                await asyncio.sleep(rng.uniform(0.0, 0.5))
                restarts.append(time.time())
                await game.start()
            # Play on until the hands are there, and every table finished hands since the
            # last restart.
            deadline = time.monotonic() + 420
            while True:
                hands = await stored_hands(url)
                total = sum(len(h) for h in hands.values())
                last_start = restarts[-1] if restarts else 0.0
                fresh = all(any(at > last_start for _, at in hands[t]) for t in TABLES)
                if total >= HANDS and fresh:
                    break
                assert time.monotonic() < deadline, f"only {total} hands stored; fresh: {fresh}"
                await asyncio.sleep(2)
            ended_seen = {t: [e.hand_no for e in rail.of(t, ev.HandEnded)] for t in TABLES}
            started_seen = {t: rail.of(t, ev.HandStarted) for t in TABLES}
            seqs = {t: [e.seq for e in rail.events[t]] for t in TABLES}
    finally:
        game.terminate()

    hands = await stored_hands(url)
    # Hands a kill interrupted, as the restarted server reported them: each went on and ended.
    interrupted = re.findall(r"table (\S+) restored: hand (\d+) in progress", game.log.read_text())
    assert len(interrupted) >= KILLS // 4, "the kills should land in hands"
    for table_id, hand_no in interrupted:
        assert int(hand_no) in {n for n, _ in hands[table_id]}, (table_id, hand_no)
    for table_id in TABLES:
        numbers = [n for n, _ in hands[table_id]]
        # Stored once each (the store refuses a second copy) and none missing.
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), table_id
        # What the room saw end was stored, and ended once.
        assert len(ended_seen[table_id]) == len(set(ended_seen[table_id])), table_id
        assert set(ended_seen[table_id]) <= set(numbers), table_id
        # Sequence numbers never went back nor repeated across the restarts.
        assert all(a < b for a, b in zip(seqs[table_id], seqs[table_id][1:], strict=False))
        # An interrupted hand goes on after the restart: it is never started twice.
        started = [e.hand_no for e in started_seen[table_id]]
        assert len(started) == len(set(started)), table_id
    assert game.starts == KILLS + 1
    assert sum(len(h) for h in hands.values()) >= HANDS
    out = audit(url)
    assert "ledger balanced:" in out
    assert " 0 discrepancies" in out


async def test_restarting_the_xmpp_server_loses_nothing(
    own_ejabberd: LocalServer, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'riverboat.db'}"
    game = GameServer(own_ejabberd, url, tmp_path / "serve.log")
    await game.start()

    async def counts() -> dict[str, int]:
        return {t: len(h) for t, h in (await stored_hands(url)).items()}

    try:
        async with fleet_of(own_ejabberd, 2, 3, seed=7):
            await until_async(lambda c: sum(c.values()) >= 10, counts, 60)
            before = await counts()
            stop_server(own_ejabberd.data_dir)  # every connection drops: players and game
            await asyncio.sleep(1.0)
            start_server(own_ejabberd.data_dir)  # same ports, same rooms (persistent)
            # The game reconnects, rejoins its rooms and the bots theirs; the tables play on.
            await until_async(
                lambda c: all(c[t] >= before[t] + 5 for t in ("t1", "t2")), counts, 120
            )
    finally:
        game.terminate()
    assert game.proc is not None
    assert game.proc.returncode == 0
    assert "disconnected from the XMPP server" in game.log.read_text()
    hands = await stored_hands(url)
    for table_id in ("t1", "t2"):
        numbers = [n for n, _ in hands[table_id]]
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), table_id
    assert "ledger balanced:" in audit(url)


async def until_async(
    check: Callable[[dict[str, int]], bool],
    probe: Callable[[], Awaitable[dict[str, int]]],
    timeout: float,
) -> None:
    async with asyncio.timeout(timeout):
        while not check(await probe()):
            await asyncio.sleep(1.0)
