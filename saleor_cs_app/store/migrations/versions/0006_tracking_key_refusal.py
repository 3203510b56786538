"""A tracking account remembers when its service last refused the app's key (a disconnected source).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from saleor_cs_app.store.models import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tracking_connections") as table:
        table.add_column(sa.Column("key_refused_since", UTCDateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("key_refusal", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tracking_connections") as table:
        table.drop_column("key_refusal")
        table.drop_column("key_refused_since")
