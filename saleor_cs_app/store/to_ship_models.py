"""What tracked orders still have to ship, per line and warehouse (the "due to ship" list, issue #24).

Imported at the end of models.py so that one metadata holds every table.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from saleor_cs_app.store.base import Base


class UnshippedLine(Base):
    """Units of an order line not yet fulfilled, and the warehouse Saleor allocated them in.

    Replaced as a whole from every snapshot of the order (webhook or reconciliation), under the tracked
    order's lock; an order fully shipped or cancelled has none. `warehouse_id` "" means no allocation
    (stock not tracked); NULL means not known yet: a row the migration wrote from an order stored before
    the app read allocations, until that order's next event."""

    __tablename__ = "unshipped_lines"
    __table_args__ = (Index("ix_unshipped_lines_order", "tenant_id", "order_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    order_id: Mapped[str] = mapped_column(String(200))
    line_id: Mapped[str] = mapped_column(String(200))
    warehouse_id: Mapped[str | None] = mapped_column(String(200))
    warehouse_name: Mapped[str | None] = mapped_column(String(250))
    quantity: Mapped[int]
