"""Players are named on the wire by display name (their room nick), not by their JID."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any, cast

from riverboat.table import events as ev
from riverboat.table.events import PlayerId

_NAMED = ("player", "players", "amounts")
_NAME_FIELDS: dict[type, tuple[str, ...]] = {}


def _name_fields(cls: type) -> tuple[str, ...]:
    """The fields of an event class that hold players (found once per class)."""
    if cls not in _NAME_FIELDS:
        _NAME_FIELDS[cls] = tuple(f.name for f in fields(cls) if f.name in _NAMED)
    return _NAME_FIELDS[cls]


def rename(event: ev.Event, names: dict[PlayerId, str]) -> ev.Event:
    """The event with its players' ids replaced by their display names (it is sent often:
    events without players are returned as they are)."""
    which = _name_fields(type(event))
    if not which:
        return event

    def name(player: PlayerId) -> PlayerId:
        return PlayerId(names.get(player) or player.split("@", 1)[0])

    changes: dict[str, object] = {}
    for field_name in which:
        value = getattr(event, field_name)
        if field_name == "player":
            changes["player"] = name(value)
        elif field_name == "players":
            changes["players"] = tuple(name(p) for p in value)
        else:
            changes["amounts"] = tuple((seat, name(p), amount) for seat, p, amount in value)
    return replace(event, **cast(Any, changes))


def unique_name(name: str, names: dict[PlayerId, str]) -> str:
    """``name``, or ``name2``, ``name3``… if a player at the table already has it."""
    taken = set(names.values())
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{name}{n}"
        n += 1
    return candidate
