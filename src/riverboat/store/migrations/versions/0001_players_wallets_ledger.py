"""Players, wallets and the double-entry ledger.

Revision ID: 0001
Revises:
Create Date: 2025-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None

JID = sa.String(3071)
ACCOUNT = sa.String(3333)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "players",
        sa.Column("jid", JID, nullable=False),
        sa.Column("name", sa.String(255)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("jid", name="pk_players"),
    )
    op.create_table(
        "wallets",
        sa.Column("jid", JID, nullable=False),
        sa.Column("balance", sa.BigInteger(), nullable=False),
        sa.Column("last_topup", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("jid", name="pk_wallets"),
        sa.ForeignKeyConstraint(["jid"], ["players.jid"], name="fk_wallets_jid_players"),
        sa.CheckConstraint("balance >= 0", name="ck_wallets_balance_not_negative"),
    )
    op.create_table(
        "ledger_transactions",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("table_id", sa.String(255)),
        sa.Column("hand_no", sa.BigInteger()),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_transactions"),
    )
    op.create_index("ix_ledger_transactions_table_id_hand_no", "ledger_transactions",
                    ["table_id", "hand_no"])
    op.create_table(
        "ledger_postings",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("transaction_id", BIG_ID, nullable=False),
        sa.Column("account", ACCOUNT, nullable=False),
        sa.Column("player", JID),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_postings"),
        sa.ForeignKeyConstraint(["transaction_id"], ["ledger_transactions.id"],
                                name="fk_ledger_postings_transaction_id_ledger_transactions"),
    )
    op.create_index("ix_ledger_postings_transaction_id", "ledger_postings", ["transaction_id"])
    op.create_index("ix_ledger_postings_account", "ledger_postings", ["account"])
    op.create_index("ix_ledger_postings_player_account", "ledger_postings",
                    ["player", "account"])


def downgrade() -> None:
    op.drop_table("ledger_postings")
    op.drop_table("ledger_transactions")
    op.drop_table("wallets")
    op.drop_table("players")
