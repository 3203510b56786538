"""Owed remedies: the customer's one choice (a new parcel or their money back) for a lost or returned parcel.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

from saleor_cs_app.store.models import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "owed_remedies",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("incident_id", sa.String(32), sa.ForeignKey("incidents.id"), nullable=False, unique=True),
        sa.Column("order_id", sa.String(200), nullable=False),
        sa.Column("remedy", sa.String(20), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("chosen_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("due_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("lease_until", UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
    )
    op.create_index("ix_owed_remedies_unfinished", "owed_remedies", ["state", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_owed_remedies_unfinished", table_name="owed_remedies")
    op.drop_table("owed_remedies")
