"""Delivery tracking: per-parcel delivery state, tracking accounts, registrations, seen events, API usage.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

import saleor_cs_app.store.models

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UTC = saleor_cs_app.store.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "fulfillment_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=200), nullable=False),
        sa.Column("fulfillment_id", sa.String(length=200), nullable=False),
        sa.Column("tracking_number", sa.String(length=200), nullable=True),
        sa.Column("followed_by", sa.JSON(), nullable=False),
        sa.Column("followed_since", UTC, nullable=True),
        sa.Column("source", sa.String(length=40), nullable=True),
        sa.Column("state", sa.String(length=40), nullable=True),
        sa.Column("carrier_name", sa.String(length=200), nullable=True),
        sa.Column("carrier_status", sa.Text(), nullable=True),
        sa.Column("carrier_status_at", UTC, nullable=True),
        sa.Column("carrier_expected_date", sa.Date(), nullable=True),
        sa.Column("tracking_url", sa.String(length=1000), nullable=True),
        sa.Column("delivered_at", UTC, nullable=True),
        sa.Column("next_poll_at", UTC, nullable=True),
        sa.Column("written_state", sa.String(length=40), nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "fulfillment_id"),
    )
    op.create_index("ix_fulfillment_deliveries_order", "fulfillment_deliveries", ["tenant_id", "order_id"])
    op.create_index("ix_fulfillment_deliveries_next_poll", "fulfillment_deliveries", ["next_poll_at"])
    op.create_table(
        "tracking_connections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("public_id", sa.String(length=64), nullable=False),
        sa.Column("api_key_ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("webhook_secret_ciphertext", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "provider"),
        sa.UniqueConstraint("public_id"),
    )
    op.create_table(
        "tracking_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("order_id", sa.String(length=200), nullable=False),
        sa.Column("fulfillment_id", sa.String(length=200), nullable=False),
        sa.Column("tracking_number", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "provider", "fulfillment_id", "tracking_number"),
    )
    op.create_table(
        "tracking_events_seen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column("received_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "provider", "event_id"),
    )
    op.create_table(
        "tracking_api_usage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("throttled_until", UTC, nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "provider", "day"),
    )


def downgrade() -> None:
    op.drop_table("tracking_api_usage")
    op.drop_table("tracking_events_seen")
    op.drop_table("tracking_registrations")
    op.drop_table("tracking_connections")
    op.drop_index("ix_fulfillment_deliveries_next_poll", table_name="fulfillment_deliveries")
    op.drop_index("ix_fulfillment_deliveries_order", table_name="fulfillment_deliveries")
    op.drop_table("fulfillment_deliveries")
