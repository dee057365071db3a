"""Helpers for tests that run the game component in-process and plain slixmpp clients.

The plain client here uses only slixmpp's standard plugins (disco, MUC): no Riverboat code.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slixmpp import ClientXMPP, Message

from riverboat.devserver import LocalServer
from riverboat.devserver.accounts import register_account
from riverboat.devserver.errors import RegistrationError
from riverboat.server.component import GameComponent
from riverboat.server.run import build_component, run_component
from riverboat.server.settings import ServerSettings, TableSpec, settings_for_server
from riverboat.table.config import TableConfig, Variant

PLAINTEXT = {"feature_mechanisms": {"unencrypted_plain": True, "unencrypted_scram": True}}


def settings_for(
    server: LocalServer, data_dir: Path, tables: tuple[TableSpec, ...] | None = None
) -> ServerSettings:
    return settings_for_server(
        server,
        tables
        or (
            TableSpec(
                "t1",
                "Test NLHE",
                TableConfig(variant=Variant.NLHE, seats=6, blinds=(1, 2), action_time=5),
            ),
        ),
        data_dir=data_dir,
        next_hand_delay=0.2,
        start_delay=0.3,
    )


@asynccontextmanager
async def running_component(settings: ServerSettings) -> AsyncIterator[GameComponent]:
    component = await build_component(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(run_component(component, stop))
    try:
        async with asyncio.timeout(20):
            await component.ready.wait()
        yield component
    finally:
        stop.set()
        await task


@dataclass
class Received:
    mtype: str
    sender: str
    body: str
    xml: str


@dataclass
class PlainClient:
    """A player on a plain slixmpp client: disco, MUC and chat messages, nothing else."""

    user: str
    xmpp: Any
    received: list[Received] = field(default_factory=list)
    inbox: asyncio.Queue[Received] = field(default_factory=asyncio.Queue)

    def say(self, to: str, body: str, mtype: str = "groupchat") -> None:
        self.xmpp.send_message(mto=to, mbody=body, mtype=mtype)

    async def next_matching(self, pattern: str, timeout: float = 10.0) -> Received:
        regex = re.compile(pattern, re.MULTILINE)  # a room message has a line per event
        async with asyncio.timeout(timeout):
            while True:
                item = await self.inbox.get()
                if regex.search(item.body):
                    return item

    async def close(self) -> None:
        self.xmpp.disconnect()
        await asyncio.sleep(0)


async def plain_client(server: LocalServer, user: str, password: str = "pw") -> PlainClient:
    try:
        await register_account(server, user, password)
    except RegistrationError as exc:
        if "conflict" not in str(exc):
            raise
    xmpp = ClientXMPP(f"{user}@{server.domain}/test", password, plugin_config=PLAINTEXT)
    xmpp.enable_direct_tls = False
    for plugin in ("xep_0030", "xep_0004", "xep_0045"):
        xmpp.register_plugin(plugin)
    client = PlainClient(user, xmpp)
    ready = asyncio.Event()

    def on_start(_: Any) -> None:
        xmpp.send_presence()
        ready.set()

    def on_message(message: Message) -> None:
        item = Received(message["type"], str(message["from"]), message["body"], str(message))
        client.received.append(item)
        client.inbox.put_nowait(item)

    xmpp.add_event_handler("session_start", on_start)
    xmpp.add_event_handler("message", on_message)
    xmpp.connect(server.client_host, server.client_port)
    async with asyncio.timeout(15):
        await ready.wait()
    return client


async def lobby(client: PlainClient, component: str) -> dict[str, dict[str, str]]:
    """disco#items then disco#info on every table: {table jid: form values}."""
    disco = client.xmpp.plugin["xep_0030"]
    items = await disco.get_items(jid=component)
    tables = {}
    for jid, _node, _name in items["disco_items"]["items"]:
        info = await disco.get_info(jid=jid)
        form = info["disco_info"]["form"]
        tables[str(jid)] = {k: str(v["value"]) for k, v in form.get_fields().items()}
    return tables


async def join(client: PlainClient, room: str, nick: str | None = None) -> None:
    await client.xmpp.plugin["xep_0045"].join_muc_wait(room, nick or client.user, maxstanzas=0)
