"""``Store``: what the game server persists — players, wallets, hands, tables — in one place.

Each method is one database transaction. The server calls ``append`` for every input a table
actor processes (with the chips it moves), and ``finish_hand`` when a hand ends; after a crash
it rebuilds each table from ``saved_tables()`` (checkpoint + journal).

Writes are synchronous functions run whole by the ``Writer`` (``engine.py``): on SQLite one
hand-off to its thread per transaction. ``append``, the hot path (once per table input), is a
single prepared ``INSERT … SELECT``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, literal, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from riverboat.store import ledger, pg_hand, sqlite_hand
from riverboat.store.engine import Writer, create_engine
from riverboat.store.errors import DuplicateHandError, InvalidRecordError, UnknownTableError
from riverboat.store.migrate import upgrade
from riverboat.store.records import (
    AuditReport,
    BankrollPolicy,
    HandRecord,
    SavedTable,
    StoredHand,
    Transfer,
    Wallet,
    check_jid,
)
from riverboat.store.schema import (
    hand_players,
    ledger_postings,
    ledger_transactions,
    saved_tables,
    table_journal,
    wallets,
)
from riverboat.store.schema import (
    hands as hands_table,
)
from riverboat.store.urls import display_url

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
_PAGE = 500

# The next journal entry of a saved table, numbered after the last one; no row (rowcount 0)
# when the table was never saved. Built once: executing it skips building a statement.
_APPEND = insert(table_journal).from_select(
    ["table_id", "position", "entry"],
    select(
        saved_tables.c.table_id,
        select(func.coalesce(func.max(table_journal.c.position), 0) + 1)
        .where(table_journal.c.table_id == bindparam("tid"))
        .scalar_subquery(),
        bindparam("entry", type_=table_journal.c.entry.type),
    ).where(saved_tables.c.table_id == bindparam("tid")),
)


# The same, written for SQLite's driver (the hot path on the default store).
_APPEND_SQLITE = (
    "INSERT INTO table_journal (table_id, position, entry) "
    "SELECT table_id, (SELECT coalesce(max(position), 0) + 1 FROM table_journal "
    "WHERE table_id = ?), ? FROM saved_tables WHERE table_id = ?"
)

def utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    """The persistence of the game server; open with ``await Store.open(url)``."""

    def __init__(self, engine: AsyncEngine, policy: BankrollPolicy, clock: Clock) -> None:
        self.engine = engine
        self.policy = policy
        self._clock = clock
        self._writer = Writer(engine)

    @classmethod
    async def open(
        cls,
        url: str,
        policy: BankrollPolicy = BankrollPolicy(),  # noqa: B008 (frozen, immutable)
        *,
        clock: Clock = utc_now,
    ) -> Store:
        """Connect to ``url`` and upgrade its schema to the newest migration."""
        engine = create_engine(url)
        try:
            await upgrade(engine)
        except BaseException:
            await engine.dispose()
            raise
        log.info("store open at %s", display_url(url))
        return cls(engine, policy, clock)

    async def close(self) -> None:
        try:
            await self._writer.close()
        finally:
            await self.engine.dispose()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    def _now(self) -> datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise InvalidRecordError(f"the store's clock returned a naive datetime {now!r}")
        return now

    # --- players and wallets ---------------------------------------------------------------

    async def touch_player(self, jid: str, name: str | None = None) -> Wallet:
        """Create the player with the grant if new, update their last-seen time and name, top
        their wallet up if due; returns the wallet."""
        check_jid(jid)
        now = self._now()

        def work(conn: Connection) -> Wallet:
            ledger.touch(conn, self.policy, now, jid, name)
            return _wallet(conn, jid)

        return await self._writer.run(work)

    async def wallet(self, jid: str) -> Wallet:
        """The player's wallet; an unknown player has an empty one (and stays unknown)."""
        async with self.engine.connect() as conn:
            return await conn.run_sync(_wallet, jid)

    # --- tables: definition, journal, checkpoint --------------------------------------------

    async def save_table(self, table_id: str, title: str, config: dict[str, Any]) -> None:
        """Create or replace a table's definition (its checkpoint and journal stay)."""
        now, text = self._now(), _json(config)

        def work(conn: Connection) -> None:
            changed = conn.execute(
                update(saved_tables).where(saved_tables.c.table_id == table_id)
                .values(title=title, config=text, updated_at=now))
            if changed.rowcount == 0:
                conn.execute(insert(saved_tables).values(
                    table_id=table_id, title=title, config=text, checkpoint=None,
                    updated_at=now))

        await self._writer.run(work)

    async def forget_table(self, table_id: str) -> None:
        """Delete a table's definition, checkpoint and journal (its hands and ledger stay)."""

        def work(conn: Connection) -> None:
            conn.execute(delete(table_journal).where(table_journal.c.table_id == table_id))
            conn.execute(delete(saved_tables).where(saved_tables.c.table_id == table_id))

        await self._writer.run(work)

    async def rename_table(self, old: str, new: str) -> None:
        """Give a saved table a new id everywhere: its definition, journal, hands, ledger
        transactions and table accounts (one transaction). For tables stored before ids were
        table JIDs (``t1`` → ``t1@games.example.org``)."""
        prefix, renamed = f"table:{old}:", f"table:{new}:"

        def work(conn: Connection) -> None:
            row = conn.execute(
                select(saved_tables).where(saved_tables.c.table_id == old)).one_or_none()
            if row is None:
                raise _unknown_table(old)
            conn.execute(insert(saved_tables).values({**row._asdict(), "table_id": new}))
            conn.execute(update(table_journal).where(table_journal.c.table_id == old)
                         .values(table_id=new))
            conn.execute(delete(saved_tables).where(saved_tables.c.table_id == old))
            conn.execute(update(hands_table).where(hands_table.c.table_id == old)
                         .values(table_id=new))
            conn.execute(update(ledger_transactions)
                         .where(ledger_transactions.c.table_id == old).values(table_id=new))
            account = ledger_postings.c.account
            rest = func.substr(account, len(prefix) + 1)
            conn.execute(update(ledger_postings)
                         .where(account.startswith(prefix, autoescape=True))
                         .values(account=literal(renamed).concat(rest)))

        await self._writer.run(work)

    async def saved_tables(self) -> list[SavedTable]:
        """Every saved table with its checkpoint and its journal in append order."""
        async with self.engine.connect() as conn:
            tables = (await conn.execute(
                select(saved_tables).order_by(saved_tables.c.table_id))).all()
            journal: dict[str, list[dict[str, Any]]] = {row.table_id: [] for row in tables}
            entries = await conn.execute(
                select(table_journal.c.table_id, table_journal.c.entry)
                .order_by(table_journal.c.table_id, table_journal.c.position))
            for table_id, entry in entries:
                journal.setdefault(table_id, []).append(json.loads(entry))
        return [
            SavedTable(
                table_id=row.table_id,
                title=row.title,
                config=json.loads(row.config),
                checkpoint=None if row.checkpoint is None else json.loads(row.checkpoint),
                journal=journal[row.table_id],
            )
            for row in tables
        ]

    async def append(
        self, table_id: str, entry: dict[str, Any], transfers: Sequence[Transfer] = ()
    ) -> None:
        """Add ``entry`` to the table's journal and make its ``transfers``, atomically.

        A buy-in larger than the wallet raises ``InsufficientChipsError`` and changes nothing.
        """
        text = _json(entry)
        now = self._now()

        params = {"tid": table_id, "entry": text}
        if not transfers:  # most inputs: one statement, its own transaction
            if self._writer.sqlite:
                count = self._writer.run_sql_one(_APPEND_SQLITE, (table_id, text, table_id))
            else:
                count = int(await self._writer.pg_append(table_id, text))
            if count != 1:
                raise _unknown_table(table_id)
            return

        def work(conn: Connection) -> None:
            if conn.execute(_APPEND, params).rowcount != 1:
                raise _unknown_table(table_id)
            for move in transfers:
                ledger.transfer(conn, self.policy, now, move)

        await self._writer.run(work)

    async def finish_hand(
        self,
        table_id: str,
        hand: HandRecord,
        checkpoint: dict[str, Any],
        transfers: Sequence[Transfer] = (),
    ) -> None:
        """Store a finished hand, its postings and ``transfers``; replace the checkpoint and
        clear the journal. A hand number already stored raises ``DuplicateHandError``."""
        if hand.table_id != table_id:
            raise InvalidRecordError(f"hand of table {hand.table_id!r} given for {table_id!r}")
        text = _checkpoint_json(checkpoint)
        now = self._now()
        if not transfers:  # most hands: straight through the driver
            if self._writer.sqlite:
                sqlite_hand.finish_hand(self._writer.sqlite_driver(), table_id, hand, text, now)
            else:
                pool = await self._writer.pg_pool()
                await pg_hand.finish_hand(pool, table_id, hand, text, now)
            return

        def work(conn: Connection) -> None:
            _require_table(conn, table_id)
            try:
                result = conn.execute(insert(hands_table).values(
                    table_id=table_id, hand_no=hand.hand_no, ended_at=hand.ended_at,
                    phh=hand.phh))
            except IntegrityError:
                raise DuplicateHandError(
                    f"hand {hand.hand_no} of table {table_id!r} is already stored") from None
            hand_id = ledger.inserted_id(result)
            if hand.players:
                conn.execute(insert(hand_players), [
                    {"hand_id": hand_id, "position": i, "jid": jid, "net": net}
                    for i, (jid, net) in enumerate(zip(hand.players, hand.net, strict=True))
                ])
            ledger.post_hand(conn, now, hand)
            for move in transfers:
                ledger.transfer(conn, self.policy, now, move)
            _replace_checkpoint(conn, table_id, text, now)

        await self._writer.run(work)

    async def checkpoint(self, table_id: str, checkpoint: dict[str, Any]) -> None:
        """Replace the table's checkpoint and clear its journal, atomically."""
        text = _checkpoint_json(checkpoint)
        now = self._now()

        def work(conn: Connection) -> None:
            _require_table(conn, table_id)
            _replace_checkpoint(conn, table_id, text, now)

        await self._writer.run(work)

    # --- hands ------------------------------------------------------------------------------

    async def recent_hands(self, jid: str, limit: int = 10) -> list[StoredHand]:
        """The player's last ``limit`` hands, newest first."""
        query = (
            select(hands_table).join(hand_players, hand_players.c.hand_id == hands_table.c.id)
            .where(hand_players.c.jid == jid)
            .order_by(hands_table.c.ended_at.desc(), hands_table.c.id.desc())
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
            return await _with_players(conn, rows)

    async def hands(
        self,
        *,
        player: str | None = None,
        table_id: str | None = None,
        since: datetime | None = None,
    ) -> AsyncIterator[StoredHand]:
        """Every stored hand matching the filters, oldest first, read page by page."""
        query = select(hands_table)
        if player is not None:
            query = query.where(hands_table.c.id.in_(
                select(hand_players.c.hand_id).where(hand_players.c.jid == player)))
        if table_id is not None:
            query = query.where(hands_table.c.table_id == table_id)
        if since is not None:
            query = query.where(hands_table.c.ended_at >= since)
        after: tuple[datetime, int] | None = None
        while True:
            page = query
            if after is not None:
                page = page.where(
                    (hands_table.c.ended_at > after[0])
                    | ((hands_table.c.ended_at == after[0]) & (hands_table.c.id > after[1])))
            page = page.order_by(hands_table.c.ended_at, hands_table.c.id).limit(_PAGE)
            async with self.engine.connect() as conn:
                rows = (await conn.execute(page)).all()
                found = await _with_players(conn, rows)
            for hand in found:
                yield hand
            if len(rows) < _PAGE:
                return
            after = (rows[-1].ended_at, rows[-1].id)

    # --- audit ------------------------------------------------------------------------------

    async def audit(self) -> AuditReport:
        """Check the ledger, the wallets, the hands and the tables against each other."""
        from riverboat.store.audit import run_audit

        async with self.engine.connect() as conn:
            return await run_audit(conn)


def _wallet(conn: Connection, jid: str) -> Wallet:
    row = (conn.execute(
        select(wallets.c.balance, wallets.c.last_topup).where(wallets.c.jid == jid))).first()
    if row is None:
        return Wallet()
    prefix = "table:"
    suffix = f":{jid}"
    held = conn.execute(
        select(ledger_postings.c.account, func.sum(ledger_postings.c.amount))
        .where(ledger_postings.c.player == jid,
               ledger_postings.c.account.startswith(prefix, autoescape=True))
        .group_by(ledger_postings.c.account))
    on_tables = {
        account[len(prefix):-len(suffix)]: int(total)
        for account, total in held
        if total and account.endswith(suffix)
    }
    return Wallet(balance=int(row.balance), on_tables=on_tables, last_topup=row.last_topup)


async def _with_players(conn: AsyncConnection, rows: Sequence[Any]) -> list[StoredHand]:
    ids = [row.id for row in rows]
    seated: dict[int, list[tuple[str, int]]] = {hand_id: [] for hand_id in ids}
    if ids:
        result = await conn.execute(
            select(hand_players.c.hand_id, hand_players.c.jid, hand_players.c.net)
            .where(hand_players.c.hand_id.in_(ids))
            .order_by(hand_players.c.hand_id, hand_players.c.position))
        for hand_id, jid, net in result:
            seated[hand_id].append((jid, int(net)))
    return [
        StoredHand(
            table_id=row.table_id,
            hand_no=int(row.hand_no),
            ended_at=row.ended_at,
            players=tuple(jid for jid, _ in seated[row.id]),
            net=tuple(net for _, net in seated[row.id]),
            phh=row.phh,
        )
        for row in rows
    ]


def _require_table(conn: Connection, table_id: str) -> None:
    found = conn.scalar(
        select(saved_tables.c.table_id).where(saved_tables.c.table_id == table_id))
    if found is None:
        raise _unknown_table(table_id)


def _unknown_table(table_id: str) -> UnknownTableError:
    return UnknownTableError(f"no saved table {table_id!r}: call save_table first")


def _replace_checkpoint(conn: Connection, table_id: str, text: str, now: datetime) -> None:
    conn.execute(
        update(saved_tables).where(saved_tables.c.table_id == table_id)
        .values(checkpoint=text, updated_at=now))
    conn.execute(delete(table_journal).where(table_journal.c.table_id == table_id))


def _json(value: dict[str, Any]) -> str:
    try:
        return json.dumps(value, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        # The value may hold secrets (a sealed deck): name the problem, never the content.
        raise InvalidRecordError(f"not storable as JSON: {exc}") from None


def _checkpoint_json(checkpoint: dict[str, Any]) -> str:
    seats = checkpoint.get("seats")
    if not isinstance(seats, list) or not all(
        isinstance(seat, dict) and "player" in seat for seat in seats
    ):
        raise InvalidRecordError("a checkpoint needs 'seats': a list of dicts with 'player'")
    return _json(checkpoint)
