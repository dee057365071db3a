"""The ``open-table`` ad-hoc command (XEP-0050): an admin opens a table at run time; nobody
else can; a bad form opens nothing. Real XMPP servers, component in-process, slixmpp clients."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from slixmpp.exceptions import IqError

from riverboat.devserver import LocalServer
from riverboat.server.admin import read_form
from riverboat.server.component import GameComponent
from riverboat.server.settings import ServerSettings
from riverboat.table.config import Variant
from riverboat.table.errors import ConfigError
from tests.integration.game import (
    PlainClient,
    Received,
    join,
    lobby,
    plain_client,
    running_component,
    settings_for,
)

pytestmark = pytest.mark.integration
NODE = "open-table"
CARD = r"[2-9TJQKA][cdhs]"


def admin_settings(server: LocalServer, data_dir: Path) -> ServerSettings:
    return replace(settings_for(server, data_dir), admins=(f"admin@{server.domain}",))


async def commander(server: LocalServer, user: str) -> PlainClient:
    client = await plain_client(server, user)
    client.xmpp.register_plugin("xep_0050")
    return client


async def command_list(client: PlainClient, component: str) -> list[str]:
    items = await client.xmpp.plugin["xep_0050"].get_commands(jid=component, timeout=10)
    return [node for _jid, node, _name in items["disco_items"]["items"]]


async def start(client: PlainClient, component: str) -> Any:
    adhoc = client.xmpp.plugin["xep_0050"]
    return await adhoc.send_command(component, NODE, action="execute", timeout=10)


async def submit(client: PlainClient, component: str, first: Any, **values: object) -> Any:
    """Answer the command's form: its defaults, with ``values`` instead where given."""
    offered = first["command"]["form"]
    form = client.xmpp.plugin["xep_0004"].make_form(ftype="submit")
    for var, field in offered.get_fields().items():
        value = values.get(var, field["value"])
        form.add_field(var=var, value="" if value is None else str(value))
    adhoc = client.xmpp.plugin["xep_0050"]
    return await adhoc.send_command(
        component,
        NODE,
        action="complete",
        payload=form,
        sessionid=first["command"]["sessionid"],
        timeout=10,
    )


async def open_table(client: PlainClient, component: str, **values: object) -> Any:
    first = await start(client, component)
    assert first["command"]["status"] == "executing"
    assert set(first["command"]["actions"]) == {"complete"}
    return await submit(client, component, first, **values)


async def lobby_order(client: PlainClient, component: str) -> list[str]:
    """The tables' JIDs in the order disco#items lists them (slixmpp's own reading is a set)."""
    items = await client.xmpp.plugin["xep_0030"].get_items(jid=component, timeout=10)
    return [str(item["jid"]) for item in items["disco_items"]["substanzas"]]


async def seen(client: PlainClient, pattern: str, timeout: float = 10.0) -> Received:
    """The first message ``client`` got that matches, whenever it came (the private hole
    cards and the room's messages of the same hand arrive in either order)."""
    regex = re.compile(pattern)
    async with asyncio.timeout(timeout):
        while True:
            for item in client.received:
                if regex.search(item.body):
                    return item
            await asyncio.sleep(0.05)


def lobby_ids(component: GameComponent) -> list[str]:
    return [t for t in component.titles if component.has_table(t)]


async def test_an_admin_opens_a_table_where_players_sit_and_play(
    any_server: LocalServer, tmp_path: Path
) -> None:
    domain = any_server.component
    async with running_component(admin_settings(any_server, tmp_path)) as component:
        admin = await commander(any_server, "admin")
        alice = await plain_client(any_server, "alice")
        bob = await plain_client(any_server, "bob")
        try:
            assert await command_list(admin, domain) == [NODE]
            first = await start(admin, domain)
            fields = first["command"]["form"].get_fields()
            assert list(fields) == [
                "id", "name", "variant", "seats", "small_blind", "big_blind",
                "small_bet", "big_bet", "ante", "bring_in",
            ]  # fmt: skip
            assert fields["variant"]["type"] == "list-single"
            assert {o["value"] for o in fields["variant"]["options"]} == {v.name for v in Variant}
            done = await submit(
                admin, domain, first, id="plo", name="Omaha 1/2", variant="PLO", seats=6
            )
            assert done["command"]["status"] == "completed"
            [(kind, note)] = done["command"]["notes"]
            assert kind == "info"
            room = component.rooms["plo"].jid.bare
            assert f"plo@{domain}" in note
            assert room in note

            assert await lobby_order(alice, domain) == [f"t1@{domain}", f"plo@{domain}"]
            tables = await lobby(alice, domain)
            form = tables[f"plo@{domain}"]
            assert form["name"] == "Omaha 1/2"
            assert form["variant"] == "PLO"
            assert form["stakes"] == "1/2"
            assert form["seats"] == "6"
            assert form["room"] == room
            assert re.fullmatch(rf"plo-[0-9a-f]{{12}}@{re.escape(any_server.muc)}", room)

            await join(alice, room)
            await join(bob, room)
            alice.say(room, "sit")
            bob.say(room, "sit")
            await seen(alice, r"^hand #1: 2 players")
            hole = await seen(alice, rf"^{CARD} {CARD} {CARD} {CARD}$")  # Omaha: four cards
            assert hole.sender == f"dealer@{domain}/plo"
            assert hole.mtype == "chat"
            assert component.actors["plo"].table.hand is not None
        finally:
            for client in (admin, alice, bob):
                await client.close()


async def test_only_admins_may_run_the_command(any_server: LocalServer, tmp_path: Path) -> None:
    domain = any_server.component
    async with running_component(admin_settings(any_server, tmp_path)) as component:
        admin = await commander(any_server, "admin")
        mallory = await commander(any_server, "mallory")
        try:
            assert await command_list(mallory, domain) == []
            with pytest.raises(IqError) as refused:
                await start(mallory, domain)
            assert refused.value.iq["error"]["condition"] == "forbidden"
            # Nor can a non-admin finish a session an admin started.
            first = await start(admin, domain)
            with pytest.raises(IqError) as hijack:
                await submit(mallory, domain, first, id="evil")
            assert hijack.value.iq["error"]["condition"] == "forbidden"
            assert not component.has_table("evil")
            assert await lobby_order(mallory, domain) == [f"t1@{domain}"]
        finally:
            await admin.close()
            await mallory.close()


async def test_a_bad_form_completes_with_an_error_and_opens_nothing(
    xmpp_server: LocalServer, tmp_path: Path
) -> None:
    domain = xmpp_server.component
    async with running_component(admin_settings(xmpp_server, tmp_path)) as component:
        admin = await commander(xmpp_server, "admin")
        try:
            for values, reason in (
                ({"id": "big", "seats": 12}, "seats must be between 2 and 10, not 12"),
                ({"id": "t1"}, "there is already a table 't1'"),
                ({"id": "Bad Id"}, "table id must be 1 to 16"),
                ({"id": "dealer"}, "table id must be 1 to 16"),
                ({"id": "x", "big_blind": "lots"}, "big_blind must be a whole number"),
                ({"id": "x", "variant": "FLHE", "big_bet": 1}, "FLHE needs 0 < small_bet"),
            ):
                done = await open_table(admin, domain, **values)
                assert done["command"]["status"] == "completed"
                [(kind, note)] = done["command"]["notes"]
                assert kind == "error"
                assert reason in note, note
            assert lobby_ids(component) == ["t1"]
            assert list(component.actors) == ["t1"]
            assert await lobby_order(admin, domain) == [f"t1@{domain}"]
        finally:
            await admin.close()


def test_the_form_reads_into_a_table_config() -> None:
    stud = read_form({"id": "s1", "variant": "STUD", "ante": "1", "bring_in": "2"}, 15.0)
    assert stud.config.blinds == ()
    assert (stud.config.bring_in, stud.config.ante_values()) == (2, (1,))
    assert (stud.config.small_bet, stud.config.big_bet) == (2, 4)
    assert stud.config.action_time == 15.0
    assert stud.name == "STUD 2/4"
    nlhe = read_form({"id": "n1", "small_blind": "5", "big_blind": "10", "big_bet": "99"}, 20.0)
    assert nlhe.config.variant is Variant.NLHE
    assert (nlhe.config.blinds, nlhe.config.big_bet, nlhe.config.seats) == ((5, 10), 0, 6)
    with pytest.raises(ConfigError, match="small blind cannot be above"):
        read_form({"id": "n2", "small_blind": "3", "big_blind": "2"}, 20.0)
    with pytest.raises(ConfigError, match="unknown variant"):
        read_form({"id": "n3", "variant": "HORSE"}, 20.0)
