"""Hand histories out of the store as one ``.phhs`` text (PHH's multi-hand format).

A ``.phhs`` file is TOML with one table per hand, ``[1]``, ``[2]``, …, each holding that hand's
PHH fields (what pokerkit's ``HandHistory.load_all`` reads). A stored hand whose text would not
nest under a section header (it has TOML tables of its own) is normalized through pokerkit.
"""

from __future__ import annotations

import tomllib
from collections.abc import AsyncIterator
from typing import TextIO

from riverboat.store.records import StoredHand


def section(number: int, phh: str) -> str:
    """One hand as the ``[number]`` section of a ``.phhs`` file."""
    text = phh.strip()
    nested = f"[{number}]\n{text}\n"
    try:
        if tomllib.loads(nested) == {str(number): tomllib.loads(text)}:
            return nested
    except tomllib.TOMLDecodeError:
        pass
    from pokerkit import HandHistory

    return f"[{number}]\n{HandHistory.loads(text).dumps()}\n"


async def write_phhs(hands: AsyncIterator[StoredHand], out: TextIO) -> int:
    """Write every hand to ``out`` as sections of one ``.phhs``; returns how many."""
    count = 0
    async for hand in hands:
        count += 1
        if count > 1:
            out.write("\n")
        out.write(section(count, hand.phh))
    return count
