"""What a viewer may see: the one place where hidden information is filtered.

A viewer is a player (by identity) or ``None`` for a spectator. Hole cards dealt face down are
visible to their owner only, until shown at showdown; a mucked hand stays hidden for good.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from riverboat.table.events import Event, HoleCardsDealt, PlayerActed, PlayerId

Viewer = PlayerId | None
E = TypeVar("E", bound=Event)


def visible_cards(
    owner: PlayerId,
    viewer: Viewer,
    cards: Sequence[str | None],
    face_up: Sequence[bool],
    shown: bool = False,
) -> tuple[str | None, ...]:
    """The hole cards of ``owner`` as ``viewer`` may see them (``None`` for a hidden card)."""
    if shown or (viewer is not None and viewer == owner):
        return tuple(cards)
    return tuple(card if up else None for card, up in zip(cards, face_up, strict=True))


def view_for(event: E, viewer: Viewer) -> E:
    """The event as ``viewer`` may see it: hidden cards replaced by ``None``."""
    if isinstance(event, HoleCardsDealt):
        cards = visible_cards(event.player, viewer, event.cards, event.face_up)
        if cards != event.cards:
            return replace(event, cards=cards)
    elif isinstance(event, PlayerActed) and event.discarded and viewer != event.player:
        return replace(event, discarded=(None,) * len(event.discarded))
    return event
