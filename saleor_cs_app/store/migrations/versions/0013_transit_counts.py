"""Transit times learned from the shop's parcels (histograms per segment), and where a parcel was last scanned.

Revision ID: 0013
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transit_counts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tenant_id", sa.Integer, sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("measure", sa.String(10), nullable=False),
        sa.Column("method", sa.String(200), nullable=False),
        sa.Column("carrier", sa.String(200), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("value", sa.Integer, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.UniqueConstraint("tenant_id", "measure", "method", "carrier", "country", "value"),
    )
    with op.batch_alter_table("fulfillment_deliveries") as table:
        table.add_column(sa.Column("carrier_location", sa.String(300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("fulfillment_deliveries") as table:
        table.drop_column("carrier_location")
    op.drop_table("transit_counts")
