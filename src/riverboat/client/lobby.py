"""The lobby: tables as the component announces them in disco (XEP-0030, XEP-0128 forms)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riverboat.protocol.namespace import DISCO_FORM_TYPE, NS

DATA_FORMS = "jabber:x:data"


@dataclass(frozen=True, slots=True)
class TableInfo:
    """One table of the lobby (the ``urn:riverboat:0#table`` form of its disco#info)."""

    jid: str
    """The table's address: ``t1@games.example.org`` (snapshot, actions)."""
    name: str
    variant: str
    stakes: str
    seats: int
    players: int
    """Seated now."""
    room: str
    """The table's room (bare JID) where the dealer posts public events."""
    buy_in_min: int
    buy_in_max: int

    @property
    def table_id(self) -> str:
        return self.jid.split("@", 1)[0]

    @property
    def component(self) -> str:
        return self.jid.split("@", 1)[1]


def form_values(info: Any) -> dict[str, str] | None:
    """The fields of the Riverboat table form in a disco#info payload, if it has one."""
    for form in info.xml.findall(f"{{{DATA_FORMS}}}x"):
        values: dict[str, str] = {}
        for field in form.findall(f"{{{DATA_FORMS}}}field"):
            var = field.get("var")
            value = field.find(f"{{{DATA_FORMS}}}value")
            if var:
                values[var] = (value.text or "") if value is not None else ""
        if values.get("FORM_TYPE") == DISCO_FORM_TYPE:
            return values
    return None


def table_from_disco(jid: str, info: Any) -> TableInfo | None:
    """A :class:`TableInfo` from a table's disco#info, or None if it is not a Riverboat table."""
    if NS not in info["features"]:
        return None
    values = form_values(info)
    if values is None:
        return None
    try:
        return TableInfo(
            jid=jid,
            name=values.get("name", ""),
            variant=values.get("variant", ""),
            stakes=values.get("stakes", ""),
            seats=int(values.get("seats", "0")),
            players=int(values.get("players", "0")),
            room=values["room"],
            buy_in_min=int(values.get("buy_in_min", "0")),
            buy_in_max=int(values.get("buy_in_max", "0")),
        )
    except (KeyError, ValueError):
        return None
