"""Trackings the app created (or is creating) at a tracking service, one per parcel and number."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.store.tracking_models import TrackingRegistration
from saleor_cs_app.store.upsert import insert_ignore


def reserve(
    session: Session, tenant_id: int, provider: str, order_id: str, fulfillment_id: str, tracking_number: str, now
) -> int | None:
    """Reserve the registration before any call; returns its id when this call reserved it."""
    created = insert_ignore(
        session,
        TrackingRegistration,
        {
            "tenant_id": tenant_id,
            "provider": provider,
            "order_id": order_id,
            "fulfillment_id": fulfillment_id,
            "tracking_number": tracking_number,
            "state": "started",
            "attempts": 0,
            "updated_at": now,
        },
    )
    if not created:
        return None
    return session.scalar(
        select(TrackingRegistration.id).where(
            TrackingRegistration.tenant_id == tenant_id,
            TrackingRegistration.provider == provider,
            TrackingRegistration.fulfillment_id == fulfillment_id,
            TrackingRegistration.tracking_number == tracking_number,
        )
    )


def order_of(session: Session, registration_id: int) -> tuple[int, str] | None:
    """(tenant id, order id) of a registration, read without a lock."""
    row = session.execute(
        select(TrackingRegistration.tenant_id, TrackingRegistration.order_id).where(
            TrackingRegistration.id == registration_id
        )
    ).first()
    return None if row is None else (row.tenant_id, row.order_id)


def lock(session: Session, registration_id: int) -> TrackingRegistration | None:
    return session.get(TrackingRegistration, registration_id, with_for_update=True, populate_existing=True)


def by_number(session: Session, tenant_id: int, provider: str, tracking_number: str) -> TrackingRegistration | None:
    """The newest registration of a tracking number (a number reused on a later parcel wins)."""
    return session.scalar(
        select(TrackingRegistration)
        .where(
            TrackingRegistration.tenant_id == tenant_id,
            TrackingRegistration.provider == provider,
            TrackingRegistration.tracking_number == tracking_number,
        )
        .order_by(TrackingRegistration.id.desc())
        .limit(1)
    )
