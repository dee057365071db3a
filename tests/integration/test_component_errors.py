"""Every error condition answered with its typed error; impersonation and squatting change
nothing. Real ejabberd, component in-process, slixmpp clients."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from slixmpp.exceptions import IqError

from riverboat.devserver import LocalServer
from riverboat.protocol.namespace import NS
from riverboat.protocol.stanzas import register_stanzas
from tests.integration.game import (
    PlainClient,
    join,
    lobby,
    plain_client,
    running_component,
    settings_for,
)

pytestmark = pytest.mark.integration


async def act(client: PlainClient, to: str, kind: str, **attrs: Any) -> None:
    register_stanzas()
    iq = client.xmpp.make_iq_set(ito=to)
    iq["rb_action"]["type"] = kind
    for key, value in attrs.items():
        iq["rb_action"][key] = str(value)
    await iq.send(timeout=10)


async def refused(
    client: PlainClient, to: str, kind: str, **attrs: Any
) -> tuple[str, str, dict[str, str]]:
    """Send an action that must fail: (XMPP condition, app condition, app attributes)."""
    with pytest.raises(IqError) as info:
        await act(client, to, kind, **attrs)
    error = info.value.iq["error"]
    apps = [child for child in error.xml if child.tag.startswith(f"{{{NS}}}")]
    assert len(apps) == 1, f"expected one application condition in {error}"
    assert error["text"], "a readable text comes with every error"
    return error["condition"], apps[0].tag.split("}")[1], dict(apps[0].attrib)


async def snapshot(client: PlainClient, to: str) -> dict[str, Any]:
    register_stanzas()
    iq = client.xmpp.make_iq_get(ito=to)
    iq.enable("rb_table")
    result = await iq.send(timeout=10)
    data: dict[str, Any] = json.loads(result["rb_table"]["json"])
    return data


async def test_each_error_condition_is_typed(any_server: LocalServer, tmp_path: Path) -> None:
    async with running_component(settings_for(any_server, tmp_path)) as component:
        table = f"t1@{any_server.component}"
        alice = await plain_client(any_server, "alice")
        bob = await plain_client(any_server, "bob")
        try:
            assert await refused(alice, f"t99@{any_server.component}", "sit") == (
                "item-not-found",
                "unknown-table",
                {},
            )
            assert (await refused(alice, table, "stand"))[:2] == ("item-not-found", "not-seated")
            assert await refused(alice, table, "sit", amount=10) == (
                "not-acceptable",
                "amount-out-of-range",
                {"min": "40", "max": "200"},
            )
            assert (await refused(alice, table, "dance"))[:2] == ("bad-request", "bad-request")
            assert (await refused(alice, table, "sit", amount="lots"))[:2] == (
                "bad-request",
                "bad-request",
            )
            await act(alice, table, "sit", seat=2, amount=100)
            assert (await refused(bob, table, "sit", seat=2))[:2] == ("conflict", "seat-taken")
            assert (await refused(alice, table, "sit"))[:2] == ("conflict", "already-seated")
            await act(bob, table, "sit", seat=5)
            async with asyncio.timeout(10):
                while (view := await snapshot(alice, table))["to_act"] is None:
                    await asyncio.sleep(0.1)
            actor, waiting = (alice, bob) if view["to_act"] == "alice" else (bob, alice)
            assert (await refused(waiting, table, "call"))[:2] == (
                "unexpected-request",
                "not-your-turn",
            )
            condition, app, attrs = await refused(actor, table, "raise", amount=1)
            assert (condition, app) == ("not-acceptable", "amount-out-of-range")
            assert int(attrs["min"]) == 4
            assert int(attrs["max"]) in (100, 200)
            assert (await refused(actor, table, "check"))[:2] == (
                "not-acceptable",
                "illegal-action",
            )
            seats = {p["player"]: p["seat"] for p in (await snapshot(bob, table))["players"]}
            assert seats == {"alice": 2, "bob": 5}
            # The asker sees their own cards and only theirs.
            mine = {p["player"]: p["cards"] for p in (await snapshot(alice, table))["players"]}
            assert all(mine["alice"])
            assert mine["bob"] == [None, None]
            assert component.actors["t1"].table.hand is not None
        finally:
            await alice.close()
            await bob.close()


async def test_impersonation_and_floods_change_nothing(
    any_server: LocalServer, tmp_path: Path
) -> None:
    async with running_component(settings_for(any_server, tmp_path)) as component:
        table = f"t1@{any_server.component}"
        alice = await plain_client(any_server, "alice")
        bob = await plain_client(any_server, "bob")
        mallory = await plain_client(any_server, "mallory")
        try:
            room = (await lobby(alice, any_server.component))[table]["room"]
            await join(alice, room)
            await join(bob, room)
            await join(mallory, room, nick="Dea1er")
            await act(alice, table, "sit", seat=1)
            await act(bob, table, "sit", seat=2)
            async with asyncio.timeout(10):
                while (before := await snapshot(alice, table))["to_act"] is None:
                    await asyncio.sleep(0.1)
            seq = before["seq"]
            # Acting for another seat: there is no way to name one; mallory has no seat.
            assert (await refused(mallory, table, "fold", seat=1))[:2] == (
                "item-not-found",
                "not-seated",
            )
            # Text commands from a look-alike nick act for the sender's own (absent) seat.
            mallory.say(room, "fold")
            reply = await mallory.next_matching(r"not seated")
            assert reply.sender == f"dealer@{any_server.component}/t1"
            # A forged payload from a non-owner occupant is not an action.
            forged = mallory.xmpp.make_message(mto=room, mtype="groupchat", mbody="alice folds")
            forged.xml.append(
                forged.xml.makeelement(
                    f"{{{NS}}}event", {"type": "player-acted", "seq": str(seq + 1), "table": "t1"}
                )
            )
            forged.send()
            # A flood from one sender is limited; the others are not slowed down.
            results = await asyncio.gather(
                *(act(mallory, table, "stand") for _ in range(40)), return_exceptions=True
            )
            conditions = {r.iq["error"]["condition"] for r in results if isinstance(r, IqError)}
            assert "resource-constraint" in conditions
            await asyncio.sleep(0.5)
            after = await snapshot(alice, table)
            assert after["seq"] == seq, "nothing happened at the table"
            assert after["players"] == before["players"]
            assert component.rooms["t1"].occupants["Dea1er"].affiliation != "owner"
        finally:
            for client in (alice, bob, mallory):
                await client.close()


async def test_a_squatted_room_is_never_used(any_server: LocalServer, tmp_path: Path) -> None:
    """A user who takes the room name first owns it: the component picks another name."""
    squatted = "t1-0123456789ab"
    (tmp_path / "rooms.json").write_text(json.dumps({"t1": squatted}))
    mallory = await plain_client(any_server, "mallory")
    try:
        await join(mallory, f"{squatted}@{any_server.muc}", nick="Dealer")
        async with running_component(settings_for(any_server, tmp_path)) as component:
            room = component.rooms["t1"]
            assert room.owned
            assert room.jid.user != squatted
            form = (await lobby(mallory, any_server.component))[f"t1@{any_server.component}"]
            assert form["room"] == room.jid.bare
            assert json.loads((tmp_path / "rooms.json").read_text())["t1"] == room.jid.user
    finally:
        await mallory.close()
