"""Carrier scans: every checkpoint of a parcel a tracking source reported, for the customer's page.

Revision ID: 0015
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op
from saleor_cs_app.store.models import UTCDateTime

revision = "0015"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "carrier_scans",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("order_id", sa.String(200), nullable=False),
        sa.Column("fulfillment_id", sa.String(200), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("words", sa.Text(), nullable=True),
        sa.Column("place", sa.String(300), nullable=True),
        sa.Column("state", sa.String(40), nullable=True),
        sa.UniqueConstraint("tenant_id", "fulfillment_id", "key"),
    )
    op.create_index("ix_carrier_scans_order", "carrier_scans", ["tenant_id", "order_id"])


def downgrade() -> None:
    op.drop_index("ix_carrier_scans_order", table_name="carrier_scans")
    op.drop_table("carrier_scans")
