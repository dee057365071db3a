"""pokerkit's rule warnings, as the table runtime needs them: errors in live play.

pokerkit reports some problems with ``warnings.warn`` instead of an exception (a card dealt
twice or not from its deck, a fold nobody needed). A ``warnings.catch_warnings`` block around
every pokerkit call costs about a fifth of a hand, so pokerkit's state module is given this
module's ``warn`` once, at import; the runtime then says per call how warnings are treated:

- ``STRICT`` (live tables): a warning raises :class:`RuleWarningError`, except the expected notice
  that a draw game reshuffles its used cards;
- ``QUIET`` (replays of records, which may use unknown cards): warnings are ignored;
- ``PASS`` (anything else, e.g. pokerkit used directly): ``warnings.warn`` as pokerkit would.
"""

from __future__ import annotations

import warnings
from enum import Enum
from typing import Any

import pokerkit.state


class Mode(Enum):
    PASS = "pass"
    STRICT = "strict"
    QUIET = "quiet"


class RuleWarningError(Exception):
    """A pokerkit warning raised as an error (live play)."""


_EXPECTED = ("Returning reserved",)  # a draw game reshuffling its discards: not a problem
_mode = Mode.PASS


def set_mode(mode: Mode) -> Mode:
    """Set how pokerkit's warnings are treated; returns the previous mode (to restore)."""
    global _mode
    previous, _mode = _mode, mode
    return previous


def _warn(message: Any, category: Any = None, stacklevel: int = 1, source: Any = None) -> None:
    if _mode is Mode.STRICT:
        if not str(message).startswith(_EXPECTED):
            raise RuleWarningError(str(message))
    elif _mode is Mode.PASS:
        warnings.warn(message, category, stacklevel + 1, source)


pokerkit.state.warn = _warn  # type: ignore[attr-defined]
