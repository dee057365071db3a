"""The table core's domain errors: one family, each subclassing the builtin it refines.

Messages are lowercase, quote the bad input and say what is allowed, so that the component can
pass them to a player as they are.
"""

from __future__ import annotations


class TableError(Exception):
    """Base of every error the table core raises on purpose."""

    #: Stable machine-readable name, used as the application error condition on the wire.
    condition = "table-error"


class IllegalActionError(TableError, ValueError):
    """The action is not allowed in the current state of the hand."""

    condition = "illegal-action"


class NotYourTurnError(IllegalActionError):
    condition = "not-your-turn"


class AmountOutOfRangeError(IllegalActionError):
    """A bet, raise or buy-in amount outside the allowed range, which the error carries."""

    condition = "amount-out-of-range"

    def __init__(self, message: str, minimum: int, maximum: int) -> None:
        super().__init__(message)
        self.minimum = minimum
        self.maximum = maximum


class NotSeatedError(TableError, LookupError):
    condition = "not-seated"


class AlreadySeatedError(TableError, ValueError):
    condition = "already-seated"


class SeatTakenError(TableError, ValueError):
    condition = "seat-taken"


class TableFullError(SeatTakenError):
    condition = "table-full"


class InsufficientChipsError(TableError, ValueError):
    condition = "insufficient-chips"


class HandInProgressError(TableError, RuntimeError):
    """The command needs the table between hands (or a hand in progress for 'no hand')."""

    condition = "hand-in-progress"


class NoHandError(TableError, RuntimeError):
    condition = "no-hand"


class NotEnoughPlayersError(TableError, RuntimeError):
    condition = "not-enough-players"


class UnknownTableError(TableError, LookupError):
    condition = "unknown-table"


class ConfigError(TableError, ValueError):
    condition = "bad-config"


class CardError(TableError, ValueError):
    """A card problem: a duplicate or unparseable card, an exhausted deck."""

    condition = "bad-card"


class TooEarlyError(TableError, RuntimeError):
    """A timeout was claimed before the deadline."""

    condition = "too-early"


class BadRequestError(TableError, ValueError):
    """A request that cannot be read (malformed payload, unknown action type)."""

    condition = "bad-request"


class ForbiddenError(TableError, PermissionError):
    """The sender may not do this (e.g. a game payload from someone who is not the dealer)."""

    condition = "forbidden"


class RateLimitedError(TableError, RuntimeError):
    condition = "rate-limited"


def all_errors() -> dict[str, type[TableError]]:
    """Every error class by its condition name (for translating errors back from the wire)."""
    found: dict[str, type[TableError]] = {}
    pending: list[type[TableError]] = [TableError]
    while pending:
        cls = pending.pop()
        found.setdefault(cls.condition, cls)
        pending.extend(cls.__subclasses__())
    return found
