"""Where a client connects, and the slixmpp client object made for it.

Passwords travel in the clear only to a loopback host (the local development server, which has
no certificates), as :mod:`riverboat.devserver.loopback` does; anywhere else slixmpp's defaults
apply: STARTTLS or direct TLS, and no password over an unencrypted stream.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
PLAINTEXT_MECHANISMS: dict[str, Any] = {
    "feature_mechanisms": {"unencrypted_plain": True, "unencrypted_scram": True},
}
PLUGINS = ("xep_0030", "xep_0004", "xep_0128", "xep_0045", "xep_0199")


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


class _LocalServerLike(Protocol):
    @property
    def client_host(self) -> str: ...
    @property
    def client_port(self) -> int: ...
    @property
    def domain(self) -> str: ...
    @property
    def component(self) -> str: ...


@dataclass(frozen=True, slots=True)
class ServerAddress:
    """An XMPP server and the Riverboat component on it."""

    host: str
    port: int
    domain: str
    """The virtual host of the accounts (``example.org``)."""
    component: str = ""
    """The game component's domain; default ``games.<domain>``."""

    @property
    def games(self) -> str:
        return self.component or f"games.{self.domain}"

    @property
    def plaintext(self) -> bool:
        """Whether passwords may go over an unencrypted stream (loopback only)."""
        return is_loopback(self.host)

    @classmethod
    def from_local_server(cls, server: _LocalServerLike) -> ServerAddress:
        """The address of a ``riverboat.devserver.LocalServer`` (duck-typed: no import)."""
        return cls(server.client_host, server.client_port, server.domain, server.component)


def make_xmpp(address: ServerAddress, jid: str, password: str) -> Any:
    """A ``slixmpp.ClientXMPP`` for ``jid`` with the plugins the client uses."""
    from slixmpp import ClientXMPP

    from riverboat.protocol.stanzas import register_stanzas

    config = PLAINTEXT_MECHANISMS if address.plaintext else {}
    xmpp = ClientXMPP(jid, password, plugin_config=config)
    if address.plaintext:
        xmpp.enable_direct_tls = False  # the local c2s port speaks plain XMPP
    for plugin in PLUGINS:
        xmpp.register_plugin(plugin)
    register_stanzas()
    return xmpp
