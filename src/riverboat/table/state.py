"""A table's configuration and its state between hands, as plain JSON-ready dicts.

The game server stores these (a checkpoint after every hand) and rebuilds tables from them after
a restart; what happens during a hand is rebuilt by replaying its logged commands on top.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from riverboat.table.config import Mode, TableConfig, Variant
from riverboat.table.errors import ConfigError, HandInProgressError
from riverboat.table.events import PlayerId, SeatNo
from riverboat.table.seating import Seat
from riverboat.table.table import Table

STATE_VERSION = 1
_SEAT_FIELDS = tuple(f.name for f in fields(Seat))  # all plain values: no asdict deep copy


def config_to_dict(config: TableConfig) -> dict[str, Any]:
    data = asdict(config)
    data["variant"] = config.variant.name
    data["mode"] = config.mode.value
    data["blinds"] = list(config.blinds)
    if not isinstance(config.antes, int):
        data["antes"] = list(config.antes)
    return data


def config_from_dict(data: dict[str, Any]) -> TableConfig:
    known = {f.name for f in fields(TableConfig)}
    unknown = set(data) - known
    if unknown:
        raise ConfigError(f"unknown table settings: {', '.join(sorted(unknown))}")
    values = dict(data)
    if "variant" in values:
        values["variant"] = Variant.from_name(str(values["variant"]))
    if "mode" in values:
        values["mode"] = Mode(values["mode"])
    if "blinds" in values:
        values["blinds"] = tuple(values["blinds"])
    if isinstance(values.get("antes"), list):
        values["antes"] = tuple(values["antes"])
    return TableConfig(**values)


def table_state(table: Table) -> dict[str, Any]:
    """Everything a table carries from one hand to the next (not during a hand)."""
    if table.hand is not None:
        raise HandInProgressError("a table's state is saved between hands")
    return {
        "version": STATE_VERSION,
        "button": table.button,
        "hand_no": table.hand_no,
        "seq": table.seq,
        "seats": [
            {name: getattr(seat, name) for name in _SEAT_FIELDS}
            for seat in sorted(table.seats.values(), key=lambda s: s.number)
        ],
    }


def load_state(table: Table, state: dict[str, Any]) -> None:
    """Put a fresh table (no hand) in the state :func:`table_state` saved."""
    if table.hand is not None:
        raise HandInProgressError("a state is loaded between hands")
    if state.get("version") != STATE_VERSION:
        raise ConfigError(f"unknown table state version {state.get('version')!r}")
    seats: dict[SeatNo, Seat] = {}
    for raw in state["seats"]:
        seat = Seat(**raw)
        seat.number = SeatNo(int(seat.number))
        seat.player = PlayerId(str(seat.player))
        if not 1 <= seat.number <= table.config.seats:
            raise ConfigError(f"seat {seat.number} does not exist at this table")
        seats[seat.number] = seat
    button = state["button"]
    table.seats = seats
    table.button = None if button is None else SeatNo(int(button))
    table.hand_no = int(state["hand_no"])
    table.seq = int(state["seq"])
    table.deadline = None
