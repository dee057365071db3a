"""Replay recorded hands (PHH) through the table runtime and compare where they end.

The record's players ``p1..pn`` sit in seats 1..n with the button on seat n (pokerkit's order:
first after the button, button last); the deal comes from the record and every player action
goes through :class:`riverboat.table.table.Table`'s commands, as in live play.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path

from pokerkit import Card

from riverboat.table.cards import ScriptedDeal, parse_cards
from riverboat.table.config import TableConfig, Variant
from riverboat.table.errors import AmountOutOfRangeError, ConfigError, TableError
from riverboat.table.events import Event, PlayerId, SeatNo
from riverboat.table.table import Table


class Outcome(Enum):
    MATCH = "match"
    DIFFER = "differ"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True, slots=True)
class ReplayResult:
    path: str
    outcome: Outcome
    reason: str = ""
    stacks: tuple[int, ...] = ()


class UnsupportedRecordError(Exception):
    """The record uses something the runtime does not deal (the reason is the message)."""


def phh_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The ``.phh`` files named, and those found (sorted) under the folders named."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.phh") if p.is_file())
        else:
            yield path


def _player(i: int) -> PlayerId:
    return PlayerId(f"p{i + 1}")


def config_for(record: dict[str, object]) -> TableConfig:
    code = str(record["variant"])
    try:
        variant = Variant(code)
    except ValueError:
        raise UnsupportedRecordError(f"variant {code!r} is not dealt by the runtime") from None
    stacks = [int(s) for s in record["starting_stacks"]]  # type: ignore[attr-defined]
    if not 2 <= len(stacks) <= 10:
        raise UnsupportedRecordError(f"{len(stacks)} players: tables seat 2 to 10")
    antes = tuple(int(a) for a in record.get("antes", ()) or ())  # type: ignore[attr-defined]
    blinds = tuple(
        int(b) for b in record.get("blinds_or_straddles", ()) or ()  # type: ignore[attr-defined]
    )
    try:
        return TableConfig(
            variant=variant,
            seats=len(stacks),
            blinds=blinds,
            antes=antes,
            bring_in=int(record.get("bring_in", 0)),  # type: ignore[call-overload]
            min_bet=int(record.get("min_bet", 0)),  # type: ignore[call-overload]
            small_bet=int(record.get("small_bet", 0)),  # type: ignore[call-overload]
            big_bet=int(record.get("big_bet", 0)),  # type: ignore[call-overload]
            min_buy_in=min(stacks),
            max_buy_in=max(stacks),
        )
    except ConfigError as exc:
        raise UnsupportedRecordError(str(exc)) from None


def _script(actions: list[str]) -> ScriptedDeal:
    holes: dict[int, list[Card]] = {}
    board: list[Card] = []
    for action in actions:
        words = action.split("#", 1)[0].split()
        if words[:2] == ["d", "dh"] and len(words) == 4:
            holes.setdefault(int(words[2][1:]) - 1, []).extend(parse_cards(words[3]))
        elif words[:2] == ["d", "db"] and len(words) == 3:
            board.extend(parse_cards(words[2]))
    return ScriptedDeal(holes, board)


def _raise_amount(table: Table, player: PlayerId, amount: int) -> int:
    """Some records cap a fixed-limit raise at what the opponents can still call (the raise that
    puts the last opponent all-in). The rules make it a full raise whose uncalled part comes back
    at once, which ends on the same stacks: replay it that way."""
    legal = table.legal_actions(player)
    if legal.raise_range is None or amount >= legal.raise_range[0] or table.hand is None:
        return amount
    state = table.hand.state
    index = table.hand.plan.players.index(player)
    callable_to = max(
        (state.bets[j] + state.stacks[j] for j in range(len(state.stacks)) if j != index
         and state.statuses[j]),
        default=0,
    )
    return legal.raise_range[0] if amount >= callable_to else amount


def replay_record(record: dict[str, object]) -> tuple[int, ...]:
    """Play one record through a table; return the finishing stacks (raises on a refusal)."""
    table, _ = play_record(record)
    assert table.last_hand is not None
    return table.last_hand.runner.final_stacks()


def play_record(
    record: dict[str, object], players: Sequence[PlayerId] | None = None
) -> tuple[Table, list[Event]]:
    """Play one record through a table; the table after the hand and every event it caused.

    ``players`` names the record's players (default ``p1..pn``), e.g. by the ``_jids`` the
    game server writes, so that the events can be filtered for one of them (``view_for``).
    """
    config = config_for(record)
    stacks = [int(s) for s in record["starting_stacks"]]  # type: ignore[attr-defined]
    actions = [str(a) for a in record.get("actions", ())]  # type: ignore[attr-defined]
    who = list(players) if players is not None else [_player(i) for i in range(len(stacks))]
    if len(who) != len(stacks):
        raise UnsupportedRecordError("the record names a different number of players")
    table = Table(config, live=False)
    events: list[Event] = []
    for i, stack in enumerate(stacks):
        table.sit(who[i], i + 1, stack)
    events += table.start_hand(
        button=SeatNo(len(stacks)),
        cards=_script(actions),
        ante_trimming=bool(record.get("ante_trimming_status", False)),
    )
    for action in actions:
        words = action.split("#", 1)[0].split()
        if not words or words[0] == "d":
            continue
        if table.hand is None:
            raise TableError(f"the hand ended before {action!r}")
        player, verb, rest = who[int(words[0][1:]) - 1], words[1], words[2:]
        if verb == "f":
            events += table.fold(player)
        elif verb == "cc":
            events += (table.check if table.can_check(player) else table.call)(player)
        elif verb == "cbr":
            try:
                events += table.bet_or_raise_to(player, int(rest[0]))
            except AmountOutOfRangeError:
                events += table.bet_or_raise_to(player, _raise_amount(table, player, int(rest[0])))
        elif verb == "pb":
            events += table.post_bring_in(player)
        elif verb == "sd":
            events += table.discard(player, rest[0] if rest else "")
        elif verb == "sm":
            events += table.show_or_muck(player, rest[0] if rest else None)
        else:
            raise UnsupportedRecordError(f"action {action!r} is not known")
    if table.hand is not None:
        events += table.finish_recorded_showdown()
    if table.hand is not None or table.last_hand is None:
        raise TableError("the record ends before the hand does")
    return table, events


def stacks_match(ours: tuple[int, ...], recorded: list[Decimal | int | float]) -> bool:
    """Equal, or, where the record splits an odd chip in halves, equal by our odd-chip rule:
    the odd chip goes to the first winner after the button, so each stack is within half a
    chip of the record and the totals agree."""
    if len(ours) != len(recorded):
        return False
    if all(Decimal(o) == Decimal(str(r)) for o, r in zip(ours, recorded, strict=True)):
        return True
    if all(Decimal(str(r)) == int(Decimal(str(r))) for r in recorded):
        return False
    total = sum(Decimal(str(r)) for r in recorded)
    close = all(
        abs(Decimal(o) - Decimal(str(r))) <= Decimal("0.5")
        for o, r in zip(ours, recorded, strict=True)
    )
    return close and total == sum(ours)


def replay_file(path: Path) -> ReplayResult:
    name = str(path)
    try:
        with path.open("rb") as fp:
            record = tomllib.load(fp)
        stacks = replay_record(record)
    except UnsupportedRecordError as exc:
        return ReplayResult(name, Outcome.UNSUPPORTED, str(exc))
    except (TableError, ValueError, KeyError, OSError) as exc:
        return ReplayResult(name, Outcome.DIFFER, f"{type(exc).__name__}: {exc}")
    recorded = record.get("finishing_stacks")
    if recorded is not None and not stacks_match(stacks, recorded):
        return ReplayResult(
            name, Outcome.DIFFER, f"finishing stacks {list(stacks)} != recorded {recorded}", stacks
        )
    return ReplayResult(name, Outcome.MATCH, stacks=stacks)
