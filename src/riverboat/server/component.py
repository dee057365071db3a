"""The game component: parses stanzas, routes them to table actors, translates errors.

It holds no rules: every decision is the table's (``riverboat.table``), taken inside the table's
actor. Identity is the real bare JID stamped by the XMPP server (the IQ or message sender, or
the real JID the MUC service reports for an occupant), never a nickname or a payload field.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from typing import Any

from slixmpp import JID, ComponentXMPP, Presence
from slixmpp.exceptions import XMPPError
from slixmpp.plugins.xep_0030.stanza import DiscoInfo, DiscoItems
from slixmpp.plugins.xep_0045.stanza import register_plugins as register_muc_stanzas
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import StanzaPath

from riverboat.protocol.codec import event_to_json, event_type
from riverboat.protocol.namespace import DEALER_NICK, DEALER_NODE, NS
from riverboat.protocol.stanzas import (
    event_message_xml,
    events_message_xml,
    register_stanzas,
)
from riverboat.protocol.text import describe, hole_cards_body
from riverboat.server.accounts import AccountDesk
from riverboat.server.actor import TableActor
from riverboat.server.admin import AdminCommands
from riverboat.server.journal import last_hand_phh
from riverboat.server.lobby import table_info
from riverboat.server.naming import rename
from riverboat.server.outbox import Outbox
from riverboat.server.persistence import Persistence
from riverboat.server.ratelimit import RateLimiter
from riverboat.server.requests import PlayerRequests
from riverboat.server.rooms import Occupant, Room, RoomBook, configure_room, send_join
from riverboat.server.settings import ServerSettings
from riverboat.table.events import Event, HandEnded, HoleCardsDealt, PlayerId
from riverboat.table.table import Table
from riverboat.table.views import view_for

log = logging.getLogger(__name__)
MUC_USER = "http://jabber.org/protocol/muc#user"
_FROM_DEALER = f"/{DEALER_NICK}"
_ACTION_TAG = f"{{{NS}}}action"


class GameComponent(PlayerRequests, ComponentXMPP):  # type: ignore[misc]
    def __init__(
        self,
        settings: ServerSettings,
        tables: dict[str, Table],
        persistence: Persistence | None = None,
    ) -> None:
        super().__init__(settings.component, settings.secret, settings.host, settings.port)
        self.settings = settings
        # Only the plugins the component needs: slixmpp matches every incoming stanza against
        # every registered handler, and the MUC client plugin's handlers are for clients.
        for plugin in ("xep_0030", "xep_0004", "xep_0128", "xep_0050"):
            self.register_plugin(plugin)
        register_muc_stanzas()
        register_stanzas()
        self.book = RoomBook(settings.data_dir / "rooms.json")
        self.actors: dict[str, TableActor] = {}
        self.rooms: dict[str, Room] = {}
        self._room_by_jid: dict[str, Room] = {}
        self.names: dict[str, dict[PlayerId, str]] = {t: {} for t in tables}
        self.contacts: dict[str, JID] = {}
        self.histories: dict[str, deque[str]] = {t: self._history() for t in tables}
        """The last ``settings.hands_kept`` finished hands of each table, as PHH."""
        self._joins: dict[str, asyncio.Future[Presence]] = {}
        self._raw_tasks: set[asyncio.Future[None]] = set()
        self._outbox = Outbox(super().send_raw)
        self._action_limit = RateLimiter(settings.action_limit)
        self._chat_limit = RateLimiter(settings.chat_limit)
        self._tables = tables
        """Every table in opening order: the configured ones, then those opened at run time."""
        self.titles = {t: t for t in tables} | {s.table_id: s.name for s in settings.tables}
        self.persistence = persistence
        if persistence is not None:
            self.titles |= persistence.titles
            for table_id, names in persistence.names.items():
                self.names.setdefault(table_id, {}).update(names)
        self.ready = asyncio.Event()
        self.stopping = False
        self.add_event_handler("session_start", self._on_session_start)
        self.add_event_handler("message", self._on_message)
        self.add_event_handler("presence", self._on_presence)
        self.register_handler(
            CoroutineCallback("rb action", StanzaPath("iq@type=set/rb_action"), self._on_action_iq)
        )
        self.register_handler(
            CoroutineCallback("rb table", StanzaPath("iq@type=get/rb_table"), self._on_table_iq)
        )
        disco = self.plugin["xep_0030"]
        disco.set_node_handler("get_items", jid=self.boundjid.bare, handler=self._disco_items)
        for table_id in tables:
            disco.set_node_handler(
                "get_info", jid=self.table_jid(table_id), handler=self._disco_info
            )
        self.admin = AdminCommands(self)
        self.accounts = AccountDesk(self, self._action_limit.allow)

    def _spawn_event(self, xml: Any) -> None:
        """The two commonest incoming stanzas skip slixmpp's stanza objects and its matching
        against every registered handler (most of the component's own cost per stanza):

        - the room reflects every message the dealer posts back to the dealer (about a third
          of all traffic): dropped. No one else can hold the nick ``Dealer`` while the dealer
          is in the room.
        - an action IQ (``<iq type='set'>`` with exactly one ``<action/>``): read from the
          element and answered as text (:meth:`_on_raw_action`); anything else takes the
          ordinary path."""
        kind = xml.get("type")
        tag = xml.tag
        if kind == "groupchat":
            if tag.endswith("}message") and (xml.get("from") or "").endswith(_FROM_DEALER):
                return
        elif kind == "set" and tag.endswith("}iq") and len(xml) == 1 and (
            xml[0].tag == _ACTION_TAG
        ):
            self._on_raw_action(xml)
            return
        super()._spawn_event(xml)

    def send_raw(self, data: str | bytes) -> None:
        self._outbox.flush()  # what the hot path queued goes first
        super().send_raw(data)

    def connection_lost(self, exception: BaseException | None) -> None:
        self._outbox.clear()
        super().connection_lost(exception)

    # --- addresses --------------------------------------------------------------------------

    def table_jid(self, table_id: str) -> JID:
        return JID(f"{table_id}@{self.settings.component}")

    def dealer_jid(self, table_id: str) -> JID:
        return JID(f"{DEALER_NODE}@{self.settings.component}/{table_id}")

    # --- start-up: rooms, actors ------------------------------------------------------------

    async def _on_session_start(self, _: Any) -> None:
        for table_id in self._tables:
            self._start_actor(table_id)
        await asyncio.gather(*(self._open_room(t) for t in self._tables))
        # The clocks run again (a fresh deadline for whoever is to act) once the rooms are
        # joined: at start-up, after a restart and after the XMPP server came back.
        await asyncio.gather(
            *(self._resume(actor) for t, actor in self.actors.items() if t in self.rooms)
        )
        self.ready.set()
        log.info("component %s ready with %d tables", self.boundjid, len(self.rooms))

    async def _resume(self, actor: TableActor) -> None:
        try:
            await actor.resume()
        except Exception:
            log.exception("table %s: cannot resume", actor.table_id)

    def pause_tables(self) -> None:
        """The XMPP connection is lost: no clock runs until the rooms are joined again."""
        for actor in self.actors.values():
            actor.pause()

    def _start_actor(self, table_id: str) -> None:
        if table_id not in self.actors:
            table = self._tables[table_id]
            store = self.persistence
            actor = TableActor(
                table_id, table, self,
                next_hand_delay=self.settings.next_hand_delay,
                start_delay=self.settings.start_delay,
                journal=None if store is None else store.journal_for(
                    table_id, self.names[table_id], table.config
                ),
                cipher=None if store is None else store.cipher,
            )
            self.actors[table_id] = actor
            actor.start()

    def has_table(self, table_id: str) -> bool:
        return table_id in self._tables

    async def add_table(self, table_id: str, title: str, table: Table) -> Room | None:
        """Open a table at run time as the configured ones open (actor, disco node, room), after
        them in the lobby, until the process stops. None (and no trace) if no room opens."""
        if table_id in self._tables or table_id == DEALER_NODE:
            raise ValueError(f"table id {table_id!r} is taken")
        self._tables[table_id] = table
        self.titles[table_id] = title
        self.names[table_id] = {}
        self.histories[table_id] = self._history()
        if self.persistence is not None:
            await self.persistence.save_table(table_id, title, table.config)
        self._start_actor(table_id)
        disco = self.plugin["xep_0030"]
        jid = self.table_jid(table_id)
        disco.set_node_handler("get_info", jid=jid, handler=self._disco_info)
        await self._open_room(table_id)
        room = self.rooms.get(table_id)
        if room is not None:
            await self._resume(self.actors[table_id])
        else:
            disco.del_node_handler("get_info", jid, None)
            await self.actors.pop(table_id).stop()
            for record in (self._tables, self.titles, self.names, self.histories):
                del record[table_id]
        return room

    async def _open_room(self, table_id: str) -> None:
        for _attempt in range(5):
            room_jid = JID(f"{self.book.name_for(table_id)}@{self.settings.muc}")
            room = Room(table_id, room_jid, self.dealer_jid(table_id))
            self._room_by_jid[room_jid.bare] = room
            try:
                presence = await self._join(room)
            except (XMPPError, TimeoutError) as exc:
                log.warning("table %s: cannot join %s: %s", table_id, room_jid, exc)
            else:
                codes = set(presence["muc"]["status_codes"])
                if presence["muc"]["affiliation"] == "owner":
                    room.owned = True
                    self.rooms[table_id] = room
                    await configure_room(self, room, self._title(table_id), 201 in codes)
                    return
                log.warning("table %s: room %s is owned by someone else", table_id, room_jid)
                self.send_presence(pto=f"{room_jid}/{DEALER_NICK}", pfrom=room.dealer,
                                   ptype="unavailable")
            del self._room_by_jid[room_jid.bare]
            self.book.replace(table_id)
        log.error("table %s: no room could be opened; the table does not run", table_id)

    async def _join(self, room: Room) -> Presence:
        future: asyncio.Future[Presence] = asyncio.get_running_loop().create_future()
        self._joins[room.jid.bare] = future
        send_join(self, room, DEALER_NICK)
        try:
            async with asyncio.timeout(10):
                return await future
        finally:
            self._joins.pop(room.jid.bare, None)

    def _title(self, table_id: str) -> str:
        return self.titles.get(table_id, table_id)

    # --- presence: our joins and the occupants ---------------------------------------------

    def _on_presence(self, presence: Presence) -> None:
        sender = presence["from"]
        room = self._room_by_jid.get(sender.bare)
        if room is None:
            return
        nick = sender.resource
        if nick == DEALER_NICK and presence["to"] == room.dealer:
            future = self._joins.get(sender.bare)
            if future is not None and not future.done():
                if presence["type"] == "error":
                    future.set_exception(XMPPError(presence["error"]["condition"] or "conflict"))
                elif 110 in set(presence["muc"]["status_codes"]):
                    future.set_result(presence)
            return
        if presence["type"] == "unavailable":
            room.occupants.pop(nick, None)
            return
        if presence["type"] == "error":
            return
        real = presence["muc"]["jid"]
        occupant = Occupant(
            nick, real if real and real.bare else None,
            presence["muc"]["affiliation"], presence["muc"]["role"],
        )
        room.occupants[nick] = occupant
        if occupant.jid is not None:
            self.contacts.setdefault(occupant.jid.bare, occupant.jid)

    # --- disco ------------------------------------------------------------------------------

    def _disco_items(self, jid: JID, node: str | None, ifrom: JID, data: Any) -> DiscoItems:
        items = DiscoItems()
        for table_id in (t for t in self._tables if t in self.rooms):  # configuration order
            items.add_item(self.table_jid(table_id), name=self._title(table_id))
        return items

    def _disco_info(self, jid: JID, node: str | None, ifrom: JID, data: Any) -> DiscoInfo:
        table_id = JID(jid).user
        return table_info(
            self._title(table_id), self._tables.get(table_id), self.rooms.get(table_id),
            self.plugin["xep_0004"].make_form,
        )

    # --- publishing events (the actor's sink) ----------------------------------------------

    def publish(self, table_id: str, events: list[Event]) -> None:
        # The hot path. An input's public events leave as ONE room message (``<events/>``),
        # private ones each in its own chat message; all of them, and the IQ result, in one
        # write (``riverboat.server.outbox``). Stanzas are written as text: a fraction of the
        # cost of slixmpp's stanza objects.
        room = self.rooms.get(table_id)
        names = self.names[table_id]
        dealer = str(room.dealer if room is not None else self.dealer_jid(table_id))
        out: list[str] = []
        items: list[tuple[str, int, str]] = []
        lines: list[str] = []
        for event in events:
            if isinstance(event, HandEnded):
                self._keep_history(table_id)
            if room is not None:
                public = rename(view_for(event, None), names)
                items.append((event_type(public), public.seq, event_to_json(public)))
                lines.append(describe(public))
            owner = event.private_to
            contact = self.contacts.get(owner) if owner is not None else None
            if contact is not None:
                private = rename(event, names)
                body = (
                    hole_cards_body(event.cards) if isinstance(event, HoleCardsDealt)
                    else describe(private)
                )
                out.append(_event_xml(
                    private, body, to=str(contact), mtype="chat", sender=dealer, table=table_id,
                ))
        if room is not None and items:
            out.insert(0, events_message_xml(
                to=str(room.jid), sender=dealer, body="\n".join(filter(None, lines)),
                table=table_id, items=items,
            ))
        if out:
            self._outbox.put("".join(out))

    def _history(self) -> deque[str]:
        return deque(maxlen=self.settings.hands_kept)

    def _keep_history(self, table_id: str) -> None:
        if not self.settings.hands_kept:
            return
        journal = self.actors[table_id].journal if table_id in self.actors else None
        phh = journal.last_phh if journal is not None else None  # written with the hand
        if phh is None:
            phh = last_hand_phh(self._tables[table_id], table_id, self.names[table_id])
        if phh is not None:
            self.histories[table_id].append(phh)

    # --- shutdown ---------------------------------------------------------------------------

    async def shutdown(self, timeout: float = 5.0) -> None:
        self.stopping = True
        for actor in self.actors.values():
            await actor.stop()
        if self.persistence is not None:
            await self.persistence.store.close()
        for room in self.rooms.values():
            self.send_presence(pto=f"{room.jid}/{DEALER_NICK}", pfrom=room.dealer,
                               ptype="unavailable")
        with contextlib.suppress(Exception):
            await self.disconnect(wait=timeout)


def _event_xml(event: Event, body: str, *, to: str, mtype: str, sender: str, table: str) -> str:
    return event_message_xml(
        to=to, sender=sender, mtype=mtype, body=body, kind=event_type(event), seq=event.seq,
        table=table, payload=event_to_json(event),
    )

