"""The customer's choices for owed goods (store/owed_models.py): recorded once, claimed by one worker."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.store.owed_models import OwedRemedy
from saleor_cs_app.store.upsert import insert_ignore


def record_choice(session: Session, values: dict) -> tuple[OwedRemedy, bool]:
    """Insert the choice unless the incident has one; returns the incident's one choice, and whether it is this one.

    The unique incident id decides between concurrent clicks: the loser's insert does nothing and it
    reads the winner's row (on PostgreSQL the insert waits for the winner's commit)."""
    created = insert_ignore(session, OwedRemedy, values)
    row = session.scalar(
        select(OwedRemedy)
        .where(OwedRemedy.tenant_id == values["tenant_id"], OwedRemedy.incident_id == values["incident_id"])
        .execution_options(populate_existing=True)
    )
    return row, created


def for_order(session: Session, tenant_id: int, order_id: str) -> dict[str, OwedRemedy]:
    """The order's choices by incident id."""
    rows = session.scalars(
        select(OwedRemedy).where(OwedRemedy.tenant_id == tenant_id, OwedRemedy.order_id == order_id)
    )
    return {row.incident_id: row for row in rows}


def get(session: Session, remedy_id: str, *, lock: bool = False) -> OwedRemedy | None:
    return session.get(OwedRemedy, remedy_id, with_for_update=lock, populate_existing=lock)
