"""review queue, analysts' decisions, extractor versions, notification fingerprints

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "review_items",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("partition_day", sa.Date(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notice_id", sa.BigInteger(), nullable=True),
        sa.Column("extraction_id", sa.BigInteger(), nullable=True),
        sa.Column("notice_number", sa.String(length=128), nullable=True),
        sa.Column("manufacturer_key", sa.String(length=128), nullable=True),
        sa.Column("manufacturer", sa.String(length=256), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_items")),
    )
    with op.batch_alter_table("review_items") as batch_op:
        batch_op.create_index(batch_op.f("ix_review_items_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_items_partition_day"), ["partition_day"], unique=False)
    op.create_table(
        "review_decisions",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("manufacturer_key", sa.String(length=128), nullable=True),
        sa.Column("notice_number", sa.String(length=128), nullable=True),
        sa.Column("manufacturer", sa.String(length=256), nullable=True),
        sa.Column("event_id", sa.BigInteger(), nullable=True),
        sa.Column("partition_day", sa.Date(), nullable=False),
        sa.Column("decided_by", sa.String(length=256), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decisions")),
    )
    with op.batch_alter_table("review_decisions") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_decisions_manufacturer_key"), ["manufacturer_key"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_review_decisions_event_id"), ["event_id"], unique=False)
    op.create_table(
        "extraction_days",
        sa.Column("partition_day", sa.Date(), nullable=False),
        sa.Column("extractor_version", sa.String(length=64), nullable=False),
        sa.Column("extracted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("partition_day", name=op.f("pk_extraction_days")),
    )
    with op.batch_alter_table("notices") as batch_op:
        batch_op.add_column(sa.Column("correction_ids", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("corrected_by", sa.String(length=256), nullable=True))
    with op.batch_alter_table("extractions") as batch_op:
        batch_op.add_column(sa.Column("extractor_version", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("correction_ids", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("review_reasons", sa.JSON(), nullable=True))
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.add_column(sa.Column("fingerprint", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.drop_column("fingerprint")
    with op.batch_alter_table("extractions") as batch_op:
        batch_op.drop_column("review_reasons")
        batch_op.drop_column("correction_ids")
        batch_op.drop_column("extractor_version")
    with op.batch_alter_table("notices") as batch_op:
        batch_op.drop_column("corrected_by")
        batch_op.drop_column("correction_ids")
    op.drop_table("extraction_days")
    with op.batch_alter_table("review_decisions") as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_decisions_event_id"))
        batch_op.drop_index(batch_op.f("ix_review_decisions_manufacturer_key"))
    op.drop_table("review_decisions")
    with op.batch_alter_table("review_items") as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_items_partition_day"))
        batch_op.drop_index(batch_op.f("ix_review_items_event_id"))
    op.drop_table("review_items")
