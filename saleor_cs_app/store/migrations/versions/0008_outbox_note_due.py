"""Outbox: when a later e-mail's order note is owed, so a note whose task was lost is written after all.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

from saleor_cs_app.store.models import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_OWED = sa.text("note_due_at IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("outbox") as table:
        table.add_column(sa.Column("note_due_at", UTCDateTime(timezone=True), nullable=True))
    op.create_index("ix_outbox_note_due", "outbox", ["note_due_at"], sqlite_where=_OWED, postgresql_where=_OWED)


def downgrade() -> None:
    op.drop_index("ix_outbox_note_due", table_name="outbox")
    with op.batch_alter_table("outbox") as table:
        table.drop_column("note_due_at")
