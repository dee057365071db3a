"""Players are named on the wire by display name (their room nick), not by their JID."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any, cast

from riverboat.table import events as ev
from riverboat.table.events import PlayerId


def rename(event: ev.Event, names: dict[PlayerId, str]) -> ev.Event:
    def name(player: PlayerId) -> PlayerId:
        return PlayerId(names.get(player, player.split("@", 1)[0]))

    changes: dict[str, object] = {}
    for f in fields(event):
        value = getattr(event, f.name)
        if f.name == "player":
            changes["player"] = name(value)
        elif f.name == "players":
            changes["players"] = tuple(name(p) for p in value)
        elif f.name == "amounts":
            changes["amounts"] = tuple((seat, name(p), amount) for seat, p, amount in value)
    return replace(event, **cast(Any, changes)) if changes else event


def unique_name(name: str, names: dict[PlayerId, str]) -> str:
    """``name``, or ``name2``, ``name3``… if a player at the table already has it."""
    taken = set(names.values())
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{name}{n}"
        n += 1
    return candidate
