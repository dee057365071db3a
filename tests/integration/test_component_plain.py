"""The game component against a real ejabberd, driven by plain XMPP clients (text commands)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from riverboat.devserver import LocalServer
from tests.integration.game import (
    PlainClient,
    join,
    lobby,
    plain_client,
    running_component,
    settings_for,
)

pytestmark = pytest.mark.integration
CARD = r"[2-9TJQKA][cdhs]"


async def play_by_text(client: PlainClient, room: str, hands: int) -> None:
    """React to the dealer's 'NAME (seat N) to act' lines: check, or call if checking fails.
    The dealer posts each input's events as one message, a line per event."""
    turn = re.compile(rf"{client.user} \(seat \d+\) to act")
    done = 0
    async with asyncio.timeout(90):
        while done < hands:
            item = await client.inbox.get()
            if item.sender.endswith("/Dealer"):
                for line in item.body.splitlines():
                    if re.fullmatch(r"hand #\d+ is over", line):
                        done += 1
                    elif turn.fullmatch(line):
                        client.say(room, "check")
            elif item.mtype == "chat" and item.body.startswith("cannot check"):
                client.say(room, "call")


async def test_plain_clients_browse_sit_and_play_with_text(
    any_server: LocalServer, tmp_path: Path
) -> None:
    async with running_component(settings_for(any_server, tmp_path)) as component:
        alice = await plain_client(any_server, "alice")
        bob = await plain_client(any_server, "bob")
        try:
            tables = await lobby(alice, any_server.component)
            form = tables[f"t1@{any_server.component}"]
            assert form["variant"] == "NLHE"
            assert form["stakes"] == "1/2"
            assert form["seats"] == "6"
            assert form["players"] == "0"
            room = form["room"]
            assert re.fullmatch(rf"t1-[0-9a-f]{{12}}@{re.escape(any_server.muc)}", room)
            await join(alice, room)
            await join(bob, room)
            alice.say(room, "sit")
            bob.say(room, "sit 4 150")
            await alice.next_matching(r"^bob sits in seat 4 with 150$")
            await asyncio.gather(play_by_text(alice, room, 3), play_by_text(bob, room, 3))
            dealer = f"dealer@{any_server.component}/t1"
            for client in (alice, bob):
                private = [
                    r
                    for r in client.received
                    if r.sender == dealer
                    and r.mtype == "chat"
                    and re.fullmatch(rf"{CARD} {CARD}", r.body)
                ]
                assert len(private) >= 3, f"{client.user} got no hole cards privately"
            table = component.actors["t1"].table
            assert (
                sum(s.stack for s in table.seats.values())
                + (table.hand.chips_in_play() if table.hand else 0)
                == 350
            )
            info = await lobby(bob, any_server.component)
            assert info[f"t1@{any_server.component}"]["players"] == "2"
        finally:
            await alice.close()
            await bob.close()
