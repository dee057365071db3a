"""Fixtures that run real XMPP servers: each on free loopback ports in a temporary folder,
started once per test session and stopped by PID at its end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from riverboat.devserver import (
    LocalServer,
    ServerKind,
    is_running,
    start_server,
    stop_server,
)
from riverboat.devserver.process import free_ports


def start_on_free_ports(data_dir: Path, kind: ServerKind) -> LocalServer:
    c2s, component, http = free_ports(3)
    return start_server(data_dir, kind=kind, c2s_port=c2s, component_port=component, http_port=http)


def _serve(factory: pytest.TempPathFactory, kind: ServerKind) -> Iterator[LocalServer]:
    data_dir = factory.mktemp(kind.value)
    server = start_on_free_ports(data_dir, kind)
    try:
        yield server
    finally:
        stop_server(data_dir)
        assert not is_running(server), f"{kind.value} (pid {server.pid}) survived stop_server"


@pytest.fixture(scope="session")
def xmpp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """ejabberd (the default server) for the whole session."""
    yield from _serve(tmp_path_factory, ServerKind.EJABBERD)


@pytest.fixture(scope="session")
def prosody_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """Prosody for the whole session."""
    yield from _serve(tmp_path_factory, ServerKind.PROSODY)


@pytest.fixture(params=["xmpp_server", "prosody_server"], ids=["ejabberd", "prosody"])
def any_server(request: pytest.FixtureRequest) -> LocalServer:
    """Each server in turn: tests that must hold on ejabberd and on Prosody."""
    server: LocalServer = request.getfixturevalue(request.param)
    return server
