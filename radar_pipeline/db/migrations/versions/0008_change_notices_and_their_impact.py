"""notices carry their change object; change_impacts: risk, deadline and products of change/NRND notices

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change", sa.JSON(), nullable=True))
    op.create_table(
        "change_impacts",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("partition_day", sa.Date(), nullable=False),
        sa.Column("notice_id", sa.BigInteger(), nullable=False),
        sa.Column("notice_type", sa.String(length=16), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("form_fit_function", sa.JSON(), nullable=False),
        sa.Column("risk", sa.String(length=8), nullable=True),
        sa.Column("effective_date", sa.Date(), nullable=True),
        sa.Column("response_deadline", sa.Date(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("products", sa.JSON(), nullable=False),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_impacts")),
    )
    op.create_index(op.f("ix_change_impacts_partition_day"), "change_impacts", ["partition_day"])
    op.create_index(op.f("ix_change_impacts_notice_id"), "change_impacts", ["notice_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_change_impacts_notice_id"), table_name="change_impacts")
    op.drop_index(op.f("ix_change_impacts_partition_day"), table_name="change_impacts")
    op.drop_table("change_impacts")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_column("change")
