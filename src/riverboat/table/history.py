"""Hand histories: every finished hand exports as PHH (pokerkit's notation).

Metadata go in PHH's own fields (``table``, ``hand``, ``seats``, ``players``, date and time);
anything else in ``_``-prefixed user-defined fields, which pokerkit's reader accepts silently.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

from pokerkit import HandHistory, notation

from riverboat.table.table import FinishedHand


def to_phh(
    finished: FinishedHand,
    *,
    table: str | None = None,
    names: Mapping[str, str] | None = None,
    when: dt.datetime | None = None,
    extra: Mapping[str, object] | None = None,
) -> HandHistory:
    """The PHH record of a finished hand.

    ``names`` maps player ids to display names (default: the ids); ``extra`` holds fields for
    anything PHH has no field for, written with a leading ``_`` (e.g. ``_jids``).
    """
    plan, runner = finished.plan, finished.runner
    stamp = (when or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    players = [names.get(p, p) if names else p for p in plan.players]
    user_fields = {
        (key if key.startswith("_") else f"_{key}"): value for key, value in (extra or {}).items()
    }
    if finished.exposed:
        user_fields["_exposed"] = {f"seat{seat}": "".join(c) for seat, c in finished.exposed}
    kwargs: dict[str, object] = {
        "hand": plan.hand_no,
        "seats": list(plan.seats),
        "seat_count": runner.config.seats,
        "players": players,
        "finishing_stacks": list(runner.final_stacks()),
        "ante_trimming_status": runner.game.ante_trimming_status,
        "day": stamp.day,
        "month": stamp.month,
        "year": stamp.year,
        "time": stamp.time().replace(microsecond=0, tzinfo=None),
        "time_zone": "UTC",
        "user_defined_fields": user_fields,
    }
    if table is not None:
        kwargs["table"] = table
    return HandHistory.from_game_state(runner.game, runner.state, **cast(Any, kwargs))


def dumps(finished: FinishedHand, **kwargs: object) -> str:
    return record_text(to_phh(finished, **kwargs))  # type: ignore[arg-type]


def _field_values(record: Any) -> dict[str, Any]:
    """What ``dataclasses.asdict`` gives ``HandHistory.dumps``, without its deep copy."""
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


def record_text(record: HandHistory) -> str:
    """``record.dumps()``, the same text at half the cost: pokerkit's ``dumps`` reads the
    record's fields through ``dataclasses.asdict``, which deep-copies every value (half of the
    PHH's cost, and the PHH is most of what a store spends on a finished hand); ``dumps`` only
    reads them, and no field of a record holds a dataclass, so a plain mapping of the fields
    gives the same text (``tests/unit/test_history.py`` compares both on every variant).
    ``dumps`` is the only user of ``asdict`` in ``pokerkit.notation``; the swap lasts the call,
    on the one thread that writes hand histories."""
    setattr(notation, "asdict", _field_values)  # noqa: B010 - a module global, on purpose
    try:
        return record.dumps()
    finally:
        setattr(notation, "asdict", dataclasses.asdict)  # noqa: B010


def finishing_stacks_of(record: HandHistory) -> tuple[int, ...]:
    """Replay a record with pokerkit alone and return where it ends (its own reader)."""
    *_, state = record
    return tuple(state.stacks)
