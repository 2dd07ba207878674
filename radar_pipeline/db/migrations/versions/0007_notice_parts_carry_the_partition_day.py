"""notice parts carry their notice's partition day, so a day's parts are read through an index;
landing events are indexed by (day, status), so a day's events of one status are one index probe

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notice_parts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partition_day", sa.Date(), nullable=True))
    op.execute(
        "UPDATE notice_parts SET partition_day = "
        "(SELECT notices.partition_day FROM notices WHERE notices.id = notice_parts.notice_id)"
    )
    op.create_index("ix_notice_parts_partition_day", "notice_parts", ["partition_day"])
    # replaces the day index: a generic plan for (day = $1 AND status = $2) took the status index,
    # a scan of every event of that status ever landed
    op.create_index("ix_landing_events_partition_day_status", "landing_events", ["partition_day", "status"])
    op.drop_index("ix_landing_events_partition_day", table_name="landing_events")


def downgrade() -> None:
    op.create_index("ix_landing_events_partition_day", "landing_events", ["partition_day"])
    op.drop_index("ix_landing_events_partition_day_status", table_name="landing_events")
    op.drop_index("ix_notice_parts_partition_day", table_name="notice_parts")
    with op.batch_alter_table("notice_parts", schema=None) as batch_op:
        batch_op.drop_column("partition_day")
