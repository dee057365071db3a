"""What the lobby shows of a table: its disco#info (identity, feature, XEP-0128 form)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slixmpp.plugins.xep_0030.stanza import DiscoInfo

from riverboat.protocol.namespace import DISCO_FORM_TYPE, NS
from riverboat.server.rooms import Room
from riverboat.table.table import Table


def table_info(
    title: str, table: Table | None, room: Room | None, make_form: Callable[..., Any]
) -> DiscoInfo:
    """The table's disco#info; the form only while the table runs in its room."""
    info = DiscoInfo()
    info.add_identity("game", "poker", name=title)
    info.add_feature(NS)
    info.add_feature("http://jabber.org/protocol/disco#info")
    if table is None or room is None:
        return info
    low, high = table.config.buy_in_range
    form = make_form(ftype="result")
    form.add_field(var="FORM_TYPE", ftype="hidden", value=DISCO_FORM_TYPE)
    for var, value in (
        ("name", title),
        ("variant", table.config.variant.name),
        ("stakes", table.config.stakes),
        ("seats", str(table.config.seats)),
        ("players", str(len(table.seats))),
        ("room", room.jid.bare),
        ("buy_in_min", str(low)),
        ("buy_in_max", str(high)),
    ):
        form.add_field(var=var, value=value)
    info.append(form)
    return info
