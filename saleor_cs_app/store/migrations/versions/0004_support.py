"""The customer's own reports: reports, their open lines, photos, look-up attempts.

Revision ID: 0004
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from saleor_cs_app.store.models import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "support_reports",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("incident_id", sa.String(32), sa.ForeignKey("incidents.id"), nullable=False, unique=True),
        sa.Column("order_id", sa.String(200), nullable=False),
        sa.Column("problem", sa.String(40), nullable=False),
        sa.Column("line_ids", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("resolution", sa.String(40), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=True),
        sa.Column("percent", sa.Numeric(14, 2), nullable=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("counter", sa.JSON(), nullable=True),
        sa.Column("merchant_note", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "support_open_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("order_id", sa.String(200), nullable=False),
        sa.Column("line_id", sa.String(200), nullable=False),
        sa.Column("report_id", sa.String(32), sa.ForeignKey("support_reports.id"), nullable=False),
        sa.UniqueConstraint("tenant_id", "order_id", "line_id"),
    )
    op.create_table(
        "support_photos",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("report_id", sa.String(32), sa.ForeignKey("support_reports.id"), nullable=False),
        sa.Column("storage_key", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "support_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_support_attempts_key_at", "support_attempts", ["key", "at"])


def downgrade() -> None:
    op.drop_index("ix_support_attempts_key_at", "support_attempts")
    op.drop_table("support_attempts")
    op.drop_table("support_photos")
    op.drop_table("support_open_lines")
    op.drop_table("support_reports")
