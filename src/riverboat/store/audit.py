"""The audit: the ledger, the wallets, the hands and the saved tables checked against each other.

Checks, each reported as one line per discrepancy:

1. every ledger transaction's postings sum to zero, and touch only the accounts its reason
   allows (``grant``/``topup`` → a wallet; ``buy_in``/``cash_out`` between one player's wallet
   and their account at the transaction's table; ``hand`` among accounts at that table);
2. no chips from elsewhere: wallets + table accounts = grants + top-ups, the source accounts
   never positive, no account of an unknown kind;
3. each wallet's ``balance`` column equals its ledger balance; no wallet or table account is
   negative;
4. every finished hand's ``net`` sums to zero and equals its ``hand`` postings (and every
   ``hand`` transaction belongs to a stored hand);
5. at a saved table whose journal is empty, each player's table account equals the checkpoint's
   ``stack + pending_chips`` (0 for a player not in it); chips at a table not saved are reported.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from riverboat.store.records import AuditReport
from riverboat.store.schema import (
    GRANT_ACCOUNT,
    SOURCE_ACCOUNTS,
    TOPUP_ACCOUNT,
    hand_players,
    hands,
    ledger_postings,
    ledger_transactions,
    saved_tables,
    table_account,
    table_journal,
    wallet_account,
    wallets,
)

HandKey = tuple[str, int]


async def run_audit(conn: AsyncConnection) -> AuditReport:
    problems: list[str] = []
    await _check_transactions(conn, problems)
    balances = await _account_balances(conn)
    chips, sources = _check_accounts(balances, problems)
    await _check_wallets(conn, balances, problems)
    await _check_hands(conn, problems)
    await _check_tables(conn, balances, problems)
    return AuditReport(chips_in_play=chips, sources=sources, discrepancies=tuple(problems))


async def _check_transactions(conn: AsyncConnection, problems: list[str]) -> None:
    query = (
        select(ledger_transactions.c.id, ledger_transactions.c.reason,
               ledger_transactions.c.table_id, ledger_postings.c.account,
               ledger_postings.c.player, ledger_postings.c.amount)
        .join(ledger_postings, ledger_postings.c.transaction_id == ledger_transactions.c.id)
        .order_by(ledger_transactions.c.id, ledger_postings.c.id)
    )
    current: int | None = None
    reason, table_id, total = "", None, 0
    players: set[str] = set()

    def close() -> None:
        if current is None:
            return
        if total != 0:
            problems.append(f"transaction {current} ({reason}) sums to {total}, not 0")
        if reason in ("buy_in", "cash_out") and len(players) > 1:
            problems.append(f"transaction {current} ({reason}) moves chips between players")

    result = await conn.stream(query)
    async for row in result:
        if row.id != current:
            close()
            current, reason, table_id, total = row.id, row.reason, row.table_id, 0
            players = set()
        total += int(row.amount)
        if row.player is not None:
            players.add(row.player)
        allowed = _allowed(reason, table_id, row.account, row.player)
        if allowed is not None:
            problems.append(f"transaction {row.id} ({reason}): {allowed}")
    close()


def _allowed(reason: str, table_id: str | None, account: str, player: str | None) -> str | None:
    """Why ``account`` may not take part in a ``reason`` transaction (None when it may)."""
    kind = _kind(account)
    if kind == "wallet" and account != wallet_account(player or ""):
        return f"posting on {account} names player {player!r}"
    if kind == "table" and (
        table_id is None or account != table_account(table_id, player or "")
    ):
        return f"posting on {account} does not match table {table_id!r}, player {player!r}"
    expected = {
        "grant": {GRANT_ACCOUNT, "wallet"},
        "topup": {TOPUP_ACCOUNT, "wallet"},
        "buy_in": {"wallet", "table"},
        "cash_out": {"wallet", "table"},
        "hand": {"table"},
    }.get(reason)
    if expected is None:
        return f"unknown reason {reason!r}"
    if kind not in expected:
        return f"posting on {account} is not allowed for this reason"
    return None


def _kind(account: str) -> str:
    if account in SOURCE_ACCOUNTS:
        return account
    if account.startswith("wallet:"):
        return "wallet"
    if account.startswith("table:") and account.count(":") >= 2:
        return "table"
    return "unknown"


async def _account_balances(conn: AsyncConnection) -> dict[str, int]:
    result = await conn.execute(
        select(ledger_postings.c.account, func.sum(ledger_postings.c.amount))
        .group_by(ledger_postings.c.account))
    return {account: int(total) for account, total in result}


def _check_accounts(balances: dict[str, int], problems: list[str]) -> tuple[int, int]:
    chips = sources = 0
    for account, balance in sorted(balances.items()):
        kind = _kind(account)
        if kind in SOURCE_ACCOUNTS:
            sources -= balance
            if balance > 0:
                problems.append(f"source account {account} holds {balance} chips (must be <= 0)")
        elif kind == "unknown":
            problems.append(f"account {account!r} is of no known kind")
        else:
            chips += balance
            if balance < 0:
                problems.append(f"{account} is negative: {balance}")
    if chips != sources:
        problems.append(
            f"wallets and tables hold {chips} chips but grants and top-ups total {sources}")
    return chips, sources


async def _check_wallets(
    conn: AsyncConnection, balances: dict[str, int], problems: list[str]
) -> None:
    seen: set[str] = set()
    for jid, balance in await conn.execute(select(wallets.c.jid, wallets.c.balance)):
        account = wallet_account(jid)
        seen.add(account)
        derived = balances.get(account, 0)
        if int(balance) != derived:
            problems.append(
                f"wallet of {jid} stores {balance} chips but its ledger balance is {derived}")
    for account, balance in sorted(balances.items()):
        if _kind(account) == "wallet" and account not in seen and balance:
            problems.append(f"{account} holds {balance} chips but the player has no wallet")


async def _check_hands(conn: AsyncConnection, problems: list[str]) -> None:
    recorded: dict[HandKey, dict[str, int]] = defaultdict(dict)
    result = await conn.stream(
        select(hands.c.table_id, hands.c.hand_no, hand_players.c.jid, hand_players.c.net)
        .join(hand_players, hand_players.c.hand_id == hands.c.id, isouter=True))
    async for table_id, hand_no, jid, net in result:
        accounts = recorded[(table_id, int(hand_no))]
        if jid is not None:
            accounts[table_account(table_id, jid)] = int(net)
    posted: dict[HandKey, dict[str, int]] = defaultdict(dict)
    transactions: dict[HandKey, set[int]] = defaultdict(set)
    hand_postings = await conn.stream(
        select(ledger_transactions.c.id, ledger_transactions.c.table_id,
               ledger_transactions.c.hand_no, ledger_postings.c.account,
               ledger_postings.c.amount)
        .join(ledger_postings, ledger_postings.c.transaction_id == ledger_transactions.c.id)
        .where(ledger_transactions.c.reason == "hand"))
    async for transaction_id, table_id, hand_no, account, amount in hand_postings:
        key = (table_id or "", int(hand_no if hand_no is not None else -1))
        transactions[key].add(int(transaction_id))
        postings = posted[key]
        postings[account] = postings.get(account, 0) + int(amount)
    for key in sorted(recorded.keys() | posted.keys()):
        name = f"hand {key[1]} of table {key[0]}"
        if key not in recorded:
            problems.append(f"{name} has 'hand' postings but is not stored")
            continue
        nets = recorded[key]
        if sum(nets.values()) != 0:
            problems.append(f"{name}: net amounts sum to {sum(nets.values())}, not 0")
        if key not in posted:
            problems.append(f"{name} has no 'hand' postings")
            continue
        if len(transactions[key]) > 1:
            problems.append(f"{name} is posted {len(transactions[key])} times")
        for account in sorted(nets.keys() | posted[key].keys()):
            want, got = nets.get(account, 0), posted[key].get(account, 0)
            if want != got:
                problems.append(f"{name}: net {want} but {got} posted on {account}")


async def _check_tables(
    conn: AsyncConnection, balances: dict[str, int], problems: list[str]
) -> None:
    at_tables: dict[str, dict[str, int]] = defaultdict(dict)
    for account, balance in balances.items():
        if _kind(account) == "table" and balance:
            table_id, _, jid = account[len("table:"):].rpartition(":")
            at_tables[table_id][jid] = balance
    journaled = set(await conn.scalars(select(table_journal.c.table_id).distinct()))
    saved = set()
    for table_id, checkpoint in await conn.execute(
        select(saved_tables.c.table_id, saved_tables.c.checkpoint)
    ):
        saved.add(table_id)
        if table_id in journaled:
            continue  # chips may have moved since the checkpoint: the journal replays them
        expected = _checkpoint_chips(table_id, checkpoint, problems)
        if expected is None:
            continue
        held = at_tables.get(table_id, {})
        for jid in sorted(expected.keys() | held.keys()):
            want, got = expected.get(jid, 0), held.get(jid, 0)
            if want != got:
                problems.append(f"table {table_id}: {jid} has {want} chips in the checkpoint "
                                f"but {got} in the ledger")
    for table_id in sorted(at_tables.keys() - saved):
        total = sum(at_tables[table_id].values())
        problems.append(f"table {table_id} is not saved but holds {total} chips in the ledger")


def _checkpoint_chips(
    table_id: str, checkpoint: str | None, problems: list[str]
) -> dict[str, int] | None:
    if checkpoint is None:
        return {}
    try:
        seats: list[dict[str, Any]] = json.loads(checkpoint)["seats"]
        chips: dict[str, int] = {}
        for seat in seats:
            chips[seat["player"]] = chips.get(seat["player"], 0) + int(seat["stack"]) + int(
                seat.get("pending_chips") or 0)
        return {jid: amount for jid, amount in chips.items() if amount}
    except (ValueError, KeyError, TypeError) as exc:
        problems.append(f"table {table_id}: unreadable checkpoint ({type(exc).__name__})")
        return None
