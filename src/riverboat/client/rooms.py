"""Table rooms as an occupant sees them: who is in, and who may speak for the table.

Trust rule (``docs/protocol.md``): a game payload in a room counts only when it comes from the
occupant whose affiliation is ``owner`` (the dealer). Affiliations come from the occupants'
presences, which the MUC service stamps; a nick that looks like ``Dealer`` proves nothing, and
neither does the nick ``Dealer`` itself once the real dealer has left.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)
MUC = "http://jabber.org/protocol/muc"
SELF_PRESENCE = 110


@dataclass(slots=True)
class RoomState:
    jid: str
    """The room's bare JID."""
    nick: str
    """Our nick in the room."""
    table_jid: str
    occupants: dict[str, str] = field(default_factory=dict)
    """nick -> affiliation, from the occupants' presences."""
    joined: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    left: bool = False

    def trusted(self, nick: str) -> bool:
        """Whether ``nick`` is, right now, the room's owner (the dealer)."""
        return self.occupants.get(nick) == "owner"

    def on_presence(self, presence: Any) -> bool:
        """Track an occupant's presence (ours included). True when an owner arrives after we
        joined: the dealer came back (the component restarted), so the table may have too."""
        nick: str = presence["from"].resource
        kind = presence["type"]
        codes = set(presence["muc"]["status_codes"])
        if kind == "error":
            if not self.joined.done():
                condition = presence["error"]["condition"] or "cancel"
                self.joined.set_exception(_join_error(self.jid, self.nick, condition))
            return False
        if kind == "unavailable":
            self.occupants.pop(nick, None)
            if SELF_PRESENCE in codes:
                self.left = True
            return False
        before = self.occupants.get(nick)
        affiliation = self.occupants[nick] = presence["muc"]["affiliation"] or "none"
        if SELF_PRESENCE in codes and not self.joined.done():
            self.joined.set_result(None)
            return False
        return self.joined.done() and affiliation == "owner" and before != "owner"


def _join_error(room: str, nick: str, condition: str) -> Exception:
    from riverboat.client.errors import XmppError

    if condition == "conflict":
        return XmppError(f"the nick {nick!r} is taken in {room}", condition, "cancel")
    return XmppError(f"cannot join {room}: {condition}", condition, "cancel")


def join_presence(xmpp: Any, room: str, nick: str) -> Any:
    """A MUC join presence asking for no history (the snapshot gives the state)."""
    presence = xmpp.make_presence(pto=f"{room}/{nick}")
    x = presence.xml.makeelement(f"{{{MUC}}}x", {})
    x.append(x.makeelement(f"{{{MUC}}}history", {"maxstanzas": "0"}))
    presence.xml.append(x)
    return presence
