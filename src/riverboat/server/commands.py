"""Intents -> table commands, run inside the table's actor; table errors -> error replies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from riverboat.protocol.errors import stanza_error
from riverboat.protocol.intents import Intent, IntentKind
from riverboat.protocol.namespace import NS
from riverboat.table.errors import BadRequestError, IllegalActionError, TableError
from riverboat.table.events import Event, PlayerId
from riverboat.table.table import Table

_KINDS = {kind.value: kind for kind in IntentKind}


def intent_from_action(payload: Any) -> Intent:
    """Read an ``<action/>`` payload; BadRequestError if it is malformed."""
    kind_name = payload["type"]
    kind = _KINDS.get(kind_name)
    if kind is None:
        raise BadRequestError(f"unknown action type {kind_name!r}")

    def number(name: str) -> int | None:
        raw = payload[name]
        if raw in ("", None):
            return None
        if not str(raw).isdigit():
            raise BadRequestError(f"{name} must be a whole number, not {raw!r}")
        return int(raw)

    return Intent(kind, amount=number("amount"), seat=number("seat"), cards=payload["cards"] or "")


_ACTION_FIELDS = ("type", "amount", "seat", "cards")


def intent_from_element(element: Any) -> Intent:
    """Read a parsed ``<action/>`` element (an ElementTree element) as
    :func:`intent_from_action` reads the stanza: a missing attribute reads as empty."""
    return intent_from_action({name: element.get(name, "") for name in _ACTION_FIELDS})


def _need(amount: int | None, what: str) -> int:
    if amount is None:
        raise BadRequestError(f"{what} needs an amount")
    return amount


def run_intent(intent: Intent, player: PlayerId) -> Callable[[Table], list[Event]]:
    kind = intent.kind

    def command(table: Table) -> list[Event]:
        match kind:
            case IntentKind.SIT:
                # Online, a player who sits down plays the next hand: they post (see
                # docs/table.md; nothing is owed when a game is only starting).
                events = table.sit(player, intent.seat, intent.amount)
                table.post(player)
                return events
            case IntentKind.STAND:
                return table.stand(player)
            case IntentKind.SIT_OUT:
                return table.sit_out(player)
            case IntentKind.BACK:
                return table.come_back(player)
            case IntentKind.POST:
                seat = table.seat_of(player)
                if seat.sitting_out:
                    return table.come_back(player, post=True)
                return table.post(player)
            case IntentKind.ADD_CHIPS:
                return table.add_chips(player, _need(intent.amount, "add"))
            case IntentKind.FOLD:
                return table.fold(player)
            case IntentKind.CHECK:
                return table.check(player)
            case IntentKind.CALL:
                return table.call(player)
            case IntentKind.BET | IntentKind.RAISE:
                return table.bet_or_raise_to(player, _need(intent.amount, kind.value))
            case IntentKind.ALL_IN:
                return table.all_in(player)
            case IntentKind.BRING_IN:
                return table.post_bring_in(player)
            case IntentKind.DISCARD:
                return table.discard(player, intent.cards)
        raise IllegalActionError(f"{kind.value} is not available at this table")

    return command


def reply_error(iq: Any, error: TableError) -> None:
    """Answer ``iq`` with the XMPP error for ``error`` and its ``urn:riverboat:0`` condition."""
    condition, etype, attrs = stanza_error(error)
    reply = iq.reply(clear=True)
    reply["error"]["type"] = etype
    reply["error"]["condition"] = condition
    reply["error"]["text"] = str(error)
    app = reply["error"].xml.makeelement(f"{{{NS}}}{error.condition}", attrs)
    reply["error"].xml.append(app)
    reply.send()
