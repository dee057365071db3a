"""A player's own account through the component: wallet and recent hands, as IQ answers
(``<wallet/>``, ``<history/>``) and as answers to the ``balance`` / ``history`` text commands.

Reads only, by the bare JID the XMPP server stamps; rate-limited like actions. Past hands go
through the table core's ``view_for`` (``riverboat.table.past_hands``): the asker's own cards
and what was shown, never another player's mucked or folded cards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slixmpp import JID, Iq
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import StanzaPath

from riverboat.protocol.account import history_json, history_text, wallet_json, wallet_text
from riverboat.protocol.intents import IntentKind
from riverboat.server.commands import reply_error
from riverboat.server.naming import rename
from riverboat.table.errors import IllegalActionError, RateLimitedError
from riverboat.table.events import Event, PlayerId
from riverboat.table.past_hands import events_for, player_names, summary_for

if TYPE_CHECKING:
    from riverboat.server.component import GameComponent

NO_STORE = "this game server keeps no wallets or hand histories"
MAX_HANDS = 50


class AccountDesk:
    def __init__(self, component: GameComponent, allow: Callable[[str], bool]) -> None:
        self._component = component
        self._allow = allow
        for name, path, handler in (
            ("rb wallet", "iq@type=get/rb_wallet", self._on_wallet_iq),
            ("rb history", "iq@type=get/rb_history", self._on_history_iq),
        ):
            component.register_handler(CoroutineCallback(name, StanzaPath(path), handler))

    async def tell(self, table_id: str, to: JID, kind: IntentKind) -> None:
        """Answer ``balance`` or ``history`` in a private message from the table's dealer."""
        component = self._component
        if not self._allow(to.bare):
            component.tell(table_id, to, "too many requests: slow down")
            return
        if component.persistence is None:
            component.tell(table_id, to, NO_STORE)
            return
        store, player = component.persistence.store, PlayerId(to.bare)
        titles = component.persistence.store_titles(component.titles)
        if kind is IntentKind.BALANCE:
            text = wallet_text(await store.wallet(player), titles)
        else:
            hands = await store.recent_hands(player, limit=10)
            text = history_text(
                [(h.table_id, h.ended_at, summary_for(h.phh, player)) for h in hands], titles
            )
        component.tell(table_id, to, text)

    def _refused(self, iq: Iq) -> bool:
        if not self._allow(iq["from"].bare):
            reply_error(iq, RateLimitedError("too many requests: slow down"))
            return True
        if self._component.persistence is None:
            reply_error(iq, IllegalActionError(NO_STORE))
            return True
        return False

    async def _on_wallet_iq(self, iq: Iq) -> None:
        if self._refused(iq):
            return
        store = self._store()
        reply = iq.reply()
        reply["rb_wallet"]["json"] = wallet_json(await store.wallet(PlayerId(iq["from"].bare)))
        reply.send()

    async def _on_history_iq(self, iq: Iq) -> None:
        if self._refused(iq):
            return
        raw = str(iq["rb_history"]["limit"] or "10")
        limit = min(int(raw), MAX_HANDS) if raw.isdigit() else 10
        player = PlayerId(iq["from"].bare)
        hands = await self._store().recent_hands(player, limit=limit)
        reply = iq.reply()
        reply["rb_history"]["json"] = history_json(
            [(h.table_id, h.ended_at, as_seen(h.phh, player)) for h in hands]
        )
        reply.send()

    def _store(self) -> Any:
        persistence = self._component.persistence
        assert persistence is not None
        return persistence.store


def as_seen(phh: str, viewer: PlayerId) -> list[Event]:
    """A stored hand's events as ``viewer`` may see them, players under their names then."""
    names = player_names(phh)
    return [rename(event, names) for event in events_for(phh, viewer)]
