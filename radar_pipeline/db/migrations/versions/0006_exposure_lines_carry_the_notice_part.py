"""exposure lines and matches carry the notice's MPN and replacement (notifications read them back)

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notice_matches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replacement_mpn", sa.String(length=128), nullable=True))
    with op.batch_alter_table("exposure_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mpn", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("replacement_mpn", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("exposure_lines", schema=None) as batch_op:
        batch_op.drop_column("replacement_mpn")
        batch_op.drop_column("mpn")
    with op.batch_alter_table("notice_matches", schema=None) as batch_op:
        batch_op.drop_column("replacement_mpn")
