"""Past hands as one player may read them: a stored PHH record replayed through the table, and
every event filtered by :func:`riverboat.table.views.view_for`.

So a player reads their own hole cards and what was shown at showdown, never another player's
mucked cards, by the same rule that filtered the live events.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from riverboat.table.events import (
    BoardDealt,
    CardsShown,
    Event,
    HandEnded,
    HoleCardsDealt,
    PlayerId,
)
from riverboat.table.replay import UnsupportedRecordError, play_record
from riverboat.table.views import Viewer, view_for


def events_for(phh: str, viewer: Viewer) -> list[Event]:
    """The events of a stored hand as ``viewer`` may see them (players named by JID)."""
    record = tomllib.loads(phh)
    jids = record.get("_jids")
    if not isinstance(jids, list):
        raise UnsupportedRecordError("the record has no _jids field naming its players")
    _, events = play_record(record, [PlayerId(str(j)) for j in jids])
    return [view_for(event, viewer) for event in events]


def player_names(phh: str) -> dict[PlayerId, str]:
    """Each player's JID -> the name the hand was played under."""
    record = tomllib.loads(phh)
    jids, names = record.get("_jids", []), record.get("players", [])
    return {PlayerId(str(j)): str(n) for j, n in zip(jids, names, strict=False)}


@dataclass(frozen=True, slots=True)
class PastHand:
    """What one player saw of a finished hand."""

    hand_no: int
    held: tuple[str, ...]
    board: tuple[str, ...]
    shown: tuple[tuple[str, tuple[str, ...]], ...]
    """Cards others showed, by the name they played under."""
    net: int


def summary_for(phh: str, viewer: PlayerId) -> PastHand:
    events = events_for(phh, viewer)
    held: tuple[str, ...] = ()
    board: tuple[str, ...] = ()
    shown: list[tuple[str, tuple[str, ...]]] = []
    names = player_names(phh)
    net = 0
    hand_no = int(tomllib.loads(phh).get("hand", 0))
    for event in events:
        if isinstance(event, HoleCardsDealt) and event.player == viewer:
            held += tuple(c for c in event.cards if c)
        elif isinstance(event, BoardDealt):
            board = event.board
        elif isinstance(event, CardsShown) and event.player != viewer:
            shown.append((names.get(event.player, event.player), event.cards))
        elif isinstance(event, HandEnded) and viewer in event.players:
            net = event.net[event.players.index(viewer)]
    return PastHand(hand_no, held, board, tuple(shown), net)
