"""Which asyncio event loop the long-running commands use.

``uvloop`` (libuv under asyncio's interface) is the default where it is installed: the game
server spends much of its time in the loop itself (a wake-up, a read, a write per stanza), and
uvloop does that work in C. ``asyncio`` selects the standard library's loop (the tests run on
it too, so the code is checked on both).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

LOOPS = ("uvloop", "asyncio")


def default_loop() -> str:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"


def run(main: Coroutine[Any, Any, T], loop: str | None = None) -> T:
    """``asyncio.run(main)`` on the chosen loop (default: ``default_loop()``)."""
    if (loop or default_loop()) == "uvloop":
        import uvloop

        return uvloop.run(main)
    return asyncio.run(main)
