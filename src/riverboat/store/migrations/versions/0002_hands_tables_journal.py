"""Finished hands (with their players), saved tables and each table's journal.

Revision ID: 0002
Revises: 0001
Create Date: 2025-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None

JID = sa.String(3071)
TABLE_ID = sa.String(255)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "hands",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("table_id", TABLE_ID, nullable=False),
        sa.Column("hand_no", sa.BigInteger(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("phh", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_hands"),
        sa.UniqueConstraint("table_id", "hand_no", name="uq_hands_table_id_hand_no"),
    )
    op.create_index("ix_hands_ended_at", "hands", ["ended_at"])
    op.create_table(
        "hand_players",
        sa.Column("hand_id", BIG_ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("jid", JID, nullable=False),
        sa.Column("net", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("hand_id", "position", name="pk_hand_players"),
        sa.ForeignKeyConstraint(["hand_id"], ["hands.id"], name="fk_hand_players_hand_id_hands"),
    )
    op.create_index("ix_hand_players_jid_hand_id", "hand_players", ["jid", "hand_id"])
    op.create_table(
        "saved_tables",
        sa.Column("table_id", TABLE_ID, nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("config", sa.Text(), nullable=False),
        sa.Column("checkpoint", sa.Text()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("table_id", name="pk_saved_tables"),
    )
    op.create_table(
        "table_journal",
        sa.Column("table_id", TABLE_ID, nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("entry", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("table_id", "position", name="pk_table_journal"),
        sa.ForeignKeyConstraint(["table_id"], ["saved_tables.table_id"],
                                name="fk_table_journal_table_id_saved_tables"),
    )


def downgrade() -> None:
    op.drop_table("table_journal")
    op.drop_table("saved_tables")
    op.drop_table("hand_players")
    op.drop_table("hands")
