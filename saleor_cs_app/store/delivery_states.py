"""Per-fulfilment delivery state: who follows each parcel and what they last reported."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.store.tracking_models import FulfillmentDelivery
from saleor_cs_app.store.upsert import insert_ignore


def lock_or_create(
    session: Session, tenant_id: int, order_id: str, fulfillment_id: str, now: datetime
) -> FulfillmentDelivery:
    insert_ignore(
        session,
        FulfillmentDelivery,
        {
            "tenant_id": tenant_id,
            "order_id": order_id,
            "fulfillment_id": fulfillment_id,
            "followed_by": [],
            "updated_at": now,
        },
    )
    return session.scalar(
        select(FulfillmentDelivery)
        .where(FulfillmentDelivery.tenant_id == tenant_id, FulfillmentDelivery.fulfillment_id == fulfillment_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def find(session: Session, tenant_id: int, fulfillment_id: str) -> FulfillmentDelivery | None:
    return session.scalar(
        select(FulfillmentDelivery).where(
            FulfillmentDelivery.tenant_id == tenant_id, FulfillmentDelivery.fulfillment_id == fulfillment_id
        )
    )


def for_order(session: Session, tenant_id: int, order_id: str) -> dict[str, FulfillmentDelivery]:
    rows = session.scalars(
        select(FulfillmentDelivery).where(
            FulfillmentDelivery.tenant_id == tenant_id, FulfillmentDelivery.order_id == order_id
        )
    )
    return {row.fulfillment_id: row for row in rows}


def follow(row: FulfillmentDelivery, source: str, now: datetime) -> bool:
    """Mark the parcel followed by `source`; True when that is new."""
    if source in (row.followed_by or []):
        return False
    row.followed_by = [*(row.followed_by or []), source]
    row.followed_since = row.followed_since or now
    return True
