"""The local development XMPP server: ejabberd or Prosody, project-local, loopback only.

``riverboat xmpp up|down|status`` drives it (``cli.py``); other commands find it with
``load_local_server()``, which reads the state file ``up`` wrote in the data folder.
Names are loaded on first use, so ``riverboat.devserver.cli`` (and the ``riverboat`` command)
starts without importing asyncio or slixmpp.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from riverboat.devserver.accounts import register_account
    from riverboat.devserver.errors import (
        DevServerError,
        NoLocalServerError,
        RegistrationError,
        ServerConflictError,
        ServerNotInstalledError,
        ServerStartError,
    )
    from riverboat.devserver.lifecycle import (
        ServerStatus,
        is_running,
        server_status,
        start_server,
        stop_server,
    )
    from riverboat.devserver.loopback import connect_client, loopback_client, loopback_component
    from riverboat.devserver.settings import DevServerSettings, ServerKind, default_data_dir
    from riverboat.devserver.state import LocalServer, load_local_server

_WHERE = {
    "DevServerError": "errors",
    "DevServerSettings": "settings",
    "LocalServer": "state",
    "NoLocalServerError": "errors",
    "RegistrationError": "errors",
    "ServerConflictError": "errors",
    "ServerKind": "settings",
    "ServerNotInstalledError": "errors",
    "ServerStartError": "errors",
    "ServerStatus": "lifecycle",
    "connect_client": "loopback",
    "default_data_dir": "settings",
    "is_running": "lifecycle",
    "load_local_server": "state",
    "loopback_client": "loopback",
    "loopback_component": "loopback",
    "register_account": "accounts",
    "server_status": "lifecycle",
    "start_server": "lifecycle",
    "stop_server": "lifecycle",
}

__all__ = [
    "DevServerError",
    "DevServerSettings",
    "LocalServer",
    "NoLocalServerError",
    "RegistrationError",
    "ServerConflictError",
    "ServerKind",
    "ServerNotInstalledError",
    "ServerStartError",
    "ServerStatus",
    "connect_client",
    "default_data_dir",
    "is_running",
    "load_local_server",
    "loopback_client",
    "loopback_component",
    "register_account",
    "server_status",
    "start_server",
    "stop_server",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
