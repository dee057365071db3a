"""slixmpp clients and components set up for the local server: loopback, no TLS.

slixmpp refuses to send a password over an unencrypted stream unless ``feature_mechanisms``
allows it; the local server has no certificates, so these factories allow PLAIN and SCRAM in
the clear. That is acceptable on 127.0.0.1 only: never use them against a remote server.
"""

from __future__ import annotations

from typing import Any

from riverboat.devserver.state import LocalServer

_LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")

PLAINTEXT_MECHANISMS: dict[str, Any] = {
    "feature_mechanisms": {"unencrypted_plain": True, "unencrypted_scram": True},
}


def _require_loopback(host: str) -> None:
    if host not in _LOOPBACK_HOSTS and not host.startswith("127."):
        raise ValueError(f"refusing plaintext XMPP to non-loopback host {host!r}")


def loopback_client(server: LocalServer, jid: str, password: str) -> Any:
    """A ``slixmpp.ClientXMPP`` for ``jid`` (``user`` or ``user@domain[/resource]``), ready to
    ``connect_client``. Plugins are for the caller to register."""
    from slixmpp import ClientXMPP

    _require_loopback(server.client_host)
    full = jid if "@" in jid else f"{jid}@{server.domain}"
    client = ClientXMPP(full, password, plugin_config=PLAINTEXT_MECHANISMS)
    client.enable_direct_tls = False  # the c2s port speaks plain XMPP, then maybe STARTTLS
    return client


def connect_client(client: Any, server: LocalServer) -> Any:
    """Connect a client made by ``loopback_client``; returns slixmpp's connect future."""
    return client.connect(server.client_host, server.client_port)


def loopback_component(server: LocalServer) -> Any:
    """A ``slixmpp.ComponentXMPP`` for the server's game component domain and secret."""
    from slixmpp import ComponentXMPP

    _require_loopback(server.component_host)
    return ComponentXMPP(
        server.component,
        server.component_secret,
        server.component_host,
        server.component_port,
    )
