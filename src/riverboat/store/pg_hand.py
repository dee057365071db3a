"""``finish_hand`` on PostgreSQL, the common case (no cash-outs), as one statement.

Once a hand, this is the store's largest write. Through SQLAlchemy's async layer its seven
statements cost a round trip and a greenlet switch each; here they are one prepared statement
of data-modifying common table expressions (one round trip, atomic on its own, foreign keys
checked at its end). It writes exactly what the general path writes (``Store.finish_hand`` with
``ledger.post_hand``): the hand, its players, the ``hand`` ledger transaction and its postings,
the new checkpoint, and the table's journal cleared; the store's tests run both paths against
the audit. Every part hangs on the hand's row, so a table that was never saved writes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from riverboat.store.errors import DuplicateHandError, UnknownTableError
from riverboat.store.records import HandRecord
from riverboat.store.schema import table_account

# $1 table, $2 hand number, $3 ended at, $4 PHH, $5 now, $6 checkpoint,
# $7 positions, $8 JIDs, $9 nets, $10 table accounts (one element per player).
FINISH_HAND = """
WITH hand AS (
    INSERT INTO hands (table_id, hand_no, ended_at, phh)
    SELECT table_id, $2, $3, $4 FROM saved_tables WHERE table_id = $1
    RETURNING id
), players AS (
    INSERT INTO hand_players (hand_id, position, jid, net)
    SELECT hand.id, p.position, p.jid, p.net
    FROM hand, unnest($7::int[], $8::text[], $9::bigint[]) AS p(position, jid, net)
), tx AS (
    INSERT INTO ledger_transactions (created_at, reason, table_id, hand_no)
    SELECT $5, 'hand', $1, $2 FROM hand
    RETURNING id
), postings AS (
    INSERT INTO ledger_postings (transaction_id, account, player, amount)
    SELECT tx.id, p.account, p.jid, p.net
    FROM tx, unnest($10::text[], $8::text[], $9::bigint[]) AS p(account, jid, net)
), saved AS (
    UPDATE saved_tables SET checkpoint = $6, updated_at = $5
    WHERE table_id = $1 AND EXISTS (SELECT FROM hand)
), cleared AS (
    DELETE FROM table_journal WHERE table_id = $1 AND EXISTS (SELECT FROM hand)
)
SELECT id FROM hand
"""


async def finish_hand(
    pool: Any, table_id: str, hand: HandRecord, checkpoint: str, now: datetime
) -> None:
    import asyncpg

    players = list(hand.players)
    async with pool.acquire() as connection:
        try:
            hand_id = await connection.fetchval(
                FINISH_HAND, table_id, hand.hand_no, hand.ended_at, hand.phh, now, checkpoint,
                list(range(len(players))), players, list(hand.net),
                [table_account(table_id, jid) for jid in players],
            )
        except asyncpg.UniqueViolationError:
            raise DuplicateHandError(
                f"hand {hand.hand_no} of table {table_id!r} is already stored") from None
    if hand_id is None:
        raise UnknownTableError(f"no saved table {table_id!r}: call save_table first")
