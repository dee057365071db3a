"""The store's domain errors: one family, each subclassing the builtin it refines.

A buy-in larger than the wallet raises the table core's ``InsufficientChipsError`` instead,
so that the component translates it like any other seat error.
"""

from __future__ import annotations


class StoreError(Exception):
    """Base of every error the store raises on purpose."""


class StoreURLError(StoreError, ValueError):
    """A store URL the store cannot use (unknown scheme or driver, in-memory SQLite)."""


class InvalidRecordError(StoreError, ValueError):
    """A transfer, hand record or checkpoint that cannot be stored as given."""


class DuplicateHandError(StoreError, ValueError):
    """A hand with this table id and hand number is already stored."""


class UnknownTableError(StoreError, LookupError):
    """A journal entry or checkpoint for a table that was never saved with ``save_table``."""


class LedgerError(StoreError, RuntimeError):
    """A chip movement the ledger refuses (a cash-out larger than the table account)."""


class DeckKeyError(StoreError, ValueError):
    """A deck key that is malformed, or a sealed deck that does not open with the key."""
