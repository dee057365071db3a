"""Table snapshots <-> JSON."""

from __future__ import annotations

import dataclasses
import json

from riverboat.table.errors import BadRequestError
from riverboat.table.events import PlayerId, SeatNo
from riverboat.table.snapshot import SeatView, TableView


def snapshot_to_json(view: TableView, names: dict[PlayerId, str] | None = None) -> str:
    def name(player: PlayerId | None) -> str | None:
        if player is None:
            return None
        return (names or {}).get(player, player.split("@", 1)[0])

    data = dataclasses.asdict(view)
    data["to_act"] = name(view.to_act)
    for seat in data["players"]:
        seat["player"] = name(seat["player"])
    return json.dumps(data, separators=(",", ":"))


def snapshot_from_json(text: str) -> TableView:
    try:
        data = json.loads(text)
        players = tuple(
            SeatView(
                seat=SeatNo(p["seat"]), player=PlayerId(p["player"]), stack=p["stack"],
                bet=p["bet"], in_hand=p["in_hand"], folded=p["folded"],
                sitting_out=p["sitting_out"], cards=tuple(p["cards"]),
            )
            for p in data.pop("players")
        )
        data["board"] = tuple(data["board"])
        return TableView(players=players, **data)
    except (ValueError, KeyError, TypeError) as exc:
        raise BadRequestError(f"malformed snapshot: {exc}") from exc
