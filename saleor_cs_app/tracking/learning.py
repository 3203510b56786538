"""Learning transit times as parcels report: each new scan and each delivery counted once (care/transit.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from saleor_cs_app.care.transit import learned
from saleor_cs_app.store import transit_counts
from saleor_cs_app.store.models import TrackedOrder
from saleor_cs_app.store.tracking_models import FulfillmentDelivery
from saleor_cs_app.watch.snapshot import parse_time
from saleor_cs_app.watch.stalls import segment_of


def learn(
    session: Session,
    tenant_id: int,
    tracked: TrackedOrder,
    row: FulfillmentDelivery,
    *,
    previous_scan_at: datetime | None,
    was_delivered: bool,
) -> None:
    """Count what this report taught. Called under the order's lock, after the report was recorded;
    `previous_scan_at` and `was_delivered` are the parcel's state before it."""
    fulfilment = (tracked.facts.get("fulfillments") or {}).get(row.fulfillment_id) or {}
    for observation in learned(
        segment_of(tracked, row),
        shipped_at=parse_time(fulfilment.get("created")),
        previous_scan_at=previous_scan_at,
        scan_at=row.carrier_status_at,
        delivered_at=None if was_delivered else row.delivered_at,
    ):
        transit_counts.add(session, tenant_id, observation)
