"""slixmpp stanza classes for Riverboat's payload elements."""

from __future__ import annotations

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


def iq_result_xml(*, iq_id: str, to: str, sender: str) -> str:
    """An empty IQ result as XML text (one per action: the hot path, like events)."""
    return f"<iq type='result' id={quoteattr(iq_id)} to={_quoted(to)} from={_quoted(sender)}/>"
