"""What the goodwill buys: the customer and value of each tracked order, the codes spent on later
orders, and the daily count of returning customers.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

from saleor_cs_app.store.models import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tracked_orders") as table:
        table.add_column(sa.Column("customer_key", sa.String(330), nullable=True))
        table.add_column(sa.Column("total_amount", sa.Numeric(14, 2), nullable=True))
        table.add_column(sa.Column("currency", sa.String(3), nullable=True))
    op.create_index(
        "ix_tracked_orders_customer",
        "tracked_orders",
        ["tenant_id", "customer_key", "created_at", "total_amount", "currency"],
    )
    op.create_index("ix_incidents_tenant_code", "incidents", ["tenant_id", "goodwill_code"])
    with op.batch_alter_table("incidents") as table:
        table.add_column(sa.Column("redemption_checked_at", UTCDateTime(), nullable=True))
    _fill_known_customers()
    op.create_table(
        "goodwill_redemptions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tenant_id", sa.Integer, sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("incident_id", sa.String(32), sa.ForeignKey("incidents.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("order_id", sa.String(200), nullable=False),
        sa.Column("order_number", sa.String(40), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("tenant_id", "incident_id", "order_id"),
    )
    op.create_index("ix_goodwill_redemptions_incident", "goodwill_redemptions", ["incident_id"])
    op.create_table(
        "returns_reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tenant_id", sa.Integer, sa.ForeignKey("tenants.id"), nullable=False, unique=True),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        sa.Column("report", sa.JSON, nullable=False),
    )


def _fill_known_customers() -> None:
    """Orders stored before this revision know their customer by e-mail only (the user id was not asked
    for): key them by it, and by their total, so the first count already sees them."""
    bind = op.get_bind()
    orders = sa.table(
        "tracked_orders",
        sa.column("id", sa.Integer),
        sa.column("facts", sa.JSON),
        sa.column("customer_key", sa.String),
        sa.column("total_amount", sa.Numeric),
        sa.column("currency", sa.String),
    )
    last = 0
    while True:
        batch = bind.execute(
            sa.select(orders.c.id, orders.c.facts).where(orders.c.id > last).order_by(orders.c.id).limit(1000)
        ).all()
        if not batch:
            return
        for row_id, facts in batch:
            facts = facts or {}
            email = (facts.get("customer_email") or "").strip().lower()
            bind.execute(
                orders.update()
                .where(orders.c.id == row_id)
                .values(
                    customer_key=f"email:{email}" if email else None,
                    total_amount=facts.get("total"),
                    currency=facts.get("currency"),
                )
            )
        last = batch[-1][0]


def downgrade() -> None:
    op.drop_table("returns_reports")
    op.drop_index("ix_goodwill_redemptions_incident", table_name="goodwill_redemptions")
    op.drop_table("goodwill_redemptions")
    with op.batch_alter_table("incidents") as table:
        table.drop_column("redemption_checked_at")
    op.drop_index("ix_incidents_tenant_code", table_name="incidents")
    op.drop_index("ix_tracked_orders_customer", table_name="tracked_orders")
    with op.batch_alter_table("tracked_orders") as table:
        table.drop_column("currency")
        table.drop_column("total_amount")
        table.drop_column("customer_key")
