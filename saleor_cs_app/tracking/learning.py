"""Learning transit times as parcels report: each new scan and each delivery counted once, and on delivery the
time spent in and after each stage the carrier named (care/transit.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from saleor_cs_app.care.transit import learned, learned_from_stages
from saleor_cs_app.store import carrier_scans, transit_counts
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
    segment = segment_of(tracked, row)
    found = learned(
        segment,
        shipped_at=parse_time(fulfilment.get("created")),
        previous_scan_at=previous_scan_at,
        scan_at=row.carrier_status_at,
        delivered_at=None if was_delivered else row.delivered_at,
    )
    if not was_delivered and row.delivered_at is not None:
        # Delivered just now: how long it stayed in each stage the carrier named, and how long after each.
        found += learned_from_stages(segment, carrier_scans.stage_runs(session, tenant_id, row.fulfillment_id), row.delivered_at)
    for observation in found:
        transit_counts.add(session, tenant_id, observation)
