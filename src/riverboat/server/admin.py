"""Run-time administration: the XEP-0050 ad-hoc command ``open-table`` on the component's JID.

Only the bare JIDs in ``ServerSettings.admins`` may run a command on the component: every
command request from anyone else is answered ``forbidden``, and their command list is empty.
The command is two steps: ``execute`` answers a data form (XEP-0004) describing the table;
submitting it (``complete``) opens the table and completes with a note naming its JID and room,
or with an error note saying why nothing was opened. A table opened this way runs until the
component process stops: it is not written anywhere, so a restart does not bring it back.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slixmpp import JID, Iq
from slixmpp.exceptions import XMPPError
from slixmpp.plugins.xep_0030.stanza import DiscoItems
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import StanzaPath

from riverboat.protocol.namespace import DEALER_NODE
from riverboat.table.config import TableConfig, Variant
from riverboat.table.errors import ConfigError
from riverboat.table.table import Table

if TYPE_CHECKING:
    from riverboat.server.component import GameComponent

log = logging.getLogger(__name__)
COMMANDS = "http://jabber.org/protocol/commands"
OPEN_TABLE = "open-table"
OPEN_TABLE_NAME = "Open a table"
TABLE_ID = re.compile(r"[a-z0-9]{1,16}")
_XEP_0050_HANDLER = "Ad-Hoc Execute"  # the handler xep_0050 registers for command IQs

VARIANT_LABELS = {
    Variant.NLHE: "No-Limit Hold'em",
    Variant.FLHE: "Fixed-Limit Hold'em",
    Variant.PLO: "Pot-Limit Omaha",
    Variant.FLO8: "Fixed-Limit Omaha Hi/Lo",
    Variant.NLSD: "No-Limit Short-Deck Hold'em",
    Variant.STUD: "Seven Card Stud",
    Variant.STUD8: "Seven Card Stud Hi/Lo",
    Variant.RAZZ: "Razz",
    Variant.NL27SD: "No-Limit 2-7 Single Draw",
    Variant.FL27TD: "Fixed-Limit 2-7 Triple Draw",
    Variant.BADUGI: "Badugi",
}

# (var, label, default, description) of the whole-number fields, in form order.
NUMBERS = (
    ("seats", "Seats", 6, "2 to 10"),
    ("small_blind", "Small blind", 1, "blind games (hold'em, Omaha, draw)"),
    ("big_blind", "Big blind", 2, "blind games (hold'em, Omaha, draw)"),
    ("small_bet", "Small bet", 2, "fixed-limit games"),
    ("big_bet", "Big bet", 4, "fixed-limit games"),
    ("ante", "Ante", 0, "posted by every player every hand; 0 for none"),
    ("bring_in", "Bring-in", 1, "stud and razz"),
)


@dataclass(frozen=True, slots=True)
class NewTable:
    table_id: str
    name: str
    config: TableConfig


def read_form(values: dict[str, Any], action_time: float) -> NewTable:
    """The table a submitted form describes; ConfigError says what is wrong with it."""

    def text(var: str) -> str:
        value = values.get(var)
        if isinstance(value, list):
            value = value[0] if value else None
        return "" if value is None else str(value).strip()

    def number(var: str, default: int) -> int:
        raw = text(var)
        if not raw:
            return default
        if not raw.isdigit():
            raise ConfigError(f"{var} must be a whole number, not {raw!r}")
        return int(raw)

    table_id = text("id")
    if not TABLE_ID.fullmatch(table_id) or table_id == DEALER_NODE:
        raise ConfigError(
            f"the table id must be 1 to 16 lower-case letters or digits "
            f"(and not {DEALER_NODE!r}), not {table_id!r}"
        )
    variant = Variant.from_name(text("variant") or Variant.NLHE.name)
    n = {var: number(var, default) for var, _label, default, _desc in NUMBERS}
    if variant.uses_bring_in:
        blinds: tuple[int, ...] = ()
    else:
        if n["small_blind"] > n["big_blind"]:
            raise ConfigError("the small blind cannot be above the big blind")
        blinds = (n["small_blind"], n["big_blind"])
    fixed = variant.fixed_limit
    config = TableConfig(
        variant=variant,
        seats=n["seats"],
        blinds=blinds,
        antes=n["ante"],
        bring_in=n["bring_in"] if variant.uses_bring_in else 0,
        small_bet=n["small_bet"] if fixed else 0,
        big_bet=n["big_bet"] if fixed else 0,
        action_time=action_time,
    )
    name = text("name") or f"{variant.name} {config.stakes}"
    return NewTable(table_id, name, config)


class AdminCommands:
    """The component's ad-hoc commands, and the gate that keeps them to the admins."""

    def __init__(self, component: GameComponent) -> None:
        self._component = component
        self.admins = frozenset(JID(admin).bare for admin in component.settings.admins)
        configured = component.settings.tables  # their clock, else the default one
        self._action_time = (configured[0].config if configured else TableConfig()).action_time
        jid = component.boundjid
        component.plugin["xep_0050"].add_command(
            jid=jid, node=OPEN_TABLE, name=OPEN_TABLE_NAME, handler=self._start
        )
        # Every command IQ passes the gate before xep_0050 sees it: its own handler would run
        # any step of any session for anyone.
        if not component.remove_handler(_XEP_0050_HANDLER):
            raise RuntimeError("slixmpp's xep_0050 handler was not found: cannot restrict it")
        component.register_handler(
            Callback("riverboat admin commands", StanzaPath("iq@type=set/command"), self._gate)
        )
        component.plugin["xep_0030"].set_node_handler(
            "get_items", jid=jid.bare, node=COMMANDS, handler=self._command_list
        )

    def is_admin(self, jid: Any) -> bool:
        return jid is not None and JID(jid).bare in self.admins

    def _gate(self, iq: Iq) -> None:
        if not self.is_admin(iq["from"]):
            log.info("refused command %r from %s", iq["command"]["node"], iq["from"])
            raise XMPPError(
                "forbidden", text="only the game server's admins may run commands", etype="auth"
            )
        # What xep_0050's own handler does: its session machinery takes it from here.
        self._component.event("command", iq)
        self._component.event(f"command_{iq['command']['action']}", iq)

    def _command_list(self, jid: JID, node: str | None, ifrom: JID, data: Any) -> DiscoItems:
        items = DiscoItems()
        if self.is_admin(ifrom):
            items.add_item(self._component.boundjid.full, node=OPEN_TABLE, name=OPEN_TABLE_NAME)
        return items

    # --- open-table -------------------------------------------------------------------------

    def _start(self, iq: Iq, session: dict[str, Any]) -> dict[str, Any]:
        if not self.is_admin(iq["from"]):  # the gate already refused; never reached
            raise XMPPError("forbidden", etype="auth")
        session["payload"] = self._form()
        session["next"] = self._submit
        session["has_next"] = False  # one form, then ``complete``
        return session

    def _form(self) -> Any:
        form = self._component.plugin["xep_0004"].make_form(
            ftype="form",
            title=OPEN_TABLE_NAME,
            instructions="The table runs until the game server restarts.",
        )
        form.add_field(
            var="id",
            ftype="text-single",
            label="Table id",
            required=True,
            desc="1 to 16 lower-case letters or digits, not used by another table",
        )
        form.add_field(
            var="name",
            ftype="text-single",
            label="Name",
            desc="shown in the lobby; default: the variant and stakes",
        )
        variant = form.add_field(
            var="variant",
            ftype="list-single",
            label="Variant",
            required=True,
            value=Variant.NLHE.name,
        )
        for option, label in VARIANT_LABELS.items():
            variant.add_option(label=label, value=option.name)
        for var, label, default, desc in NUMBERS:
            form.add_field(var=var, ftype="text-single", label=label, value=str(default), desc=desc)
        return form

    async def _submit(self, payload: Any, session: dict[str, Any]) -> dict[str, Any]:
        session["payload"] = None
        session["next"] = None
        try:
            if isinstance(payload, list):  # no form in the submission
                raise ConfigError("submit the form to open a table")
            new = read_form(payload.get_values(), self._action_time)
            if self._component.has_table(new.table_id):
                raise ConfigError(f"there is already a table {new.table_id!r}")
            room = await self._component.add_table(
                new.table_id, new.name, Table(new.config, clock=time.time)
            )
            if room is None:
                raise ConfigError(f"no room could be opened for table {new.table_id!r}")
        except (ConfigError, ValueError) as exc:
            log.info("open-table by %s refused: %s", session["from"], exc)
            session["notes"] = [("error", f"no table opened: {exc}")]
            return session
        jid = self._component.table_jid(new.table_id)
        log.info("table %s (%s) opened by %s in %s", jid, new.name, session["from"], room.jid)
        session["notes"] = [("info", f"table {jid} ({new.name}) is open in room {room.jid.bare}")]
        return session
