"""Domain errors <-> XMPP stanza errors: the one translation table, used by both sides."""

from __future__ import annotations

from riverboat.table.errors import AmountOutOfRangeError, TableError, all_errors

# condition name -> (XMPP defined condition, error type)
STANZA_ERRORS: dict[str, tuple[str, str]] = {
    "not-your-turn": ("unexpected-request", "wait"),
    "amount-out-of-range": ("not-acceptable", "modify"),
    "illegal-action": ("not-acceptable", "modify"),
    "not-seated": ("item-not-found", "cancel"),
    "already-seated": ("conflict", "cancel"),
    "seat-taken": ("conflict", "cancel"),
    "table-full": ("conflict", "cancel"),
    "insufficient-chips": ("not-acceptable", "modify"),
    "hand-in-progress": ("unexpected-request", "wait"),
    "no-hand": ("unexpected-request", "wait"),
    "not-enough-players": ("unexpected-request", "wait"),
    "unknown-table": ("item-not-found", "cancel"),
    "bad-card": ("not-acceptable", "modify"),
    "too-early": ("unexpected-request", "wait"),
    "bad-config": ("bad-request", "modify"),
    "bad-request": ("bad-request", "modify"),
    "rate-limited": ("resource-constraint", "wait"),
    "forbidden": ("forbidden", "auth"),
    "table-error": ("undefined-condition", "cancel"),
}


def stanza_error(error: TableError) -> tuple[str, str, dict[str, str]]:
    """(XMPP condition, error type, attributes of the application condition element)."""
    condition, etype = STANZA_ERRORS.get(error.condition, STANZA_ERRORS["table-error"])
    attrs: dict[str, str] = {}
    if isinstance(error, AmountOutOfRangeError):
        attrs = {"min": str(error.minimum), "max": str(error.maximum)}
    return condition, etype, attrs


def error_from_wire(condition: str | None, text: str, attrs: dict[str, str]) -> TableError:
    """The Python error for an application condition received from the component."""
    cls = all_errors().get(condition or "", TableError)
    message = text or condition or "error"
    if issubclass(cls, AmountOutOfRangeError):
        return cls(message, int(attrs.get("min", 0)), int(attrs.get("max", 0)))
    return cls(message)
