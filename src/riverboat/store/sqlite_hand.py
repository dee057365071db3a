"""``finish_hand`` on SQLite, the common case (no cash-outs), straight through ``sqlite3``.

The same rows as the general path (``Store.finish_hand`` with ``ledger.post_hand``) and as
``pg_hand`` on PostgreSQL: the hand, its players, the ``hand`` ledger transaction and its
postings, the new checkpoint, the table's journal cleared, in one ``BEGIN IMMEDIATE``
transaction on the writer's connection, without building SQLAlchemy statements (the store's
tests run every path against the audit).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from riverboat.store.errors import DuplicateHandError, UnknownTableError
from riverboat.store.records import HandRecord
from riverboat.store.schema import table_account

_HAND = (
    "INSERT INTO hands (table_id, hand_no, ended_at, phh) "
    "SELECT table_id, ?, ?, ? FROM saved_tables WHERE table_id = ?"
)
_PLAYER = "INSERT INTO hand_players (hand_id, position, jid, net) VALUES (?, ?, ?, ?)"
_TRANSACTION = (
    "INSERT INTO ledger_transactions (created_at, reason, table_id, hand_no) "
    "VALUES (?, 'hand', ?, ?)"
)
_POSTING = (
    "INSERT INTO ledger_postings (transaction_id, account, player, amount) VALUES (?, ?, ?, ?)"
)
_CHECKPOINT = "UPDATE saved_tables SET checkpoint = ?, updated_at = ? WHERE table_id = ?"
_CLEAR = "DELETE FROM table_journal WHERE table_id = ?"


def stored_time(value: datetime) -> str:
    """An aware datetime as the store keeps it on SQLite (``UTCDateTime``: naive UTC, in
    SQLAlchemy's SQLite text format)."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def finish_hand(
    connection: sqlite3.Connection, table_id: str, hand: HandRecord, checkpoint: str,
    now: datetime,
) -> None:
    rows = list(enumerate(zip(hand.players, hand.net, strict=True)))
    at = stored_time(now)
    cursor = connection.cursor()
    try:
        cursor.execute("BEGIN IMMEDIATE")
        try:
            cursor.execute(_HAND, (hand.hand_no, stored_time(hand.ended_at), hand.phh, table_id))
        except sqlite3.IntegrityError:
            raise DuplicateHandError(
                f"hand {hand.hand_no} of table {table_id!r} is already stored") from None
        if cursor.rowcount != 1:
            raise UnknownTableError(f"no saved table {table_id!r}: call save_table first")
        hand_id = cursor.lastrowid
        cursor.executemany(_PLAYER, [(hand_id, i, jid, net) for i, (jid, net) in rows])
        cursor.execute(_TRANSACTION, (at, table_id, hand.hand_no))
        transaction_id = cursor.lastrowid
        cursor.executemany(_POSTING, [
            (transaction_id, table_account(table_id, jid), jid, net) for _, (jid, net) in rows
        ])
        cursor.execute(_CHECKPOINT, (checkpoint, at, table_id))
        cursor.execute(_CLEAR, (table_id,))
        cursor.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            cursor.execute("ROLLBACK")
        raise
    finally:
        cursor.close()
