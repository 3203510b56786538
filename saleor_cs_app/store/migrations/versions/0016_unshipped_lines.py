"""What tracked orders still have to ship, per line and warehouse (the "due to ship" list, issue #24).

Orders stored before this version have no allocations: for those still unshipped with a ship-by, the
units left per line are written from their stored facts (ordered minus what their fulfilments hold) with
the warehouse not known yet (NULL), so the list still shows them; their next event or reconciliation
replaces the rows with Saleor's allocations. An order whose stored fulfilments do not say what they hold
gets no rows: its units cannot be told from here, and its next event fills them in.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# Saleor's order statuses with units left to ship. A cancelled fulfilment gave its units back to the line;
# any other holds them, as Saleor's quantityFulfilled counts them.
_UNSHIPPED = ("UNCONFIRMED", "UNFULFILLED", "PARTIALLY_FULFILLED")

_orders = sa.table(
    "tracked_orders",
    sa.column("tenant_id", sa.Integer),
    sa.column("order_id", sa.String),
    sa.column("status", sa.String),
    sa.column("ship_by", sa.DateTime(timezone=True)),
    sa.column("facts", sa.JSON),
)


def units_left(facts: dict) -> list[tuple[str, int]] | None:
    """(line id, units not yet in a fulfilment) per line with some left; None when it cannot be told."""
    sent: dict[str, int] = {}
    for fulfilment in (facts.get("fulfillments") or {}).values():
        if fulfilment.get("status") == "CANCELED":
            continue
        if "lines" not in fulfilment:
            return None
        for line in fulfilment["lines"]:
            sent[line.get("line_id")] = sent.get(line.get("line_id"), 0) + int(line.get("quantity") or 0)
    left = []
    for line in facts.get("lines") or []:
        units = int(line.get("quantity") or 0) - sent.get(line.get("line_id"), 0)
        if line.get("line_id") and units > 0:
            left.append((line["line_id"], units))
    return left


def upgrade() -> None:
    table = op.create_table(
        "unshipped_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("order_id", sa.String(200), nullable=False),
        sa.Column("line_id", sa.String(200), nullable=False),
        sa.Column("warehouse_id", sa.String(200), nullable=True),
        sa.Column("warehouse_name", sa.String(250), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
    )
    op.create_index("ix_unshipped_lines_order", "unshipped_lines", ["tenant_id", "order_id"])
    found = op.get_bind().execute(
        sa.select(_orders.c.tenant_id, _orders.c.order_id, _orders.c.facts).where(
            _orders.c.status.in_(_UNSHIPPED), _orders.c.ship_by.is_not(None)
        )
    )
    rows = []
    for tenant_id, order_id, facts in found:
        for line_id, units in units_left(facts or {}) or []:
            rows.append({"tenant_id": tenant_id, "order_id": order_id, "line_id": line_id, "quantity": units})
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_index("ix_unshipped_lines_order", table_name="unshipped_lines")
    op.drop_table("unshipped_lines")
