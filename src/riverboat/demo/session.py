"""The demo session: start, wait for Ctrl-C, stop what was started."""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from riverboat.devserver.accounts import register_account
from riverboat.devserver.errors import DevServerError, RegistrationError
from riverboat.devserver.lifecycle import server_status, start_server, stop_server
from riverboat.devserver.process import terminate
from riverboat.devserver.settings import ServerKind, default_data_dir
from riverboat.devserver.state import LocalServer


def _account(server: LocalServer, user: str) -> tuple[str, str]:
    """The person's account: created once, its password kept in the data folder."""
    path = server.data_dir / "demo-account.json"
    try:
        saved = json.loads(path.read_text())
        if saved.get("user") == user:
            return str(saved["user"]), str(saved["password"])
    except (OSError, ValueError):
        pass
    password = secrets.token_urlsafe(9)
    try:
        asyncio.run(register_account(server, user, password))
    except RegistrationError as exc:
        raise DevServerError(
            f"cannot create the account {user!r}: {exc}; try `riverboat demo --user NAME`"
        ) from exc
    path.write_text(json.dumps({"user": user, "password": password}))
    path.chmod(0o600)
    return user, password


def _spawn(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "riverboat.cli", *args],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def _wait_until_ready(log: Path, offset: int, child: subprocess.Popen[bytes]) -> None:
    """Wait for the game server's "ready" log line (written after it owns its rooms)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise DevServerError(f"the game server exited; see {log}")
        with log.open("rb") as fp:
            fp.seek(offset)
            if b" ready with " in fp.read():
                return
        time.sleep(0.2)
    raise DevServerError(f"the game server was not ready within 30 s; see {log}")


def run_demo(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    was_running = server_status(data_dir).running
    kind = ServerKind(args.server) if args.server else None
    try:
        server = start_server(data_dir, kind=kind)
    except DevServerError as exc:
        print(f"riverboat demo: {exc}", file=sys.stderr)
        return 1
    children: list[subprocess.Popen[bytes]] = []
    logs = server.data_dir / "logs"
    logs.mkdir(exist_ok=True)
    try:
        user, password = _account(server, args.user)
        serve_log = logs / "serve.log"
        offset = serve_log.stat().st_size if serve_log.exists() else 0
        serve = _spawn(["serve", "--data-dir", str(server.data_dir)], serve_log)
        children.append(serve)
        _wait_until_ready(serve_log, offset, serve)
        rooms = json.loads((server.data_dir / "rooms.json").read_text())
        children.append(
            _spawn(
                ["bots", "--data-dir", str(server.data_dir), "--tables", str(args.tables),
                 "--per-table", str(args.per_table)],
                logs / "bots.log",
            )
        )
        _print_welcome(server, user, password, rooms)
        _wait(args.exit_after, children)
    except DevServerError as exc:
        print(f"riverboat demo: {exc}", file=sys.stderr)
        return 1
    finally:
        for child in reversed(children):
            if child.poll() is None:
                terminate(child.pid, 10.0)
            child.wait()
        if not was_running:
            stop_server(data_dir)
        print("riverboat demo: stopped everything it started")
    return 0


def _wait(exit_after: float, children: list[subprocess.Popen[bytes]]) -> None:
    stop = {"now": False}

    def on_signal(signum: int, _frame: object) -> None:
        stop["now"] = True

    old = signal.signal(signal.SIGTERM, on_signal)
    deadline = time.monotonic() + exit_after if exit_after else None
    try:
        while not stop["now"]:
            if deadline is not None and time.monotonic() >= deadline:
                return
            if any(c.poll() is not None for c in children):
                raise DevServerError("a demo process exited; see the logs in the data folder")
            time.sleep(0.3)
    except KeyboardInterrupt:
        return
    finally:
        signal.signal(signal.SIGTERM, old)


def _print_welcome(server: LocalServer, user: str, password: str, rooms: dict[str, str]) -> None:
    jid = f"{user}@{server.domain}"
    lines = [
        "",
        "Riverboat is running. Join with any XMPP client (Gajim, Dino, poezio, Conversations):",
        f"  account   {jid}",
        f"  password  {password}",
        f"  server    {server.client_host} port {server.client_port} (loopback, no TLS: allow",
        "            plaintext / unencrypted login for this local server)",
        "",
        "Tables (join a room, then type 'sit', 'call', 'raise to 20', 'fold', 'help'):",
    ]
    for table_id, name in sorted(rooms.items()):
        lines.append(f"  {table_id}  {name}@{server.muc}")
    lines += [
        f"Lobby: browse the service {server.component} (disco) for all tables.",
        "Your hole cards arrive as private messages from the dealer. Your wallet starts with",
        "10000 play chips: 'balance' shows it, 'history' your last hands. Tables and wallets",
        f"are kept in {server.data_dir / 'riverboat.db'} ('riverboat audit' checks the ledger).",
        "Ctrl-C stops the demo.",
        "",
    ]
    print("\n".join(lines), flush=True)
