"""Persistence of the game server: players, wallets and their double-entry ledger, finished
hands, saved tables with their journals; the audit and the hand export.

``Store`` (``store.py``) is the one entry point; ``records.py`` holds the values it takes and
returns; ``ledger.py`` the chip movements; ``audit.py`` the checks; ``schema.py`` the tables the
Alembic migrations in ``migrations/`` create. Names are loaded on first use, so the command
line (``cli.py``) starts without importing SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from riverboat.store.deck_cipher import DeckCipher, configured_key, load_or_create_key
    from riverboat.store.errors import (
        DeckKeyError,
        DuplicateHandError,
        InvalidRecordError,
        LedgerError,
        StoreError,
        StoreURLError,
        UnknownTableError,
    )
    from riverboat.store.records import (
        AuditReport,
        BankrollPolicy,
        HandRecord,
        SavedTable,
        StoredHand,
        Transfer,
        Wallet,
    )
    from riverboat.store.store import Store
    from riverboat.store.urls import default_store_url

_WHERE = {
    "AuditReport": "records",
    "BankrollPolicy": "records",
    "DeckCipher": "deck_cipher",
    "DeckKeyError": "errors",
    "DuplicateHandError": "errors",
    "HandRecord": "records",
    "InvalidRecordError": "errors",
    "LedgerError": "errors",
    "SavedTable": "records",
    "Store": "store",
    "StoreError": "errors",
    "StoreURLError": "errors",
    "StoredHand": "records",
    "Transfer": "records",
    "UnknownTableError": "errors",
    "Wallet": "records",
    "configured_key": "deck_cipher",
    "default_store_url": "urls",
    "load_or_create_key": "deck_cipher",
}

__all__ = [
    "AuditReport",
    "BankrollPolicy",
    "DeckCipher",
    "DeckKeyError",
    "DuplicateHandError",
    "HandRecord",
    "InvalidRecordError",
    "LedgerError",
    "SavedTable",
    "Store",
    "StoreError",
    "StoreURLError",
    "StoredHand",
    "Transfer",
    "UnknownTableError",
    "Wallet",
    "configured_key",
    "default_store_url",
    "load_or_create_key",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
