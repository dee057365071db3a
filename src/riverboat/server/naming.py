"""Players are named on the wire by display name (their room nick), not by their JID."""

from __future__ import annotations

from dataclasses import fields

from riverboat.table import events as ev
from riverboat.table.events import PlayerId

_NAMED = ("player", "players", "amounts")
_FIELDS: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _fields_of(cls: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(every field, the fields that hold players) of an event class, found once per class."""
    found = _FIELDS.get(cls)
    if found is None:
        every = tuple(f.name for f in fields(cls))
        found = _FIELDS[cls] = (every, tuple(n for n in every if n in _NAMED))
    return found


def rename(event: ev.Event, names: dict[PlayerId, str]) -> ev.Event:
    """The event with its players' ids replaced by their display names (it is sent often:
    events without players are returned as they are, the others rebuilt without the checks
    of ``dataclasses.replace``: events have only plain init fields)."""
    every, which = _fields_of(type(event))
    if not which:
        return event

    def name(player: PlayerId) -> PlayerId:
        return PlayerId(names.get(player) or player.split("@", 1)[0])

    values = {n: getattr(event, n) for n in every}
    for field_name in which:
        value = values[field_name]
        if field_name == "player":
            values["player"] = name(value)
        elif field_name == "players":
            values["players"] = tuple(name(p) for p in value)
        else:
            values["amounts"] = tuple((seat, name(p), amount) for seat, p, amount in value)
    return type(event)(**values)


def unique_name(name: str, names: dict[PlayerId, str]) -> str:
    """``name``, or ``name2``, ``name3``… if a player at the table already has it."""
    taken = set(names.values())
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{name}{n}"
        n += 1
    return candidate
