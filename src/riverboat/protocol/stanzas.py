"""slixmpp stanza classes for Riverboat's payload elements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from slixmpp import Iq, Message
from slixmpp.xmlstream import ElementBase, register_stanza_plugin

from riverboat.protocol.namespace import NS


class ActionPayload(ElementBase):  # type: ignore[misc]
    """``<action xmlns='urn:riverboat:0' type='raise' amount='60'/>`` in an IQ set."""

    name = "action"
    namespace = NS
    plugin_attrib = "rb_action"
    interfaces = {"type", "amount", "seat", "cards"}


class _JsonText:
    """The ``json`` interface of a payload: the element's text."""

    xml: Any

    def get_json(self) -> str:
        return str(self.xml.text or "")

    def set_json(self, value: str) -> None:
        self.xml.text = value

    def del_json(self) -> None:
        self.xml.text = None


class TablePayload(_JsonText, ElementBase):  # type: ignore[misc]
    """``<table xmlns='urn:riverboat:0'/>``: snapshot request (IQ get) and answer (JSON text)."""

    name = "table"
    namespace = NS
    plugin_attrib = "rb_table"
    interfaces = {"seq", "json"}



class EventPayload(_JsonText, ElementBase):  # type: ignore[misc]
    """``<event xmlns='urn:riverboat:0' type='…' seq='…' table='…'>{JSON}</event>``."""

    name = "event"
    namespace = NS
    plugin_attrib = "rb_event"
    interfaces = {"type", "seq", "table", "json"}



class WalletPayload(_JsonText, ElementBase):  # type: ignore[misc]
    """``<wallet xmlns='urn:riverboat:0'/>``: the asker's wallet (IQ get; answer: JSON text)."""

    name = "wallet"
    namespace = NS
    plugin_attrib = "rb_wallet"
    interfaces = {"json"}


class HistoryPayload(_JsonText, ElementBase):  # type: ignore[misc]
    """``<history xmlns='urn:riverboat:0' limit='10'/>``: the asker's recent hands (IQ get;
    answer: JSON text, each hand's events as the asker may see them)."""

    name = "history"
    namespace = NS
    plugin_attrib = "rb_history"
    interfaces = {"limit", "json"}


@cache
def register_stanzas() -> None:
    """Teach slixmpp the payloads (once per process)."""
    register_stanza_plugin(Iq, ActionPayload)
    register_stanza_plugin(Iq, TablePayload)
    register_stanza_plugin(Iq, WalletPayload)
    register_stanza_plugin(Iq, HistoryPayload)
    register_stanza_plugin(Message, EventPayload)


_quoted = lru_cache(maxsize=4096)(quoteattr)
"""Attribute values repeat (room, dealer and player addresses, event types): quote each once."""


def event_message_xml(
    *, to: str, sender: str, mtype: str, body: str, kind: str, seq: int, table: str, payload: str
) -> str:
    """An event message as XML text: the same stanza as ``Message`` + ``EventPayload`` build."""
    return (
        f"<message to={_quoted(to)} from={_quoted(sender)} type={_quoted(mtype)}>"
        f"<body>{escape(body)}</body>"
        f"<event xmlns='{NS}' type={_quoted(kind)} seq='{seq}' table={_quoted(table)}>"
        f"{escape(payload)}</event></message>"
    )


def events_message_xml(
    *, to: str, sender: str, body: str, table: str, items: Sequence[tuple[str, int, str]]
) -> str:
    """The room message of one input: ``<events/>`` holding an ``<event/>`` per event, in
    order (``items``: type, seq, JSON), the body one line per event."""
    inner = "".join(
        f"<event type={_quoted(kind)} seq='{seq}'>{escape(payload)}</event>"
        for kind, seq, payload in items
    )
    return (
        f"<message to={_quoted(to)} from={_quoted(sender)} type='groupchat'>"
        f"<body>{escape(body)}</body>"
        f"<events xmlns='{NS}' table={_quoted(table)} seq='{items[-1][1]}'>{inner}</events>"
        "</message>"
    )


@dataclass(frozen=True, slots=True)
class EventItem:
    """One event payload as it came: attributes and JSON text, not yet decoded."""

    kind: str
    seq: str
    table: str
    json: str


_EVENT = f"{{{NS}}}event"
_EVENTS = f"{{{NS}}}events"


def event_items(message: Any) -> list[EventItem]:
    """The events a message element carries, in order: the children of its ``<events/>`` (a
    room message) or its one ``<event/>`` (a private message); none if it carries neither."""
    batch = message.find(_EVENTS)
    if batch is not None:
        table = batch.get("table", "")
        return [
            EventItem(e.get("type", ""), e.get("seq", ""), table, e.text or "")
            for e in batch.iterfind(_EVENT)
        ]
    one = message.find(_EVENT)
    if one is None:
        return []
    return [
        EventItem(one.get("type", ""), one.get("seq", ""), one.get("table", ""), one.text or "")
    ]


def iq_result_xml(*, iq_id: str, to: str, sender: str) -> str:
    """An empty IQ result as XML text (one per action: the hot path, like events)."""
    return f"<iq type='result' id={quoteattr(iq_id)} to={_quoted(to)} from={_quoted(sender)}/>"
