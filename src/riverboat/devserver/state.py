"""The state file: what later commands (``serve``, ``bots``, ``demo``) need, with no flags.

``DATA_DIR/xmpp.json`` is one flat JSON object, readable by other tools::

    server            "ejabberd" | "prosody"
    domain            the virtual host, e.g. "riverboat.localhost"
    client_host       where clients connect (always 127.0.0.1)
    client_port       c2s port
    component         the game component's domain, "games.<domain>"
    component_host    where the component connects
    component_port    XEP-0114 port
    component_secret  the component's shared secret (the file is mode 0600)
    muc               "conference.<domain>"
    pubsub            "pubsub.<domain>"
    websocket         "ws://127.0.0.1:<http_port>/ws"
    http_port         the HTTP listener (websocket only)
    node              ejabberd's Erlang node name (kept while Prosody runs, for the next time)
    pid               the server's PID while it runs, else null
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from riverboat.devserver.errors import NoLocalServerError
from riverboat.devserver.layout import state_file
from riverboat.devserver.settings import DevServerSettings, ServerKind, default_data_dir


@dataclass(frozen=True, slots=True)
class LocalServer:
    """A local development XMPP server as recorded in its data folder."""

    data_dir: Path
    server: ServerKind
    domain: str
    client_host: str
    client_port: int
    component: str
    component_host: str
    component_port: int
    component_secret: str
    muc: str
    pubsub: str
    websocket: str
    http_port: int
    node: str
    pid: int | None

    @classmethod
    def from_settings(
        cls, settings: DevServerSettings, data_dir: Path, pid: int | None
    ) -> LocalServer:
        return cls(
            data_dir=data_dir,
            server=settings.kind,
            domain=settings.domain,
            client_host=settings.host,
            client_port=settings.c2s_port,
            component=settings.component_domain,
            component_host=settings.host,
            component_port=settings.component_port,
            component_secret=settings.component_secret,
            muc=settings.muc_domain,
            pubsub=settings.pubsub_domain,
            websocket=settings.websocket_url,
            http_port=settings.http_port,
            node=settings.node_name,
            pid=pid,
        )

    def settings(self) -> DevServerSettings:
        """The settings this server's configuration was rendered from."""
        return DevServerSettings(
            kind=self.server,
            domain=self.domain,
            host=self.client_host,
            c2s_port=self.client_port,
            component_port=self.component_port,
            http_port=self.http_port,
            component_secret=self.component_secret,
            node_name=self.node,
        )

    def with_pid(self, pid: int | None) -> LocalServer:
        return replace(self, pid=pid)

    def to_json(self) -> dict[str, Any]:
        """The state file's object (flat; ``data_dir`` is where the file is, so left out)."""
        data = asdict(self)
        del data["data_dir"]
        data["server"] = self.server.value
        return data

    def describe(self) -> dict[str, Any]:
        """``to_json()`` without the secret, plus where the state file is: for ``status``."""
        data = self.to_json()
        del data["component_secret"]
        data["state_file"] = str(state_file(self.data_dir))
        return data


def _resolve(data_dir: Path | str | None) -> Path:
    return Path(data_dir) if data_dir is not None else default_data_dir()


def load_local_server(data_dir: Path | str | None = None) -> LocalServer:
    """The local server recorded in ``data_dir`` (default: ``$RIVERBOAT_HOME`` or
    ``./.riverboat``). ``pid`` is None when it was stopped; it is not checked here.

    Raises ``NoLocalServerError`` when ``riverboat xmpp up`` never ran there.
    """
    folder = _resolve(data_dir).absolute()
    path = state_file(folder)
    try:
        raw = json.loads(path.read_text())
    except FileNotFoundError:
        raise NoLocalServerError(
            f"no local XMPP server in {str(folder)!r}: run `riverboat xmpp up` "
            f"(with the same --data-dir or RIVERBOAT_HOME)"
        ) from None
    except (OSError, ValueError) as exc:
        raise NoLocalServerError(f"unreadable state file {str(path)!r}: {exc}") from exc
    try:
        pid = raw["pid"]
        return LocalServer(
            data_dir=folder,
            server=ServerKind.from_name(str(raw["server"])),
            domain=str(raw["domain"]),
            client_host=str(raw["client_host"]),
            client_port=int(raw["client_port"]),
            component=str(raw["component"]),
            component_host=str(raw["component_host"]),
            component_port=int(raw["component_port"]),
            component_secret=str(raw["component_secret"]),
            muc=str(raw["muc"]),
            pubsub=str(raw["pubsub"]),
            websocket=str(raw["websocket"]),
            http_port=int(raw["http_port"]),
            node=str(raw["node"]),
            pid=int(pid) if pid is not None else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise NoLocalServerError(f"bad state file {str(path)!r}: {exc!r}") from exc


def save_local_server(server: LocalServer) -> None:
    """Write the state file atomically, readable by its owner only (it holds the secret)."""
    path = state_file(server.data_dir)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(server.to_json(), out, indent=2)
        out.write("\n")
    os.replace(temporary, path)
