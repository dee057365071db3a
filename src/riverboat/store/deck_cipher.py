"""Sealing a table's deck for the journal: Fernet (AES-128-CBC + HMAC-SHA256) with a local key.

The journal is written before the cards are dealt, so that a restarted server deals the same
deck; sealed, the deck in the database tells nothing to whoever reads the database.
The key comes from ``$RIVERBOAT_DECK_KEY`` if set, else from ``<data_dir>/deck.key``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from riverboat.store.errors import DeckKeyError

DECK_KEY_ENV = "RIVERBOAT_DECK_KEY"
DECK_KEY_FILE = "deck.key"


class DeckCipher:
    """Seals JSON objects into tokens and opens them again, with one key."""

    def __init__(self, key: bytes) -> None:
        try:
            self._fernet = Fernet(key)
        except (ValueError, TypeError):
            raise DeckKeyError(
                "a deck key is 32 url-safe base64-encoded bytes (make one with "
                "Fernet.generate_key())") from None

    def seal(self, obj: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(obj, separators=(",", ":")).encode()).decode()

    def open(self, token: str) -> dict[str, Any]:
        try:
            plain = self._fernet.decrypt(token.encode())
        except InvalidToken:
            raise DeckKeyError(
                "the sealed deck does not open with this key (was the deck key changed or "
                f"lost? it comes from ${DECK_KEY_ENV} or {DECK_KEY_FILE})") from None
        value = json.loads(plain)
        if not isinstance(value, dict):
            raise DeckKeyError("the sealed deck does not hold an object")
        return value


def load_or_create_key(path: Path) -> bytes:
    """The key in ``path``; a new one written there (mode 0600) if the file is missing."""
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it meanwhile: use theirs
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as out:
        out.write(key + b"\n")
    return key


def configured_key(data_dir: Path, environ: Mapping[str, str] = os.environ) -> bytes:
    """``$RIVERBOAT_DECK_KEY`` if set, else the key in ``<data_dir>/deck.key`` (made if new)."""
    value = environ.get(DECK_KEY_ENV, "").strip()
    if value:
        return value.encode()
    return load_or_create_key(data_dir / DECK_KEY_FILE)
