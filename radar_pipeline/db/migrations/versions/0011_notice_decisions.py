"""notice_decisions: what analysts decided about a notice or one of its parts, with owner and due date

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "notice_decisions",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("manufacturer_key", sa.String(length=128), nullable=False),
        sa.Column("notice_number", sa.String(length=128), nullable=False),
        sa.Column("manufacturer", sa.String(length=256), nullable=False),
        sa.Column("part_id", sa.String(length=128), nullable=True),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("po", sa.String(length=64), nullable=True),
        sa.Column("placed_on", sa.Date(), nullable=True),
        sa.Column("alternate", sa.String(length=128), nullable=True),
        sa.Column("owner", sa.String(length=256), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=256), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_decisions")),
    )
    op.create_index(
        "ix_notice_decisions_notice", "notice_decisions", ["manufacturer_key", "notice_number", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_notice_decisions_notice", table_name="notice_decisions")
    op.drop_table("notice_decisions")
