"""``RiverboatClient``: one player's (or bot's, or spectator's) connection to a Riverboat server.

It connects (registering the account in-band first if asked), lists the lobby, watches tables
(joins their rooms and keeps a :class:`~riverboat.client.watch.TableWatch` per table), asks for
snapshots and sends actions. Refusals come back as the table core's own exception types.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from riverboat.client.account import AccountRequests
from riverboat.client.actions import TableActions, TableRef
from riverboat.client.address import ServerAddress, make_xmpp
from riverboat.client.errors import (
    ConnectError,
    NotConnectedError,
    RegistrationError,
    RequestTimeoutError,
    XmppError,
    error_from_stanza,
)
from riverboat.client.lobby import TableInfo, table_from_disco
from riverboat.client.rooms import RoomState, join_presence
from riverboat.client.watch import TableWatch
from riverboat.protocol.codec import event_from_json
from riverboat.protocol.namespace import DEALER_NODE
from riverboat.protocol.snapshot_codec import snapshot_from_json
from riverboat.protocol.stanzas import EventItem, event_items
from riverboat.table.errors import TableError
from riverboat.table.events import Event
from riverboat.table.snapshot import TableView

log = logging.getLogger(__name__)
DISCO_ITEMS = "http://jabber.org/protocol/disco#items"


class RiverboatClient(TableActions, AccountRequests):
    """An async Riverboat client on slixmpp (one XMPP session)."""

    def __init__(
        self,
        address: ServerAddress,
        user: str,
        password: str,
        *,
        resource: str = "riverboat",
        request_timeout: float = 10.0,
    ) -> None:
        if not user or "@" in user or "/" in user:
            raise ValueError(f"invalid user name {user!r}")
        self.address = address
        self.user = user
        self.jid = f"{user}@{address.domain}"
        self.request_timeout = request_timeout
        self.xmpp: Any = make_xmpp(address, f"{self.jid}/{resource}", password)
        self._password = password
        self._tables: dict[str, TableInfo] = {}
        self._rooms: dict[str, RoomState] = {}
        self._watches: dict[str, TableWatch] = {}
        self._background: set[asyncio.Task[None]] = set()
        self.session_started = False
        self.disconnected = asyncio.Event()
        """Set when the session ends (connection lost or closed)."""
        self.xmpp.add_event_handler("message", self._on_message)
        self.xmpp.add_event_handler("presence", self._on_presence)
        self.xmpp.add_event_handler("disconnected", self._on_disconnected)

    # --- connection ---------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self.session_started and not self.disconnected.is_set()

    async def connect(self, *, register: bool = False, timeout: float = 15.0) -> None:
        """Log in (after creating the account in-band if ``register``; an existing account is
        fine). Raises ``ConnectError`` or ``RegistrationError``."""
        xmpp = self.xmpp
        outcome: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def fail(error: Exception) -> None:
            if not outcome.done():
                outcome.set_exception(error)

        def on_start(_: Any) -> None:
            self.session_started = True
            xmpp.send_presence()
            if not outcome.done():
                outcome.set_result(None)

        def on_failed_auth(_: Any) -> None:
            fail(ConnectError(f"{self.jid}: login refused (wrong password or no such account)"))

        def on_lost(_: Any) -> None:
            fail(ConnectError(f"{self.jid}: the connection closed during login"))

        async def on_register(_form: Any) -> None:
            await self._register(fail)

        handlers: list[tuple[str, Any]] = [
            ("session_start", on_start),
            ("failed_auth", on_failed_auth),
            ("disconnected", on_lost),
        ]
        if register:
            for plugin in ("xep_0066", "xep_0077"):
                xmpp.register_plugin(plugin)
            xmpp.plugin["xep_0077"].force_registration = True
            handlers.append(("register", on_register))
        for name, handler in handlers:
            xmpp.add_event_handler(name, handler)
        xmpp.connect(self.address.host, self.address.port)
        try:
            async with asyncio.timeout(timeout):
                await outcome
        except TimeoutError:
            xmpp.cancel_connection_attempt()
            xmpp.abort()
            where = f"{self.address.host}:{self.address.port}"
            raise ConnectError(f"{self.jid}: no session with {where} within {timeout} s") from None
        except (ConnectError, RegistrationError):
            xmpp.cancel_connection_attempt()
            xmpp.abort()
            raise
        finally:
            for name, handler in handlers:
                xmpp.del_event_handler(name, handler)
            if register:
                xmpp.plugin["xep_0077"].force_registration = False
                xmpp.plugin["xep_0077"].create_account = False

    async def _register(self, fail: Any) -> None:
        from slixmpp.exceptions import IqError, IqTimeout

        iq = self.xmpp.Iq()
        iq["type"] = "set"
        iq["register"]["username"] = self.user
        iq["register"]["password"] = self._password
        try:
            await iq.send(timeout=self.request_timeout)
        except IqError as exc:
            condition = exc.iq["error"]["condition"]
            if condition != "conflict":  # conflict: the account exists already
                fail(RegistrationError(f"registration of {self.user!r} refused: {condition}"))
        except IqTimeout:
            fail(RegistrationError(f"registration of {self.user!r}: no answer"))

    async def close(self, timeout: float = 5.0) -> None:
        """Leave and disconnect (idempotent)."""
        for watch in self._watches.values():
            watch.close()
        if self.xmpp.transport is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.xmpp.disconnect(), timeout)
        self.xmpp.cancel_connection_attempt()
        self.disconnected.set()
        # slixmpp leaves its output-filter task running after a disconnect: end it here.
        filters = getattr(self.xmpp, "_run_out_filters", None)
        if filters is not None and not filters.done():
            filters.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await filters

    def _on_disconnected(self, _: Any) -> None:
        if not self.session_started:
            return
        self.disconnected.set()
        for watch in self._watches.values():
            watch.close()
        for room in self._rooms.values():
            if not room.joined.done():
                room.joined.set_exception(NotConnectedError("the connection closed"))

    # --- requests -----------------------------------------------------------------------------

    async def _send(self, iq: Any) -> Any:
        from slixmpp.exceptions import IqError, IqTimeout

        if not self.connected:
            raise NotConnectedError(f"{self.jid} is not connected")
        try:
            return await iq.send(timeout=self.request_timeout)
        except IqError as exc:
            raise error_from_stanza(exc.iq) from None
        except IqTimeout:
            raise RequestTimeoutError(f"no answer from {iq['to']}") from None

    @property
    def games_jid(self) -> str:
        return self.address.games

    def table_jid(self, table: TableRef) -> str:
        if isinstance(table, TableInfo):
            return table.jid
        if isinstance(table, TableWatch):
            return table.table.jid
        return table if "@" in table else f"{table}@{self.address.games}"

    async def act(
        self,
        table: TableRef,
        kind: str,
        *,
        amount: int | None = None,
        seat: int | None = None,
        cards: str | None = None,
    ) -> None:
        """Send one action (``kind`` as on the wire: ``raise``, ``sit``…); the table's error
        type on refusal."""
        iq = self.xmpp.make_iq_set(ito=self.table_jid(table))
        payload = iq["rb_action"]
        payload["type"] = kind
        if amount is not None:
            payload["amount"] = str(amount)
        if seat is not None:
            payload["seat"] = str(seat)
        if cards:
            payload["cards"] = cards
        log.debug("%s -> %s: %s %s", self.user, iq["to"], kind, amount if amount else "")
        await self._send(iq)
        log.debug("%s <- %s: %s done", self.user, iq["to"], kind)

    async def snapshot(self, table: TableRef) -> TableView:
        """The table as this player may see it now."""
        iq = self.xmpp.make_iq_get(ito=self.table_jid(table))
        iq.enable("rb_table")
        result = await self._send(iq)
        return snapshot_from_json(result["rb_table"]["json"])

    # --- lobby --------------------------------------------------------------------------------

    async def list_tables(self) -> list[TableInfo]:
        """The component's tables, in disco order, with their disco#info forms."""
        disco = self.xmpp.plugin["xep_0030"]
        items = await self._disco(
            disco.get_items(jid=self.address.games, timeout=self.request_timeout)
        )
        # In document order (slixmpp's ``items`` interface is a set).
        jids = [
            item.get("jid", "")
            for item in items["disco_items"].xml.findall(f"{{{DISCO_ITEMS}}}item")
            if item.get("jid") and not item.get("node")
        ]
        found = await asyncio.gather(
            *(self.table_info(jid) for jid in jids), return_exceptions=True
        )
        tables = []
        for jid, info in zip(jids, found, strict=True):
            if isinstance(info, TableInfo):
                tables.append(info)
            elif isinstance(info, BaseException):
                log.info("lobby: %s did not answer disco#info: %s", jid, info)
        return tables

    async def table_info(self, table: TableRef) -> TableInfo:
        """One table's lobby record (disco#info)."""
        jid = self.table_jid(table)
        disco = self.xmpp.plugin["xep_0030"]
        result = await self._disco(disco.get_info(jid=jid, timeout=self.request_timeout))
        info = table_from_disco(jid, result["disco_info"])
        if info is None:
            raise XmppError(f"{jid} is not a Riverboat table", "item-not-found", "cancel")
        self._tables[jid] = info
        return info

    async def _disco(self, request: Any) -> Any:
        from slixmpp.exceptions import IqError, IqTimeout

        if not self.connected:
            raise NotConnectedError(f"{self.jid} is not connected")
        try:
            return await request
        except IqError as exc:
            raise error_from_stanza(exc.iq) from None
        except IqTimeout:
            raise RequestTimeoutError("no answer to a disco request") from None

    # --- watching -----------------------------------------------------------------------------

    def watching(self, table: TableRef) -> TableWatch | None:
        return self._watches.get(self.table_jid(table))

    async def watch(self, table: TableRef, nick: str | None = None) -> TableWatch:
        """Join the table's room as ``nick`` (default: the user name) and start its stream and
        mirror from a snapshot. Watching a table twice returns the same watch."""
        jid = self.table_jid(table)
        existing = self._watches.get(jid)
        if existing is not None and not existing.closed:
            return existing
        info = table if isinstance(table, TableInfo) else self._tables.get(jid)
        if info is None:
            info = await self.table_info(jid)
        nick = nick or self.user
        room = RoomState(info.room, nick, info.jid)
        self._rooms[info.room] = room
        watch = TableWatch(info, nick, lambda: self.snapshot(info.jid))
        self._watches[info.jid] = watch
        join_presence(self.xmpp, info.room, nick).send()
        try:
            async with asyncio.timeout(self.request_timeout):
                await room.joined
            await watch.start()
        except BaseException:
            self._forget(info.jid)
            raise
        return watch

    def occupants(self, table: TableRef) -> dict[str, str]:
        """The watched table's room as we see it: nick -> affiliation."""
        watch = self.watching(table)
        room = self._rooms.get(watch.table.room) if watch is not None else None
        return dict(room.occupants) if room is not None else {}

    async def unwatch(self, table: TableRef) -> None:
        """Leave the table's room and end its stream."""
        watch = self._forget(self.table_jid(table))
        if watch is not None and self.connected:
            self.xmpp.send_presence(pto=f"{watch.table.room}/{watch.nick}", ptype="unavailable")

    def _forget(self, jid: str) -> TableWatch | None:
        watch = self._watches.pop(jid, None)
        if watch is not None:
            watch.close()
            self._rooms.pop(watch.table.room, None)
        return watch

    # --- incoming stanzas ---------------------------------------------------------------------

    def _on_presence(self, presence: Any) -> None:
        room = self._rooms.get(presence["from"].bare)
        if room is None:
            return
        dealer_back = room.on_presence(presence)
        if room.left:
            self._forget(room.table_jid)
            return
        watch = self._watches.get(room.table_jid)
        if dealer_back and watch is not None and watch.mirror is not None:
            # A restarted component numbers its events afresh: start again from a snapshot.
            log.info("table %s: the dealer is back; re-syncing", watch.table_id)
            task = asyncio.create_task(watch.refresh())
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    def _on_message(self, message: Any) -> None:
        if message["type"] == "error":
            return
        items = event_items(message.xml)
        if not items:
            return
        sender = message["from"]
        if message["type"] == "groupchat":
            room = self._rooms.get(sender.bare)
            if room is None:
                return
            if not room.trusted(sender.resource):
                log.warning("ignoring a game payload from %s: not the room's owner", sender)
                return
            watch = self._watches.get(room.table_jid)
            private = False
        else:
            watch = self._dealer_watch(str(sender))
            if watch is None:
                log.warning("ignoring a private game payload from %s: not a dealer", sender)
                return
            private = True
        if watch is None:
            return
        for item in items:
            event = self._decode(item, watch.table_id)
            if event is not None:
                watch.deliver(event, private=private)

    def _dealer_watch(self, sender: str) -> TableWatch | None:
        """The watched table whose dealer JID (``dealer@<component>/<table>``) is ``sender``."""
        for watch in self._watches.values():
            info = watch.table
            if sender == f"{DEALER_NODE}@{info.component}/{info.table_id}":
                return watch
        return None

    @staticmethod
    def _decode(payload: EventItem, table_id: str) -> Event | None:
        if payload.table not in ("", table_id):
            log.warning("ignoring an event for table %r in %r's stream", payload.table, table_id)
            return None
        try:
            event = event_from_json(payload.kind, payload.json)
            seq = int(payload.seq)
        except (TableError, ValueError) as exc:
            log.warning("ignoring a malformed event payload: %s", exc)
            return None
        if event.seq != seq:
            log.warning(
                "ignoring an event whose seq attribute (%d) and body (%d) differ", seq, event.seq
            )
            return None
        return event
