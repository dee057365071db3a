"""The store's tables as SQLAlchemy Core, matching the migrations at head.

The migrations in ``migrations/versions`` create these tables; this module is what the store's
queries are written against. Keep the two in step (``test_store_migrations`` checks).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

# Account names: ``grant``, ``topup``, ``wallet:<jid>``, ``table:<table_id>:<jid>``.
GRANT_ACCOUNT = "grant"
TOPUP_ACCOUNT = "topup"
SOURCE_ACCOUNTS = (GRANT_ACCOUNT, TOPUP_ACCOUNT)

# Transaction reasons.
REASONS = ("grant", "topup", "buy_in", "cash_out", "hand")

JID_LENGTH = 3071  # RFC 7622: localpart and domainpart, 1023 bytes each, and the '@'
NAME_LENGTH = 255
TABLE_ID_LENGTH = 255
ACCOUNT_LENGTH = 6 + TABLE_ID_LENGTH + 1 + JID_LENGTH

# Integer primary keys: BIGINT on PostgreSQL, INTEGER (the rowid alias) on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def wallet_account(jid: str) -> str:
    return f"wallet:{jid}"


def table_account(table_id: str, jid: str) -> str:
    return f"table:{table_id}:{jid}"


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out; SQLite (no time zones) keeps them naive in UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the store needs aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

# --- 0001: players, wallets, ledger -------------------------------------------------------

players = Table(
    "players", metadata,
    Column("jid", String(JID_LENGTH), primary_key=True),
    Column("name", String(NAME_LENGTH)),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_seen", UTCDateTime(), nullable=False),
)

wallets = Table(
    "wallets", metadata,
    Column("jid", String(JID_LENGTH), ForeignKey("players.jid"), primary_key=True),
    Column("balance", BigInteger(), nullable=False),
    Column("last_topup", UTCDateTime(), nullable=False),
    CheckConstraint("balance >= 0", name="balance_not_negative"),
)

ledger_transactions = Table(
    "ledger_transactions", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("reason", String(16), nullable=False),
    Column("table_id", String(TABLE_ID_LENGTH)),
    Column("hand_no", BigInteger()),
    Index(None, "table_id", "hand_no"),
)

ledger_postings = Table(
    "ledger_postings", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("transaction_id", BigId, ForeignKey("ledger_transactions.id"), nullable=False),
    Column("account", String(ACCOUNT_LENGTH), nullable=False),
    # The player whose wallet or table account this is (None for the source accounts).
    Column("player", String(JID_LENGTH)),
    Column("amount", BigInteger(), nullable=False),
    Index(None, "transaction_id"),
    Index(None, "account"),
    Index(None, "player", "account"),
)

# --- 0002: hands, saved tables, table journal ---------------------------------------------

hands = Table(
    "hands", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("table_id", String(TABLE_ID_LENGTH), nullable=False),
    Column("hand_no", BigInteger(), nullable=False),
    Column("ended_at", UTCDateTime(), nullable=False),
    Column("phh", Text(), nullable=False),
    UniqueConstraint("table_id", "hand_no"),
    Index(None, "ended_at"),
)

hand_players = Table(
    "hand_players", metadata,
    Column("hand_id", BigId, ForeignKey("hands.id"), primary_key=True),
    Column("position", Integer(), primary_key=True),
    Column("jid", String(JID_LENGTH), nullable=False),
    Column("net", BigInteger(), nullable=False),
    Index(None, "jid", "hand_id"),
)

saved_tables = Table(
    "saved_tables", metadata,
    Column("table_id", String(TABLE_ID_LENGTH), primary_key=True),
    Column("title", String(NAME_LENGTH), nullable=False),
    Column("config", Text(), nullable=False),  # JSON
    Column("checkpoint", Text()),  # JSON, None before the first checkpoint
    Column("updated_at", UTCDateTime(), nullable=False),
)

table_journal = Table(
    "table_journal", metadata,
    Column("table_id", String(TABLE_ID_LENGTH), ForeignKey("saved_tables.table_id"),
           primary_key=True),
    Column("position", BigInteger(), primary_key=True),
    Column("entry", Text(), nullable=False),  # JSON; may hold secrets: never log it
)
