"""Hand histories: every finished hand exports as PHH (pokerkit's notation).

Metadata go in PHH's own fields (``table``, ``hand``, ``seats``, ``players``, date and time);
anything else in ``_``-prefixed user-defined fields, which pokerkit's reader accepts silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

from pokerkit import HandHistory

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
    return to_phh(finished, **kwargs).dumps()  # type: ignore[arg-type]


def finishing_stacks_of(record: HandHistory) -> tuple[int, ...]:
    """Replay a record with pokerkit alone and return where it ends (its own reader)."""
    *_, state = record
    return tuple(state.stacks)
