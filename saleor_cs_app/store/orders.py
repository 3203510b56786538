"""Tracked orders and their open deadlines (promises not yet kept or broken)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from saleor_cs_app.store.models import Deadline, TrackedOrder
from saleor_cs_app.store.upsert import insert_ignore


def lock_or_create(session: Session, tenant_id: int, order_id: str, first_seen: dict) -> tuple[TrackedOrder, bool]:
    """The tracked order, locked for this transaction; created from `first_seen` if new."""
    created = insert_ignore(session, TrackedOrder, {"tenant_id": tenant_id, "order_id": order_id, **first_seen})
    order = session.scalar(
        select(TrackedOrder)
        .where(TrackedOrder.tenant_id == tenant_id, TrackedOrder.order_id == order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return order, created


def shipped_from(facts: dict, fulfillment_id: str) -> str | None:
    """The warehouse (or warehouses) an incident's parcel left from, by the order's stored facts:
    its fulfilment's, or for an order-wide incident (a late shipment) every fulfilment's."""
    fulfilments = (facts or {}).get("fulfillments", {})
    shipped = [fulfilments.get(fulfillment_id, {})] if fulfillment_id else list(fulfilments.values())
    return ", ".join(dict.fromkeys(f["warehouse"] for f in shipped if f.get("warehouse")))[:200] or None


def find(session: Session, tenant_id: int, order_id: str, *, lock: bool = False) -> TrackedOrder | None:
    query = select(TrackedOrder).where(TrackedOrder.tenant_id == tenant_id, TrackedOrder.order_id == order_id)
    if lock:  # serialises with a webhook applying a new snapshot of the same order
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)


def deadlines_of(session: Session, tenant_id: int, order_id: str) -> list[Deadline]:
    return list(session.scalars(select(Deadline).where(Deadline.tenant_id == tenant_id, Deadline.order_id == order_id)))


def sync_deadlines(
    session: Session,
    tenant_id: int,
    order_id: str,
    kind: str,
    wanted: dict[tuple[str, str], datetime],
    *,
    rows: list[Deadline] | None = None,
) -> None:
    """Make the order's deadline rows of one kind equal `wanted` ((kind, fulfillment id) → due).

    `rows`: the order's deadline rows (any kind) when the caller read them in this transaction; a
    sync of one kind leaves the other kind's rows as they were, so one read serves both kinds."""
    rows = deadlines_of(session, tenant_id, order_id) if rows is None else rows
    existing = {(d.kind, d.fulfillment_id): d for d in rows if d.kind == kind}
    for key, row in existing.items():
        if key not in wanted:
            session.delete(row)
        elif row.due_at != wanted[key]:
            row.due_at = wanted[key]
    for (kind, fulfillment_id), due in wanted.items():
        if (kind, fulfillment_id) not in existing:
            session.add(
                Deadline(tenant_id=tenant_id, order_id=order_id, kind=kind, fulfillment_id=fulfillment_id, due_at=due)
            )
    session.flush()


def claim_due(session: Session, now: datetime, limit: int) -> list[Deadline]:
    """Due deadlines, locked; on PostgreSQL concurrent sweeps skip each other's rows.

    Reads the due_at index only, so the cost follows the number of due rows.
    """
    query = select(Deadline).where(Deadline.due_at <= now).order_by(Deadline.due_at).limit(limit)
    query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def remove_deadline(session: Session, deadline: Deadline) -> None:
    # No session synchronisation: it scans every loaded object per delete (O(n²) per batch).
    session.execute(
        delete(Deadline).where(Deadline.id == deadline.id), execution_options={"synchronize_session": False}
    )


def next_due_at(session: Session) -> datetime | None:
    """The earliest deadline of any tenant (one read of the due_at index's first entry)."""
    return session.scalar(select(func.min(Deadline.due_at)))
