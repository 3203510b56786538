"""Problems the merchant must act on (SMTP refusing mail, missing permissions, budget spent, tracking).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from saleor_cs_app.store.models import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_problems",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("raised_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("in_saleor", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("tenant_id", "key"),
    )


def downgrade() -> None:
    op.drop_table("app_problems")
