"""Table rooms on the server's MUC service: names, ownership, occupants, configuration, voice.

The component creates each room persistent, under a name nobody can guess before it is
announced, sits in it as ``Dealer`` and runs the table only if its own join presence says it
is the owner. Room names are kept in the data folder so that a restart rejoins the same rooms.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slixmpp import JID
from slixmpp.exceptions import IqError, IqTimeout

log = logging.getLogger(__name__)
ROOM_CONFIG = {
    "muc#roomconfig_persistentroom": True,
    "muc#roomconfig_publicroom": True,
    "muc#roomconfig_whois": "moderators",
    "muc#roomconfig_membersonly": False,
    "muc#roomconfig_moderatedroom": False,
    "muc#roomconfig_changesubject": False,
    "muc#roomconfig_passwordprotectedroom": False,
    "muc#roomconfig_allowpm": "anyone",
    "allow_private_messages": True,
    "muc#roomconfig_enablelogging": False,
}


def new_room_name(table_id: str) -> str:
    return f"{table_id}-{secrets.token_hex(6)}"


class RoomBook:
    """The table → room name record in ``DATA_DIR/rooms.json``."""

    def __init__(self, path: Path) -> None:
        self._path = path
        try:
            self._names: dict[str, str] = json.loads(path.read_text())
        except (OSError, ValueError):
            self._names = {}

    def name_for(self, table_id: str) -> str:
        if table_id not in self._names:
            self.replace(table_id)
        return self._names[table_id]

    def replace(self, table_id: str) -> str:
        self._names[table_id] = new_room_name(table_id)
        self._path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._names, indent=1, sort_keys=True))
        tmp.replace(self._path)
        return self._names[table_id]


@dataclass(slots=True)
class Occupant:
    nick: str
    jid: JID | None
    """The occupant's real full JID as the MUC service reports it to the room's owner."""
    affiliation: str
    role: str


@dataclass(slots=True)
class Room:
    table_id: str
    jid: JID
    """The room's bare JID."""
    dealer: JID
    """The component's full JID in this room: dealer@component/table_id."""
    owned: bool = False
    occupants: dict[str, Occupant] = field(default_factory=dict)

    def occupant_jid(self, nick: str) -> JID | None:
        occupant = self.occupants.get(nick)
        return occupant.jid if occupant is not None else None

    def nick_of(self, bare: str) -> str | None:
        for occupant in self.occupants.values():
            if occupant.jid is not None and occupant.jid.bare == bare:
                return occupant.nick
        return None


async def configure_room(xmpp: Any, room: Room, title: str, created: bool) -> None:
    """Answer the room's configuration form as its owner (the dealer): ROOM_CONFIG, ``title``."""
    try:
        ask = xmpp.make_iq_get(ito=room.jid, ifrom=room.dealer)
        ask.enable("mucowner_query")
        form = (await ask.send(timeout=10))["mucowner_query"]["form"]
        submit = xmpp.plugin["xep_0004"].make_form(ftype="submit")
        for var, field_ in form.get_fields().items():
            if var == "FORM_TYPE":
                submit.add_field(var=var, ftype="hidden", value=field_["value"])
            elif var == "muc#roomconfig_roomname":
                submit.add_field(var=var, value=title)
            elif var in ROOM_CONFIG:
                submit.add_field(var=var, value=ROOM_CONFIG[var])
        answer = xmpp.make_iq_set(ito=room.jid, ifrom=room.dealer)
        answer["mucowner_query"].append(submit)
        await answer.send(timeout=10)
    except (IqError, IqTimeout, ValueError) as exc:
        log.warning("table %s: room configuration failed: %s (created=%s)",
                    room.table_id, exc, created)


def send_join(xmpp: Any, room: Room, nick: str) -> None:
    """The dealer's join presence (no history): the room answers with our own presence."""
    presence = xmpp.make_presence(pto=f"{room.jid}/{nick}", pfrom=room.dealer)
    muc = presence.xml.makeelement("{http://jabber.org/protocol/muc}x", {})
    muc.append(muc.makeelement("{http://jabber.org/protocol/muc}history", {"maxstanzas": "0"}))
    presence.xml.append(muc)
    presence.send()


async def mute(xmpp: Any, room: Room, nick: str, seconds: float) -> None:
    """Take an occupant's voice for ``seconds`` (role ``visitor``), then give it back."""
    try:
        await _set_role(xmpp, room, nick, "visitor")
        await asyncio.sleep(seconds)
        if nick in room.occupants:
            await _set_role(xmpp, room, nick, "participant")
    except (IqError, IqTimeout) as exc:
        log.info("table %s: cannot change %s's voice: %s", room.table_id, nick, exc)


async def _set_role(xmpp: Any, room: Room, nick: str, role: str) -> None:
    iq = xmpp.make_iq_set(ito=room.jid, ifrom=room.dealer)
    iq["mucadmin_query"]["item"]["nick"] = nick
    iq["mucadmin_query"]["item"]["role"] = role
    await iq.send(timeout=10)
