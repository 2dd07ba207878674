"""readings keep their notice key, trust and provenance; conflict review items; desk sessions

Revision ID: 0009
Revises: 0008

Existing readings learn their notice's key from the notice they hold and a trust from their
channel (a webhook was signed at the gateway; mail landed before this revision carries no verdict
Radar recorded, so it counts as any other mail until its day is read again).
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BATCH = 1000


def _backfill() -> None:
    from radar_pipeline.notices.model import manufacturer_key
    from radar_pipeline.sources import ADAPTERS

    conn = op.get_bind()
    x = sa.table(
        "extractions",
        sa.column("id"),
        sa.column("event_id"),
        sa.column("notice", sa.JSON),
        sa.column("manufacturer_key"),
        sa.column("notice_number"),
        sa.column("trust"),
        sa.column("provenance", sa.JSON),
    )
    e = sa.table("landing_events", sa.column("id"), sa.column("source"), sa.column("received_at"))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(x.c.id, x.c.notice, e.c.source, e.c.received_at)
            .join(e, e.c.id == x.c.event_id)
            .where(x.c.id > last)
            .order_by(x.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            notice = row.notice or {}
            webhook = row.source in ADAPTERS
            when = row.received_at.isoformat() if hasattr(row.received_at, "isoformat") else row.received_at
            conn.execute(
                sa.update(x)
                .where(x.c.id == row.id)
                .values(
                    manufacturer_key=manufacturer_key(str(notice.get("manufacturer") or "?"))[:128],
                    notice_number=str(notice.get("notice_number") or "?")[:128],
                    trust=2 if webhook else 1,
                    provenance={
                        "channel": f"webhook {row.source}" if webhook else row.source,
                        "sender": row.source if webhook else None,
                        "subject": None,
                        "received_at": when,
                        "authentication": "Standard Webhooks signature verified at the gateway"
                        if webhook
                        else "not recorded (landed before Radar kept verdicts)",
                        "authenticated_as": row.source if webhook else None,
                        "trust": "signed provider webhook" if webhook else "unauthenticated mail or file",
                    },
                )
            )
        last = rows[-1].id


def upgrade() -> None:
    with op.batch_alter_table("extractions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("manufacturer_key", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("notice_number", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("trust", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("provenance", sa.JSON(), nullable=True))
    op.create_index("ix_extractions_notice_key", "extractions", ["manufacturer_key", "notice_number"])
    with op.batch_alter_table("review_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), nullable=True))
    op.create_index("ix_review_items_notice_key", "review_items", ["manufacturer_key", "notice_number"])
    op.create_index("ix_review_items_kind", "review_items", ["kind"])
    op.create_table(
        "web_sessions",
        sa.Column("id_sha256", sa.String(length=64), nullable=False),
        sa.Column("user_name", sa.String(length=256), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id_sha256", name=op.f("pk_web_sessions")),
    )
    op.create_index(op.f("ix_web_sessions_user_name"), "web_sessions", ["user_name"])
    op.create_index(op.f("ix_web_sessions_expires_at"), "web_sessions", ["expires_at"])
    _backfill()


def downgrade() -> None:
    op.drop_index(op.f("ix_web_sessions_expires_at"), table_name="web_sessions")
    op.drop_index(op.f("ix_web_sessions_user_name"), table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_index("ix_review_items_kind", table_name="review_items")
    op.drop_index("ix_review_items_notice_key", table_name="review_items")
    with op.batch_alter_table("review_items", schema=None) as batch_op:
        batch_op.drop_column("kind")
    op.drop_index("ix_extractions_notice_key", table_name="extractions")
    with op.batch_alter_table("extractions", schema=None) as batch_op:
        batch_op.drop_column("provenance")
        batch_op.drop_column("trust")
        batch_op.drop_column("notice_number")
        batch_op.drop_column("manufacturer_key")
