"""``finish_hand`` on PostgreSQL, the common case (no cash-outs), straight through asyncpg.

Once a hand, this is the store's largest write: through SQLAlchemy's async layer its seven
statements cost a round trip and a greenlet switch each. Here they run in one asyncpg
transaction of prepared statements (the two multi-row inserts as ``executemany``). It writes
exactly what the general path writes (``Store.finish_hand`` with ``ledger.post_hand``): the
hand, its players, the ``hand`` ledger transaction and its postings, the new checkpoint, and
the table's journal cleared; the store's tests run both paths against the audit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from riverboat.store.errors import DuplicateHandError, UnknownTableError
from riverboat.store.records import HandRecord
from riverboat.store.schema import table_account

_HAND = (
    "INSERT INTO hands (table_id, hand_no, ended_at, phh) "
    "SELECT table_id, $2, $3, $4 FROM saved_tables WHERE table_id = $1 RETURNING id"
)
_PLAYER = "INSERT INTO hand_players (hand_id, position, jid, net) VALUES ($1, $2, $3, $4)"
_TRANSACTION = (
    "INSERT INTO ledger_transactions (created_at, reason, table_id, hand_no) "
    "VALUES ($1, 'hand', $2, $3) RETURNING id"
)
_POSTING = (
    "INSERT INTO ledger_postings (transaction_id, account, player, amount) "
    "VALUES ($1, $2, $3, $4)"
)
_CHECKPOINT = "UPDATE saved_tables SET checkpoint = $2, updated_at = $3 WHERE table_id = $1"
_CLEAR = "DELETE FROM table_journal WHERE table_id = $1"


async def finish_hand(
    pool: Any, table_id: str, hand: HandRecord, checkpoint: str, now: datetime
) -> None:
    import asyncpg

    rows = list(enumerate(zip(hand.players, hand.net, strict=True)))
    async with pool.acquire() as connection, connection.transaction():
        try:
            hand_id = await connection.fetchval(
                _HAND, table_id, hand.hand_no, hand.ended_at, hand.phh
            )
        except asyncpg.UniqueViolationError:
            raise DuplicateHandError(
                f"hand {hand.hand_no} of table {table_id!r} is already stored") from None
        if hand_id is None:
            raise UnknownTableError(f"no saved table {table_id!r}: call save_table first")
        await connection.executemany(
            _PLAYER, [(hand_id, i, jid, net) for i, (jid, net) in rows]
        )
        transaction_id = await connection.fetchval(_TRANSACTION, now, table_id, hand.hand_no)
        await connection.executemany(
            _POSTING,
            [(transaction_id, table_account(table_id, jid), jid, net) for _, (jid, net) in rows],
        )
        await connection.execute(_CHECKPOINT, table_id, checkpoint, now)
        await connection.execute(_CLEAR, table_id)
