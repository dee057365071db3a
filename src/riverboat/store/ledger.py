"""Chip movements inside an open transaction: double-entry postings and wallet balances.

Every movement is one ledger transaction whose postings sum to zero. The wallet balance is
also kept in ``wallets.balance`` so that a buy-in can be debited with one guarded ``UPDATE``;
the audit checks that column against the postings.

The functions are synchronous (a SQLAlchemy ``Connection``): the store runs a whole transaction
in one call, in SQLite's writer thread or through ``AsyncConnection.run_sync``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, CursorResult

from riverboat.store.errors import LedgerError
from riverboat.store.records import BankrollPolicy, HandRecord, Transfer
from riverboat.store.schema import (
    GRANT_ACCOUNT,
    TOPUP_ACCOUNT,
    ledger_postings,
    ledger_transactions,
    players,
    table_account,
    wallet_account,
    wallets,
)
from riverboat.table.errors import InsufficientChipsError

# (account, player or None for a source account, amount)
Posting = tuple[str, str | None, int]


def post(
    conn: Connection,
    now: datetime,
    reason: str,
    postings: Sequence[Posting],
    *,
    table_id: str | None = None,
    hand_no: int | None = None,
) -> int:
    """Record one ledger transaction; returns its id."""
    if sum(amount for _, _, amount in postings) != 0:
        raise LedgerError(f"postings of a {reason!r} transaction do not sum to zero")
    result = conn.execute(insert(ledger_transactions).values(
        created_at=now, reason=reason, table_id=table_id, hand_no=hand_no))
    transaction_id = inserted_id(result)
    conn.execute(insert(ledger_postings), [
        {"transaction_id": transaction_id, "account": account, "player": player,
         "amount": amount}
        for account, player, amount in postings
    ])
    return transaction_id


def inserted_id(result: CursorResult[Any]) -> int:
    """The primary key of the row an ``INSERT`` just made."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def touch(
    conn: Connection,
    policy: BankrollPolicy,
    now: datetime,
    jid: str,
    name: str | None = None,
) -> None:
    """Create the player (and a wallet with the grant) if new, else update their last-seen time
    (and name, if given); then top the wallet up if it is due."""
    values: dict[str, object] = {"jid": jid, "name": name, "created_at": now, "last_seen": now}
    if (conn.execute(_insert_new_player(conn, values))).rowcount == 1:
        conn.execute(insert(wallets).values(
            jid=jid, balance=policy.initial_grant, last_topup=now))
        if policy.initial_grant:
            post(conn, now, "grant", [
                (GRANT_ACCOUNT, None, -policy.initial_grant),
                (wallet_account(jid), jid, policy.initial_grant),
            ])
        return
    changes: dict[str, object] = {"last_seen": now}
    if name is not None:
        changes["name"] = name
    conn.execute(update(players).where(players.c.jid == jid).values(**changes))
    _top_up_if_due(conn, policy, now, jid)


def _top_up_if_due(
    conn: Connection, policy: BankrollPolicy, now: datetime, jid: str
) -> None:
    # Row lock on PostgreSQL; SQLite write transactions are serialized (BEGIN IMMEDIATE).
    row = (conn.execute(
        select(wallets.c.balance, wallets.c.last_topup)
        .where(wallets.c.jid == jid).with_for_update())).one()
    balance, last_topup = int(row.balance), row.last_topup
    if balance >= policy.topup_floor or now - last_topup < timedelta(seconds=policy.topup_period):
        return
    amount = policy.topup_floor - balance
    conn.execute(
        update(wallets).where(wallets.c.jid == jid)
        .values(balance=wallets.c.balance + amount, last_topup=now))
    post(conn, now, "topup", [
        (TOPUP_ACCOUNT, None, -amount),
        (wallet_account(jid), jid, amount),
    ])


def transfer(
    conn: Connection, policy: BankrollPolicy, now: datetime, move: Transfer
) -> None:
    """A buy-in (wallet → table, guarded) or a cash-out (table → wallet)."""
    jid, amount = move.player, move.amount
    wallet, at_table = wallet_account(jid), table_account(move.table_id, jid)
    if move.kind == "buy_in":
        touch(conn, policy, now, jid)
        debit = (
            update(wallets)
            .where(wallets.c.jid == jid, wallets.c.balance >= amount)
            .values(balance=wallets.c.balance - amount)
        )
        if (conn.execute(debit)).rowcount != 1:
            balance = conn.scalar(select(wallets.c.balance).where(wallets.c.jid == jid))
            raise InsufficientChipsError(
                f"your wallet holds {balance or 0} chips: not enough for a buy-in of {amount}")
        postings: list[Posting] = [(wallet, jid, -amount), (at_table, jid, amount)]
    else:
        held = account_balance(conn, at_table)
        if held < amount:
            raise LedgerError(
                f"{at_table} holds {held} chips: cannot cash out {amount}")
        credit = (
            update(wallets).where(wallets.c.jid == jid)
            .values(balance=wallets.c.balance + amount)
        )
        if (conn.execute(credit)).rowcount != 1:
            raise LedgerError(f"no wallet for {jid!r}: cannot cash out {amount}")
        postings = [(at_table, jid, -amount), (wallet, jid, amount)]
    post(conn, now, move.kind, postings, table_id=move.table_id, hand_no=move.hand_no)


def post_hand(conn: Connection, now: datetime, hand: HandRecord) -> None:
    """The ``hand`` transaction: each player's net on their account at the table."""
    post(conn, now, "hand", [
        (table_account(hand.table_id, jid), jid, net)
        for jid, net in zip(hand.players, hand.net, strict=True)
    ], table_id=hand.table_id, hand_no=hand.hand_no)


def account_balance(conn: Connection, account: str) -> int:
    total = conn.scalar(
        select(func.coalesce(func.sum(ledger_postings.c.amount), 0))
        .where(ledger_postings.c.account == account))
    return int(total or 0)


def _insert_new_player(
    conn: Connection, values: dict[str, object]
) -> postgresql.Insert | sqlite.Insert:
    """``INSERT … ON CONFLICT DO NOTHING``: of two concurrent first touches, one creates."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(players).values(**values).on_conflict_do_nothing()
    return sqlite.insert(players).values(**values).on_conflict_do_nothing()
