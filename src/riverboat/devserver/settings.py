"""Settings of a local development XMPP server: kind, domain, loopback ports, secrets."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

DEFAULT_DOMAIN = "riverboat.localhost"
LOOPBACK = "127.0.0.1"
DEFAULT_C2S_PORT = 15222
DEFAULT_COMPONENT_PORT = 15347
DEFAULT_HTTP_PORT = 15280
WEBSOCKET_PATH = "/ws"
HOME_ENV = "RIVERBOAT_HOME"
DEFAULT_HOME = ".riverboat"


class ServerKind(Enum):
    """The XMPP servers the tooling can run; the value is the program's name."""

    EJABBERD = "ejabberd"
    PROSODY = "prosody"

    @classmethod
    def from_name(cls, name: str) -> ServerKind:
        key = name.strip().lower()
        for kind in cls:
            if kind.value == key:
                return kind
        known = ", ".join(k.value for k in cls)
        raise ValueError(f"unknown server {name!r}; known: {known}")


def default_data_dir() -> Path:
    """``$RIVERBOAT_HOME`` if set, else ``./.riverboat`` relative to the current folder."""
    home = os.environ.get(HOME_ENV)
    return Path(home) if home else Path.cwd() / DEFAULT_HOME


def new_component_secret() -> str:
    return secrets.token_urlsafe(24)


def new_node_name() -> str:
    """A unique Erlang node name, so several ejabberd instances can coexist on one machine."""
    return f"riverboat-{secrets.token_hex(4)}@localhost"


@dataclass(frozen=True, slots=True)
class DevServerSettings:
    """Everything a server configuration is rendered from.

    Generated values (``component_secret``, ``node_name``) are made once, stored in the data
    folder's state file and reused by later ``up`` commands.
    """

    kind: ServerKind = ServerKind.EJABBERD
    domain: str = DEFAULT_DOMAIN
    host: str = LOOPBACK
    c2s_port: int = DEFAULT_C2S_PORT
    component_port: int = DEFAULT_COMPONENT_PORT
    http_port: int = DEFAULT_HTTP_PORT
    component_secret: str = ""
    node_name: str = ""

    def __post_init__(self) -> None:
        if not self.domain or any(c in self.domain for c in " /@'\"\\"):
            raise ValueError(f"invalid domain {self.domain!r}")
        ports = (self.c2s_port, self.component_port, self.http_port)
        if any(not 0 < port < 65536 for port in ports):
            raise ValueError(f"ports out of range: {ports!r}")
        if len(set(ports)) != len(ports):
            raise ValueError(f"ports must differ: {ports!r}")

    @classmethod
    def generate(cls, **overrides: object) -> DevServerSettings:
        """Defaults with a fresh component secret and node name, then ``overrides``."""
        base = cls(component_secret=new_component_secret(), node_name=new_node_name())
        return replace(base, **overrides)  # type: ignore[arg-type]

    @property
    def component_domain(self) -> str:
        return f"games.{self.domain}"

    @property
    def muc_domain(self) -> str:
        return f"conference.{self.domain}"

    @property
    def pubsub_domain(self) -> str:
        return f"pubsub.{self.domain}"

    @property
    def websocket_url(self) -> str:
        return f"ws://{self.host}:{self.http_port}{WEBSOCKET_PATH}"

    @property
    def ports(self) -> tuple[int, int, int]:
        return (self.c2s_port, self.component_port, self.http_port)
