"""``up``, ``down`` and ``status`` of the local development XMPP server."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from riverboat.devserver import process
from riverboat.devserver.ejabberd import ejabberd_launch, render_ejabberd_config
from riverboat.devserver.errors import (
    NoLocalServerError,
    ServerConflictError,
    ServerStartError,
)
from riverboat.devserver.launch import Launch
from riverboat.devserver.layout import ServerLayout, lock_file, state_file
from riverboat.devserver.probe import wait_for_stream
from riverboat.devserver.prosody import prosody_launch, render_prosody_config
from riverboat.devserver.settings import (
    DevServerSettings,
    ServerKind,
    default_data_dir,
    new_node_name,
)
from riverboat.devserver.state import LocalServer, load_local_server, save_local_server

log = logging.getLogger(__name__)

START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class ServerStatus:
    """What ``status`` reports: the recorded server (None if never started) and whether it runs."""

    server: LocalServer | None
    running: bool


def _folder(data_dir: Path | str | None) -> Path:
    return (Path(data_dir) if data_dir is not None else default_data_dir()).absolute()


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One ``up`` or ``down`` at a time per data folder."""
    with lock_file(folder).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _layout(server: LocalServer) -> ServerLayout:
    return ServerLayout(server.data_dir, server.server)


def is_running(server: LocalServer) -> bool:
    """Whether the recorded PID is alive and is this server (not a reused PID)."""
    if server.pid is None:
        return False
    marker = str(_layout(server).root)
    return process.pid_alive(server.pid) and process.pid_matches(server.pid, marker)


def _load(folder: Path) -> LocalServer | None:
    try:
        return load_local_server(folder)
    except NoLocalServerError:
        if state_file(folder).exists():
            raise
        return None


def _requested(
    base: DevServerSettings,
    *,
    kind: ServerKind | None,
    domain: str | None,
    c2s_port: int | None,
    component_port: int | None,
    http_port: int | None,
) -> DevServerSettings:
    settings = replace(
        base,
        kind=kind or base.kind,
        domain=domain or base.domain,
        c2s_port=c2s_port or base.c2s_port,
        component_port=component_port or base.component_port,
        http_port=http_port or base.http_port,
    )
    if not settings.node_name:
        settings = replace(settings, node_name=new_node_name())
    return settings


def _keep_node_name(settings: DevServerSettings, layout: ServerLayout) -> DevServerSettings:
    """Reuse the node name an existing Mnesia database was made under; record a new one."""
    try:
        recorded = layout.node_file.read_text().strip()
    except FileNotFoundError:
        recorded = ""
    if recorded:
        return replace(settings, node_name=recorded)
    layout.root.mkdir(parents=True, exist_ok=True)
    layout.node_file.write_text(f"{settings.node_name}\n")
    return settings


def _launch(settings: DevServerSettings, layout: ServerLayout) -> tuple[Launch, str]:
    """The command line and the configuration text for ``settings``."""
    if settings.kind is ServerKind.EJABBERD:
        dist_port = process.free_port(settings.host)
        return ejabberd_launch(settings, layout, dist_port), render_ejabberd_config(settings)
    return prosody_launch(layout), render_prosody_config(settings, layout)


def _check_ports(settings: DevServerSettings) -> None:
    flags = ("--c2s-port", "--component-port", "--http-port")
    for port, flag in zip(settings.ports, flags, strict=True):
        if process.port_in_use(settings.host, port):
            raise ServerConflictError(
                f"port {port} on {settings.host} is already in use (another server?): "
                f"stop it, or choose another port with {flag}"
            )


def _answers(server: LocalServer, timeout: float) -> bool:
    pid = server.pid
    return pid is not None and wait_for_stream(
        server.client_host,
        server.client_port,
        server.domain,
        timeout,
        still_starting=lambda: process.pid_alive(pid),
    )


def start_server(
    data_dir: Path | str | None = None,
    *,
    kind: ServerKind | None = None,
    domain: str | None = None,
    c2s_port: int | None = None,
    component_port: int | None = None,
    http_port: int | None = None,
    timeout: float = START_TIMEOUT,
) -> LocalServer:
    """Start the local server in ``data_dir`` and return once it answers an XMPP stream.

    Settings not given come from the data folder's state file (an earlier ``up``), else the
    defaults; the component secret and Erlang node name are generated once and kept. If the
    server already runs with the same settings, this returns at once.
    """
    folder = _folder(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder):
        previous = _load(folder)
        base = previous.settings() if previous else DevServerSettings.generate()
        settings = _requested(
            base,
            kind=kind,
            domain=domain,
            c2s_port=c2s_port,
            component_port=component_port,
            http_port=http_port,
        )
        if previous is not None and is_running(previous):
            return _already_running(previous, settings, timeout)
        return _start(folder, settings, timeout)


def _shown(settings: DevServerSettings, name: str) -> str:
    value = getattr(settings, name)
    return str(value.value if isinstance(value, ServerKind) else value)


def _already_running(
    previous: LocalServer, settings: DevServerSettings, timeout: float
) -> LocalServer:
    recorded = previous.settings()
    differences = [
        f"{name.replace('kind', 'server')} {_shown(recorded, name)}, not {_shown(settings, name)}"
        for name in ("kind", "domain", "c2s_port", "component_port", "http_port")
        if getattr(recorded, name) != getattr(settings, name)
    ]
    if differences:
        raise ServerConflictError(
            f"{previous.server.value} already runs in {str(previous.data_dir)!r} "
            f"(pid {previous.pid}) with {'; '.join(differences)}: "
            f"run `riverboat xmpp down` first"
        )
    if _answers(previous, timeout):
        return previous
    raise ServerStartError(
        f"{previous.server.value} runs (pid {previous.pid}) but does not answer an XMPP stream "
        f"on {previous.client_host}:{previous.client_port}; logs in {_layout(previous).log_dir}\n"
        + process.tail(_layout(previous).log_files)
    )


def _start(folder: Path, settings: DevServerSettings, timeout: float) -> LocalServer:
    layout = ServerLayout(folder, settings.kind)
    if settings.kind is ServerKind.EJABBERD:
        settings = _keep_node_name(settings, layout)
    launch, config = _launch(settings, layout)  # raises ServerNotInstalledError first
    _check_ports(settings)
    layout.make_dirs()
    layout.config_file.write_text(config)
    layout.config_file.chmod(0o600)
    layout.console_log.write_bytes(b"")
    started = time.monotonic()
    pid = process.spawn(launch, layout.console_log)
    process.write_pid_file(layout.pid_file, pid)
    server = LocalServer.from_settings(settings, folder, pid)
    save_local_server(server)
    if _answers(server, timeout):
        log.info("%s up in %.1f s (pid %d)", settings.kind.value, time.monotonic() - started, pid)
        return server
    died = not process.pid_alive(pid)
    if not died:
        process.terminate(pid, STOP_TIMEOUT)
    layout.pid_file.unlink(missing_ok=True)
    save_local_server(server.with_pid(None))
    reason = "exited while starting" if died else f"did not answer within {timeout:g} s"
    raise ServerStartError(
        f"{settings.kind.value} {reason} (XMPP stream on {settings.host}:{settings.c2s_port}); "
        f"logs in {layout.log_dir}\n" + process.tail(layout.log_files)
    )


def stop_server(data_dir: Path | str | None = None, *, timeout: float = STOP_TIMEOUT) -> bool:
    """Stop the local server by its PID (SIGTERM, then SIGKILL after ``timeout``).

    Returns True if a running server was stopped, False if none ran.
    """
    folder = _folder(data_dir)
    if not folder.is_dir():
        return False
    with _locked(folder):
        server = _load(folder)
        if server is None:
            return False
        if server.pid is None:
            recorded = process.read_pid_file(_layout(server).pid_file)
            server = server.with_pid(recorded)
        running = is_running(server)
        if running and server.pid is not None and process.terminate(server.pid, timeout):
            log.warning("%s did not stop on SIGTERM; killed", server.server.value)
        _layout(server).pid_file.unlink(missing_ok=True)
        save_local_server(server.with_pid(None))
        return running


def server_status(data_dir: Path | str | None = None) -> ServerStatus:
    """The recorded server in ``data_dir`` and whether its process runs."""
    server = _load(_folder(data_dir))
    if server is None:
        return ServerStatus(server=None, running=False)
    running = is_running(server)
    return ServerStatus(server=server if running else server.with_pid(None), running=running)
