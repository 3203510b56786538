"""What the app knows about an order's parcels, for pages (support, dashboard) and messages."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.care.detection import NOT_SHIPPED
from saleor_cs_app.store import delivery_states
from saleor_cs_app.store.models import TrackedOrder
from saleor_cs_app.store.tracking_models import FulfillmentDelivery
from saleor_cs_app.tracking.report import ParcelStatus
from saleor_cs_app.watch.snapshot import parse_time

__all__ = ["ParcelStatus", "coverage", "latest_for_order"]


def latest_for_order(session: Session, tenant_id: int, order_id: str) -> list[ParcelStatus]:
    """One entry per fulfilment the app knows a delivery state for (followed or reported)."""
    return [
        ParcelStatus(
            fulfillment_id=row.fulfillment_id,
            source=row.source,
            state=row.state,
            carrier_status=row.carrier_status,
            carrier_status_at=row.carrier_status_at,
            carrier_expected_date=row.carrier_expected_date,
            tracking_number=row.tracking_number,
            carrier_name=row.carrier_name,
            tracking_url=row.tracking_url,
            followed_by=tuple(row.followed_by or ()),
        )
        for row in sorted(delivery_states.for_order(session, tenant_id, order_id).values(), key=lambda r: r.id)
    ]


def coverage(session: Session, tenant_id: int, now: datetime, days: int = 30) -> tuple[int, int]:
    """(recent shipped fulfilments, of which no source follows): what late-delivery detection can see."""
    since = now - timedelta(days=days)
    rows = session.execute(
        select(FulfillmentDelivery.fulfillment_id, FulfillmentDelivery.followed_by).where(
            FulfillmentDelivery.tenant_id == tenant_id
        )
    )
    followed = {fulfillment_id for fulfillment_id, by in rows if by}
    recent = unfollowed = 0
    facts = session.scalars(
        select(TrackedOrder.facts).where(TrackedOrder.tenant_id == tenant_id, TrackedOrder.updated_at >= since)
    )
    for order_facts in facts:
        for fulfillment_id, fulfillment in (order_facts.get("fulfillments") or {}).items():
            shipped_at = parse_time(fulfillment.get("created"))
            if fulfillment.get("status") in NOT_SHIPPED or shipped_at is None or shipped_at < since:
                continue
            recent += 1
            unfollowed += fulfillment_id not in followed
    return recent, unfollowed
