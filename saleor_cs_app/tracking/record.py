"""Keeping what a source reports, per fulfilment, and handing the parcel to the watch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from saleor_cs_app.care.model import DeliveryState
from saleor_cs_app.store import carrier_scans, delivery_states, incidents, orders, policies
from saleor_cs_app.store.models import Incident, Tenant
from saleor_cs_app.store.tracking_models import FulfillmentDelivery
from saleor_cs_app.tracking import learning
from saleor_cs_app.tracking.report import DeliveryReport
from saleor_cs_app.watch import deliveries

_CARRIER_FIELDS = (
    "carrier_name", "carrier_status", "carrier_status_at", "carrier_location", "carrier_expected_date", "tracking_url"
)


def record(session: Session, tenant_id: int, order_id: str, report: DeliveryReport, now: datetime) -> bool:
    """Store the report; returns True when the parcel's known delivery state changed.

    Carriers' news arrives out of order (webhook retries, polls): a report older
    than the checkpoint already kept does not overwrite it.
    """
    row = delivery_states.lock_or_create(session, tenant_id, order_id, report.fulfillment_id, now)
    changed = delivery_states.follow(row, report.source, now)
    if report.tracking_number and row.tracking_number != report.tracking_number:
        row.tracking_number = report.tracking_number
    # Every scan is kept for the customer's page, also one older than the latest word.
    carrier_scans.keep(session, tenant_id, order_id, report.fulfillment_id, report.all_scans())
    if _is_older(report, row):
        row.updated_at = now
        return changed
    if report.state is not None and row.state != report.state.value:
        row.state, row.source, changed = report.state.value, report.source, True
        if report.state is DeliveryState.DELIVERED and row.delivered_at is None:
            row.delivered_at = report.carrier_status_at or now
    for name in _CARRIER_FIELDS:
        value = getattr(report, name)
        if value is not None and getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    row.updated_at = now
    return changed


@dataclass(frozen=True)
class Applied:
    opened: list[Incident]  # to hand over after commit
    delivery_id: int | None  # the parcel whose state changed (to write back to Saleor), if any


def apply(
    session: Session, tenant: Tenant, order_id: str, report: DeliveryReport, now: datetime, *, observed_at: datetime
) -> Applied:
    """Record a carrier's news, let the watch judge the order again, and note it in the order's incidents."""
    tracked = orders.find(session, tenant.id, order_id, lock=True)
    before = delivery_states.find(session, tenant.id, report.fulfillment_id)
    previous_scan_at, was_delivered = (before.carrier_status_at, before.delivered_at is not None) if before else (None, False)
    changed = record(session, tenant.id, order_id, report, now)
    if not changed:
        return Applied([], None)
    row = delivery_states.find(session, tenant.id, report.fulfillment_id)
    opened = []
    if tracked is not None:
        learning.learn(session, tenant.id, tracked, row, previous_scan_at=previous_scan_at, was_delivered=was_delivered)
        opened = deliveries.reassess(session, tenant, tracked, policies.load(session, tenant.id), now, observed_at=observed_at)
    for incident in incidents.open_for_order(session, tenant.id, order_id):
        if incident.fulfillment_id in (report.fulfillment_id, ""):
            incidents.add_event(session, incident, now, "carrier", timeline_line(row))
    return Applied(opened, row.id)


def timeline_line(row: FulfillmentDelivery) -> str:
    who = row.carrier_name or row.source or "carrier"
    state = (row.state or "followed").replace("_", " ")
    words = f": \u201c{row.carrier_status}\u201d" if row.carrier_status else ""
    when = f" at {row.carrier_status_at:%Y-%m-%d %H:%M} UTC" if row.carrier_status_at else ""
    expected = f"; now expected {row.carrier_expected_date.isoformat()}" if row.carrier_expected_date else ""
    return f"{who} ({row.source}): {state}{words}{when}{expected}"


def _is_older(report: DeliveryReport, row: FulfillmentDelivery) -> bool:
    return (
        report.carrier_status_at is not None
        and row.carrier_status_at is not None
        and report.carrier_status_at < row.carrier_status_at
    )
