"""Incidents: who holds an incident's lease, so a lease renewed by a live worker and one left by a dead
worker (or set by the sweep for a re-queued task) are told apart.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents") as table:
        table.add_column(sa.Column("lease_holder", sa.String(200), nullable=True))
    op.create_index("ix_incidents_state_lease", "incidents", ["state", "lease_until"])


def downgrade() -> None:
    op.drop_index("ix_incidents_state_lease", table_name="incidents")
    with op.batch_alter_table("incidents") as table:
        table.drop_column("lease_holder")
