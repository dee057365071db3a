"""What players ask of the game server: action IQs (the hot path), snapshot IQs and text
commands in a room or in a private message to the dealer. Each is checked (the table exists,
the sender is not flooding), turned into an intent for the table's actor, and answered: a
result, or the table's error translated once, here, into a typed XMPP error or a plain line.

A mixin of :class:`riverboat.server.component.GameComponent`, which holds the state it reads.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from slixmpp import JID, Iq, Message

from riverboat.protocol.intents import HELP_TEXT, Intent, IntentKind, parse_command
from riverboat.protocol.namespace import DEALER_NICK, DEALER_NODE
from riverboat.protocol.snapshot_codec import snapshot_to_json
from riverboat.protocol.stanzas import iq_result_xml
from riverboat.server.accounts import AccountDesk
from riverboat.server.actor import TableActor
from riverboat.server.commands import intent_from_action, intent_from_element, reply_error
from riverboat.server.journal import intent_entry
from riverboat.server.naming import unique_name
from riverboat.server.outbox import Outbox
from riverboat.server.persistence import Persistence
from riverboat.server.ratelimit import RateLimiter
from riverboat.server.rooms import Room, mute
from riverboat.table.errors import (
    BadRequestError,
    RateLimitedError,
    TableError,
    UnknownTableError,
)
from riverboat.table.events import Event, PlayerId
from riverboat.table.snapshot import snapshot

log = logging.getLogger(__name__)


@lru_cache(maxsize=4096)
def _address(text: str) -> JID:
    """A parsed address, kept: a player sends every action from the same full JID, and
    parsing one (stringprep included) is a good part of an action's cost. Never mutated."""
    return JID(text)


class PlayerRequests:
    actors: dict[str, TableActor]
    rooms: dict[str, Room]
    names: dict[str, dict[PlayerId, str]]
    contacts: dict[str, JID]
    persistence: Persistence | None
    accounts: AccountDesk
    _room_by_jid: dict[str, Room]
    _tables: dict[str, Any]
    _raw_tasks: set[asyncio.Future[None]]
    _outbox: Outbox
    _action_limit: RateLimiter
    _chat_limit: RateLimiter
    make_message: Callable[..., Any]
    dealer_jid: Callable[[str], JID]

    def tell(self, table_id: str, to: JID, text: str) -> None:
        """A private plain-text message from the table's dealer (errors, help)."""
        self.make_message(mto=to, mbody=text, mtype="chat", mfrom=self.dealer_jid(table_id)).send()

    # --- actions: IQ ---------------------------------------------------------------------

    def _actor(self, table_id: str) -> TableActor:
        actor = self.actors.get(table_id)
        if actor is None or table_id not in self.rooms:
            raise UnknownTableError(f"there is no table {table_id!r}")
        return actor

    async def _on_action_iq(self, iq: Iq) -> None:
        """An action IQ that did not take the raw path (:meth:`_on_raw_action`)."""
        sender: JID = iq["from"]
        try:
            actor = self._actor(iq["to"].user)
            intent = intent_from_action(iq["rb_action"])
            self.contacts[sender.bare] = sender
            await self._perform(actor, sender, intent)
        except TableError as exc:
            reply_error(iq, exc)
            return
        self._outbox.put(iq_result_xml(iq_id=iq["id"], to=str(sender), sender=str(iq["to"])))

    def _on_raw_action(self, xml: Any) -> None:
        """An action IQ read straight from the parsed element (the hot path: one a decision).
        The same checks and answers as :meth:`_on_action_iq`; identity is the ``from`` the
        XMPP server stamped. It goes to the actor without a task of its own, and the actor
        answers it right after publishing (:meth:`_answer_raw`). Errors (rare) are answered
        through a slixmpp stanza, as always."""
        try:
            sender = _address(xml.get("from") or "")
            recipient = _address(xml.get("to") or "")
        except Exception:  # an address the server should never have let through
            log.warning("dropped an action IQ with a malformed address")
            return
        try:
            if not sender.bare:
                raise BadRequestError("the request has no sender")
            actor = self._actor(recipient.user)
            intent = intent_from_element(xml[0])
            self.contacts[sender.bare] = sender
            if self._funded(intent):  # a wallet to debit first: the ordinary, awaited path
                task = asyncio.ensure_future(self._on_funded_raw_action(xml, actor, intent))
                self._raw_tasks.add(task)
                task.add_done_callback(self._raw_tasks.discard)
                return
            name = self._admit(actor, sender, intent)
            entry = intent_entry(PlayerId(sender.bare), intent, 0.0, name)
        except TableError as exc:
            reply_error(Iq(self, xml, recv=True), exc)
            return
        actor.submit(entry, lambda _events, error: self._answer_raw(xml, error))

    async def _on_funded_raw_action(self, xml: Any, actor: TableActor, intent: Intent) -> None:
        try:
            await self._perform(actor, JID(xml.get("from")), intent)
        except BaseException as exc:
            self._answer_raw(xml, exc)
            if not isinstance(exc, Exception):
                raise
            return
        self._answer_raw(xml, None)

    def _answer_raw(self, xml: Any, error: BaseException | None) -> None:
        if error is None:
            self._outbox.put(iq_result_xml(
                iq_id=xml.get("id") or "", to=xml.get("from"), sender=xml.get("to"),
            ))
        elif isinstance(error, TableError):
            reply_error(Iq(self, xml, recv=True), error)
        elif isinstance(error, Exception):  # answered (and logged) as slixmpp does for handlers
            Iq(self, xml, recv=True).exception(error)

    async def _on_table_iq(self, iq: Iq) -> None:
        try:
            actor = self._actor(iq["to"].user)
        except TableError as exc:
            reply_error(iq, exc)
            return
        viewer = PlayerId(iq["from"].bare)
        view = snapshot(actor.table, viewer)  # a read: atomic on the actor's event loop
        reply = iq.reply()
        reply["rb_table"]["seq"] = str(view.seq)
        reply["rb_table"]["json"] = snapshot_to_json(view, self.names[actor.table_id])
        reply.send()

    def _funded(self, intent: Intent) -> bool:
        return self.persistence is not None and intent.kind in (
            IntentKind.SIT, IntentKind.ADD_CHIPS
        )

    def _admit(self, actor: TableActor, sender: JID, intent: Intent) -> str | None:
        """The rate limit; the display name of a player who sits down (None otherwise)."""
        if not self._action_limit.allow(sender.bare):
            raise RateLimitedError("too many requests: slow down")
        if intent.kind is not IntentKind.SIT:
            return None
        names = self.names[actor.table_id]
        display = self.rooms[actor.table_id].nick_of(sender.bare) or sender.user or sender.bare
        return names.setdefault(PlayerId(sender.bare), unique_name(display, names))

    async def _perform(self, actor: TableActor, sender: JID, intent: Intent) -> list[Event]:
        name = self._admit(actor, sender, intent)
        player = PlayerId(sender.bare)
        if self.persistence is not None and self._funded(intent):
            intent = await self.persistence.fund(player, name, intent, actor.table.config)
        return await actor.call(intent_entry(player, intent, 0.0, name))

    # --- text commands: room and private messages ------------------------------------------

    async def _on_message(self, message: Message) -> None:
        if message["type"] == "error" or not message["body"]:
            return
        sender: JID = message["from"]
        room = self._room_by_jid.get(sender.bare)
        if room is not None:
            if sender.resource == DEALER_NICK or not sender.resource:
                return
            real = room.occupant_jid(sender.resource)
            table_id = room.table_id
        else:
            if message["to"].user not in (DEALER_NODE, *self._tables):
                return
            real = sender
            table_id = message["to"].resource if message["to"].user == DEALER_NODE else (
                message["to"].user
            )
        if table_id not in self.actors or real is None:
            return
        in_room = room is not None and message["type"] == "groupchat"
        try:
            intent = parse_command(message["body"])
        except BadRequestError:
            if in_room:
                assert room is not None
                await self._limit_chat(room, sender.resource, real)
            else:
                self.tell(table_id, real, f"not a command; {HELP_TEXT}")
            return
        except TableError as exc:
            self.tell(table_id, real, str(exc))
            return
        if intent.kind is IntentKind.HELP:
            self.tell(table_id, real, HELP_TEXT)
            return
        if intent.kind in (IntentKind.BALANCE, IntentKind.HISTORY):
            await self.accounts.tell(table_id, real, intent.kind)
            return
        self.contacts[real.bare] = real
        try:
            await self._perform(self.actors[table_id], real, intent)
        except TableError as exc:
            self.tell(table_id, real, str(exc))

    async def _limit_chat(self, room: Room, nick: str, real: JID) -> None:
        """Table chat is the MUC service's; a flooder loses their voice for a while."""
        if self._chat_limit.allow(real.bare):
            return
        occupant = room.occupants.get(nick)
        if occupant is None or occupant.role != "participant":
            return
        self.tell(room.table_id, real, "you are sending messages too fast: muted for 30 s")
        await mute(self, room, nick, seconds=30)
