"""The local XMPP server tooling against real ejabberd and Prosody processes."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from riverboat.cli import main
from riverboat.devserver import (
    LocalServer,
    RegistrationError,
    ServerConflictError,
    ServerKind,
    ServerStartError,
    connect_client,
    is_running,
    load_local_server,
    loopback_client,
    loopback_component,
    register_account,
    start_server,
    stop_server,
)
from riverboat.devserver.ejabberd import render_ejabberd_config
from riverboat.devserver.layout import ServerLayout
from riverboat.devserver.process import free_ports, pid_alive
from riverboat.devserver.prosody import render_prosody_config
from riverboat.devserver.settings import DevServerSettings

pytestmark = pytest.mark.integration

TIMEOUT = 10.0
STATUS_KEYS = {"domain", "client_host", "client_port", "component", "muc", "pubsub",
               "websocket", "running", "pid", "server"}  # fmt: skip


def _status_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, Any]:
    capsys.readouterr()
    code = main(["xmpp", "status", "--json", "--data-dir", str(data_dir)])
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1, lines
    return code, json.loads(lines[0])


@pytest.mark.parametrize("kind", ["ejabberd", "prosody"])
def test_cli_up_status_down(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c2s, component, http = free_ports(3)
    up = ["xmpp", "up", "--server", kind, "--data-dir", str(tmp_path), "--c2s-port", str(c2s),
          "--component-port", str(component), "--http-port", str(http)]  # fmt: skip
    assert main(up) == 0
    try:
        code, status = _status_json(tmp_path, capsys)
        assert code == 0
        assert status.keys() >= STATUS_KEYS
        assert "component_secret" not in status
        assert status["running"] is True
        assert status["server"] == kind
        assert status["client_host"] == "127.0.0.1"
        assert status["client_port"] == c2s
        assert status["component"] == "games.riverboat.localhost"
        assert status["muc"] == "conference.riverboat.localhost"
        assert status["pubsub"] == "pubsub.riverboat.localhost"
        assert status["websocket"] == f"ws://127.0.0.1:{http}/ws"
        pid = status["pid"]
        assert pid_alive(pid)

        server = load_local_server(tmp_path)
        assert server.pid == pid
        assert server.component_port == component
        assert len(server.component_secret) >= 24
        assert (tmp_path / "xmpp.json").stat().st_mode & 0o077 == 0

        started = time.monotonic()
        assert main(["xmpp", "up", "--data-dir", str(tmp_path)]) == 0  # already up: at once
        assert time.monotonic() - started < 1.0
        assert load_local_server(tmp_path).pid == pid
    finally:
        assert main(["xmpp", "down", "--data-dir", str(tmp_path)]) == 0
    assert not pid_alive(pid)
    code, status = _status_json(tmp_path, capsys)
    assert code == 3
    assert status["running"] is False
    assert status["pid"] is None
    assert main(["xmpp", "down", "--data-dir", str(tmp_path)]) == 0  # nothing to stop

    # a second start reuses the stored secret (and ejabberd its node name and database)
    assert main(["xmpp", "up", "--data-dir", str(tmp_path)]) == 0
    again = load_local_server(tmp_path)
    try:
        assert again.server.value == kind
        assert again.client_port == c2s
        assert again.component_secret == server.component_secret
        assert again.node == server.node
    finally:
        assert stop_server(tmp_path) is True
    assert again.pid is not None
    assert not pid_alive(again.pid)


def test_status_without_server(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, status = _status_json(tmp_path / "never", capsys)
    assert code == 3
    assert status.keys() >= STATUS_KEYS
    assert status["running"] is False
    assert not (tmp_path / "never").exists()


def test_up_refuses_a_taken_port(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        c2s, component = free_ports(2)
        with pytest.raises(ServerConflictError, match=f"port {port}"):
            start_server(tmp_path, kind=ServerKind.PROSODY, c2s_port=c2s,
                         component_port=component, http_port=port)  # fmt: skip


def test_up_that_times_out_stops_the_process(tmp_path: Path) -> None:
    c2s, component, http = free_ports(3)
    with pytest.raises(ServerStartError, match="did not answer") as failure:
        start_server(tmp_path, kind=ServerKind.PROSODY, c2s_port=c2s,
                     component_port=component, http_port=http, timeout=0.0)  # fmt: skip
    assert "prosody" in str(failure.value)
    assert "logs in" in str(failure.value)
    assert load_local_server(tmp_path).pid is None
    assert not any(str(tmp_path) in _cmdline(pid) for pid in _pids())


def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.mark.parametrize("kind", ["ejabberd", "prosody"])
def test_missing_server_names_the_package(
    kind: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr("riverboat.devserver.prosody._CANDIDATES", ())
    assert main(["xmpp", "up", "--server", kind, "--data-dir", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert f"install the Debian package '{kind}'" in error
    assert f"apt-get install {kind}" in error


def _http_get(server: LocalServer, path: str, headers: str = "") -> str:
    request = f"GET {path} HTTP/1.1\r\nHost: {server.domain}\r\n{headers}\r\n"
    with socket.create_connection((server.client_host, server.http_port), timeout=TIMEOUT) as s:
        s.sendall(request.encode())
        return s.recv(4096).decode(errors="replace").splitlines()[0]


def test_websocket_at_ws_and_no_http_api(any_server: LocalServer) -> None:
    assert any_server.websocket == f"ws://127.0.0.1:{any_server.http_port}/ws"
    upgrade = (
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: xmpp\r\n"
    )
    assert " 101 " in _http_get(any_server, "/ws", upgrade)
    assert " 404 " in _http_get(any_server, "/api/status")
    assert " 404 " in _http_get(any_server, "/admin/")


def test_configs_listen_on_loopback_only() -> None:
    settings = DevServerSettings.generate()
    layout = ServerLayout(Path("/srv/rb"), ServerKind.PROSODY)
    ejabberd = render_ejabberd_config(settings)
    prosody = render_prosody_config(settings, layout)
    assert ejabberd.count('ip: "127.0.0.1"') == 3
    assert "mod_http_api" not in ejabberd
    assert "/api" not in ejabberd
    assert "registration_timeout: infinity" in ejabberd
    assert settings.component_secret in ejabberd
    assert 'interfaces = { "127.0.0.1" }' in prosody
    assert "c2s_require_encryption = false" in prosody
    assert "muc_room_locking = false" in prosody
    assert settings.component_secret in prosody


# --- XMPP traffic -------------------------------------------------------------------------


@asynccontextmanager
async def online(client: Any, server: LocalServer | None = None) -> AsyncIterator[Any]:
    """Connect a slixmpp component (``server=None``) or client; wait for its session and, for
    a client, until its initial presence came back (the server now routes chat to it)."""
    loop = asyncio.get_running_loop()
    started: asyncio.Future[None] = loop.create_future()
    available: asyncio.Future[None] = loop.create_future()

    def on_session_start(_event: Any) -> None:
        if not started.done():
            started.set_result(None)

    def on_presence(presence: Any) -> None:
        if presence["from"] == client.boundjid and not available.done():
            available.set_result(None)

    client.add_event_handler("session_start", on_session_start)
    client.add_event_handler("presence_available", on_presence)
    if server is None:
        client.connect()
    else:
        connect_client(client, server)
    try:
        await asyncio.wait_for(started, TIMEOUT)
        if server is not None:
            client.send_presence()
            await asyncio.wait_for(available, TIMEOUT)
        yield client
    finally:
        await asyncio.wait_for(client.disconnect(), TIMEOUT)


def _name(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(3)}"


async def test_register_two_accounts_and_chat(any_server: LocalServer) -> None:
    alice, bob = _name("alice"), _name("bob")
    await register_account(any_server, alice, "alice-pw")
    await register_account(any_server, bob, "bob-pw")
    received: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def on_message(message: Any) -> None:
        if message["type"] == "chat" and not received.done():
            received.set_result(message)

    bob_client = loopback_client(any_server, bob, "bob-pw")
    bob_client.add_event_handler("message", on_message)
    async with (
        online(loopback_client(any_server, alice, "alice-pw"), any_server) as a,
        online(bob_client, any_server),
    ):
        a.send_message(mto=f"{bob}@{any_server.domain}", mbody="hello bob", mtype="chat")
        message = await asyncio.wait_for(received, TIMEOUT)
    assert message["body"] == "hello bob"
    assert message["from"].bare == f"{alice}@{any_server.domain}"


async def test_registration_refuses_a_taken_name(any_server: LocalServer) -> None:
    carol = _name("carol")
    await register_account(any_server, carol, "pw")
    with pytest.raises(RegistrationError, match="conflict"):
        await register_account(any_server, carol, "other")


async def test_component_creates_a_room_and_owns_it(any_server: LocalServer) -> None:
    component = loopback_component(any_server)
    for plugin in ("xep_0030", "xep_0004", "xep_0045"):
        component.register_plugin(plugin)
    muc = component.plugin["xep_0045"]
    room = f"{_name('t1')}@{any_server.muc}"
    dealer = f"dealer@{any_server.component}/t1"
    async with online(component):
        presence, *_ = await muc.join_muc_wait(
            room, "Dealer", presence_options={"pfrom": dealer}, timeout=TIMEOUT
        )
        assert 110 in presence["muc"]["status_codes"]  # this is us
        assert presence["muc"]["affiliation"] == "owner"
        assert presence["muc"]["role"] == "moderator"

        form = component.plugin["xep_0004"].make_form(ftype="submit")
        form.add_field(var="FORM_TYPE", ftype="hidden",
                       value="http://jabber.org/protocol/muc#roomconfig")  # fmt: skip
        form.add_field(var="muc#roomconfig_persistentroom", ftype="boolean", value=True)
        await muc.set_room_config(room, form, ifrom=dealer, timeout=TIMEOUT)
        info = await component.plugin["xep_0030"].get_info(jid=room, ifrom=dealer, timeout=TIMEOUT)
        assert "muc_persistent" in info["disco_info"]["features"]


def test_fixture_servers_are_separate(
    xmpp_server: LocalServer, prosody_server: LocalServer
) -> None:
    assert xmpp_server.data_dir != prosody_server.data_dir
    assert xmpp_server.client_port != prosody_server.client_port
    assert is_running(xmpp_server)
    assert is_running(prosody_server)
    assert xmpp_server.server is ServerKind.EJABBERD
    assert prosody_server.server is ServerKind.PROSODY
