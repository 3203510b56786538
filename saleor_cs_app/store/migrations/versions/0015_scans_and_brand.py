"""Carrier scans: every checkpoint of a parcel a tracking source reported, for the customer's page; and the
shop's brand (name, logo, accent colour, support contacts) for the page and the e-mails.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op
from saleor_cs_app.store.models import UTCDateTime

revision = "0015"
down_revision = "0014"
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
    op.create_table(
        "shop_brands",
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenants.id"), primary_key=True),
        sa.Column("name", sa.String(80), nullable=True),
        sa.Column("saleor_name", sa.String(200), nullable=True),
        sa.Column("accent", sa.String(7), nullable=True),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_type", sa.String(20), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("contacts", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("shop_brands")
    op.drop_index("ix_carrier_scans_order", table_name="carrier_scans")
    op.drop_table("carrier_scans")
