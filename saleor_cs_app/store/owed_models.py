"""The customer's choice for goods a lost or returned parcel owes them (care/owed.py).

Imported at the end of models.py so that one metadata holds every table.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from saleor_cs_app.store.base import Base, new_id


class OwedRemedy(Base):
    """One choice per incident, for good: the unique incident id decides between two clicks.

    chosen ─carried out in Saleor─▶ done | failed. The row is the durable work item: a task lost with the
    queue is found again by the sweep (state `chosen`, `due_at` long past, no live lease).
    """

    __tablename__ = "owed_remedies"
    __table_args__ = (Index("ix_owed_remedies_unfinished", "state", "due_at"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"), unique=True)
    order_id: Mapped[str] = mapped_column(String(200))
    remedy: Mapped[str] = mapped_column(String(20))  # new_parcel | refund
    # What the customer was shown when they chose, and what is carried out: the parcel's lines
    # [{line_id, variant_id, name, quantity, unit_price}] and the refund amount (or the goods' worth).
    lines: Mapped[list] = mapped_column(JSON)
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(20), default="chosen")  # chosen | done | failed
    chosen_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # When the next attempt is due: now when chosen, later when a retry waits its backoff. The sweep
    # re-queues a choice whose attempt is long overdue (its task was lost with the queue).
    due_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]  # one worker at a time carries it out
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict | None] = mapped_column(JSON)  # {reference, number, summary}: what a message can say
    error: Mapped[str | None] = mapped_column(Text)
