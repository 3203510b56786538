"""Webhook deliveries: an index of the pending ones only, in arrival order — the pumps' queue.

The index on (state, received_at) held every delivery ever stored, and taking the
oldest pending one sorted all pending rows on every claim. A partial index holds
only the backlog and hands out the oldest first.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_PENDING = sa.text("state = 'received'")


def upgrade() -> None:
    op.drop_index("ix_webhook_deliveries_state_received", table_name="webhook_deliveries")
    op.create_index(
        "ix_webhook_deliveries_pending",
        "webhook_deliveries",
        ["received_at", "id"],
        sqlite_where=_PENDING,
        postgresql_where=_PENDING,
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_pending", table_name="webhook_deliveries")
    op.create_index("ix_webhook_deliveries_state_received", "webhook_deliveries", ["state", "received_at"])
