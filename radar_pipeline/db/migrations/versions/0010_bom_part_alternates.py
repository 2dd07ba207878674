"""bom_part_alternates: a part's further approved MPNs; exposure lines say which alternate covers them

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "bom_part_alternates",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("part_id", sa.String(length=128), nullable=False),
        sa.Column("mpn", sa.String(length=128), nullable=False),
        sa.Column("manufacturer", sa.String(length=256), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bom_part_alternates")),
    )
    op.create_index(op.f("ix_bom_part_alternates_part_id"), "bom_part_alternates", ["part_id"])
    with op.batch_alter_table("exposure_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("covered_by_alternate", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("last_time_buy_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("exposure_lines", schema=None) as batch_op:
        batch_op.drop_column("last_time_buy_date")
        batch_op.drop_column("covered_by_alternate")
    op.drop_index(op.f("ix_bom_part_alternates_part_id"), table_name="bom_part_alternates")
    op.drop_table("bom_part_alternates")
