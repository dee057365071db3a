"""What a player asks a table to do, from an IQ payload or a line of text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from riverboat.table.errors import BadRequestError, IllegalActionError


class IntentKind(Enum):
    SIT = "sit"
    STAND = "stand"
    SIT_OUT = "sitout"
    BACK = "back"
    POST = "post"
    ADD_CHIPS = "add"
    FOLD = "fold"
    CHECK = "check"
    CALL = "call"
    BET = "bet"
    RAISE = "raise"
    ALL_IN = "allin"
    BRING_IN = "bringin"
    DISCARD = "discard"
    HELP = "help"
    BALANCE = "balance"
    HISTORY = "history"


@dataclass(frozen=True, slots=True)
class Intent:
    kind: IntentKind
    amount: int | None = None
    seat: int | None = None
    cards: str = ""


class NotACommandError(BadRequestError):
    """A line of text that is not a command (plain table chat)."""

    condition = "bad-request"


HELP_TEXT = (
    "commands: sit [SEAT] [BUY-IN] · fold · check · call · bet N · raise to N · allin · "
    "stand · sitout · back · post (dead big blind to play now) · add N (chips) · "
    "discard CARDS (draw games; 'discard' alone stands pat) · bringin (stud) · "
    "balance (your wallet) · history (your last hands) · help"
)

_ALIASES = {
    "sit": IntentKind.SIT,
    "join": IntentKind.SIT,
    "stand": IntentKind.STAND,
    "leave": IntentKind.STAND,
    "sitout": IntentKind.SIT_OUT,
    "back": IntentKind.BACK,
    "post": IntentKind.POST,
    "add": IntentKind.ADD_CHIPS,
    "topup": IntentKind.ADD_CHIPS,
    "rebuy": IntentKind.ADD_CHIPS,
    "fold": IntentKind.FOLD,
    "check": IntentKind.CHECK,
    "call": IntentKind.CALL,
    "bet": IntentKind.BET,
    "raise": IntentKind.RAISE,
    "complete": IntentKind.RAISE,
    "allin": IntentKind.ALL_IN,
    "shove": IntentKind.ALL_IN,
    "bringin": IntentKind.BRING_IN,
    "discard": IntentKind.DISCARD,
    "draw": IntentKind.DISCARD,
    "standpat": IntentKind.DISCARD,
    "help": IntentKind.HELP,
    "?": IntentKind.HELP,
    "balance": IntentKind.BALANCE,
    "history": IntentKind.HISTORY,
}
_JOINED = re.compile(r"\b(sit|all|stand|bring|top)[\s-]+(out|in|pat|up)\b")


def parse_command(line: str) -> Intent:
    """Parse one line of text (``raise to 60``, ``sit 3 200``, ``all-in``).

    Raises :class:`NotACommandError` for text that is not a command, and
    ``IllegalActionError`` naming the problem for a command with bad arguments.
    """
    text = _JOINED.sub(r"\1\2", line.strip().lower().lstrip("/!"))
    words = text.split()
    if not words or words[0] not in _ALIASES:
        raise NotACommandError(f"not a command: {line.strip()[:40]!r}")
    kind, args = _ALIASES[words[0]], words[1:]
    if kind in (IntentKind.BET, IntentKind.RAISE, IntentKind.ADD_CHIPS):
        if args[:1] == ["to"]:
            args = args[1:]
        if len(args) != 1 or not args[0].isdigit():
            raise IllegalActionError(f"{words[0]} needs an amount, e.g. '{words[0]} 60'")
        return Intent(kind, amount=int(args[0]))
    if kind is IntentKind.SIT:
        if len(args) > 2 or not all(a.isdigit() for a in args):
            raise IllegalActionError("sit takes a seat and a buy-in, e.g. 'sit 3 200'")
        numbers = [int(a) for a in args]
        return Intent(
            kind,
            seat=numbers[0] if numbers else None,
            amount=numbers[1] if len(numbers) > 1 else None,
        )
    if kind is IntentKind.DISCARD:
        return Intent(kind, cards="" if words[0] == "standpat" else "".join(args))
    if args:
        raise IllegalActionError(f"{words[0]} takes no arguments")
    return Intent(kind)
