"""What the goodwill bought: codes spent on later orders, and the daily count of returning customers.

Imported at the end of models.py so that one metadata holds every table.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from saleor_cs_app.store.base import Base


class GoodwillRedemption(Base):
    """A voucher or gift card the app created, spent on an order.

    One row per (incident, order): the same payload delivered twice, or seen again by the backfill,
    collides on the unique key instead of counting twice.
    """

    __tablename__ = "goodwill_redemptions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "incident_id", "order_id"),
        Index("ix_goodwill_redemptions_incident", "incident_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"))
    kind: Mapped[str] = mapped_column(String(20))  # voucher | gift_card
    order_id: Mapped[str] = mapped_column(String(200))
    order_number: Mapped[str] = mapped_column(String(40))
    used_at: Mapped[datetime]  # when the order was placed
    amount: Mapped[Decimal | None]  # taken off that order; None when Saleor did not say
    currency: Mapped[str | None] = mapped_column(String(3))
    source: Mapped[str] = mapped_column(String(20))  # webhook | backfill
    recorded_at: Mapped[datetime]


class ReturnsReport(Base):
    """The latest count of returning customers per tenant (jobs/returns_count.py), as the page shows it."""

    __tablename__ = "returns_reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), unique=True)
    computed_at: Mapped[datetime]
    report: Mapped[dict] = mapped_column(JSON)
