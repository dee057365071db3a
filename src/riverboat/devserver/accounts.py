"""Accounts on the local server: in-band registration (XEP-0077) from Python."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from riverboat.devserver.errors import RegistrationError
from riverboat.devserver.loopback import connect_client, loopback_client
from riverboat.devserver.state import LocalServer


def _describe_error(exc: Any) -> str:
    error = exc.iq["error"]
    text = error["text"]
    return f"{error['condition']}" + (f": {text}" if text else "")


async def register_account(
    server: LocalServer, user: str, password: str, *, timeout: float = 15.0
) -> None:
    """Create ``user@<domain>`` with ``password`` by in-band registration over loopback.

    Raises ``RegistrationError`` if the server refuses (``conflict``: the name is taken) or
    does not answer within ``timeout`` seconds.
    """
    from slixmpp.exceptions import IqError, IqTimeout

    if not user or "@" in user or "/" in user:
        raise ValueError(f"invalid user name {user!r}")
    client = loopback_client(server, user, password)
    for plugin in ("xep_0030", "xep_0004", "xep_0066", "xep_0077"):
        client.register_plugin(plugin)
    client.plugin["xep_0077"].force_registration = True
    loop = asyncio.get_running_loop()
    outcome: asyncio.Future[None] = loop.create_future()

    def finish(error: Exception | None) -> None:
        if not outcome.done():
            if error is None:
                outcome.set_result(None)
            else:
                outcome.set_exception(error)

    async def on_register(_form: Any) -> None:
        iq = client.Iq()
        iq["type"] = "set"
        iq["register"]["username"] = user
        iq["register"]["password"] = password
        try:
            await iq.send(timeout=timeout)
        except IqError as exc:
            finish(RegistrationError(f"registration of {user!r} refused: {_describe_error(exc)}"))
        except IqTimeout:
            finish(RegistrationError(f"registration of {user!r}: no answer"))
        else:
            finish(None)

    def on_lost(_event: Any) -> None:
        finish(RegistrationError(f"registration of {user!r}: connection lost"))

    client.add_event_handler("register", on_register)
    client.add_event_handler("connection_failed", on_lost)
    client.add_event_handler("disconnected", on_lost)
    connect_client(client, server)
    try:
        await asyncio.wait_for(asyncio.shield(outcome), timeout)
    except TimeoutError:
        raise RegistrationError(f"registration of {user!r}: timed out") from None
    finally:
        with contextlib.suppress(TimeoutError, OSError):
            await asyncio.wait_for(client.disconnect(), 5.0)
