"""Stalled parcels of one order: followed, on their way, and silent longer than their carrier usually is.

Keeps one `stalled` deadline per moving parcel at its last scan + the carrier's learned longest usual
gap (care/stalls.py, care/transit.py); a new scan moves it. When it passes (the sweep), or is found passed
(a late report, a reconciliation), the parcel becomes a `stalled` incident whose evidence is the last
scan: its time, its place and the carrier's words.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from saleor_cs_app.care.detection import CLOSED_ORDER, NOT_SHIPPED
from saleor_cs_app.care.model import DeliveryState, IncidentKind, IncidentSource
from saleor_cs_app.care.stalls import stalled_at
from saleor_cs_app.care.transit import GAP, Segment, distribution, stall_after_hours
from saleor_cs_app.store import delivery_states, incidents, orders, transit_counts
from saleor_cs_app.store.models import Incident, Tenant, TrackedOrder
from saleor_cs_app.store.tracking_models import FulfillmentDelivery
from saleor_cs_app.watch.opening import broke_before_install, delivery_facts, open_broken_promise, rules_for

KIND = IncidentKind.STALLED


def segment_of(tracked: TrackedOrder, row: FulfillmentDelivery | None) -> Segment:
    """The parcel's segment: the order's shipping method, the carrier the source names, the destination."""
    facts = tracked.facts
    carrier = (row.carrier_name or row.source) if row is not None else None
    return Segment.of(facts.get("shipping_method_name"), carrier, facts.get("destination_country") or facts.get("channel_country"))


def _stalls_at(levels, tracked: TrackedOrder, row: FulfillmentDelivery | None, policy) -> datetime | None:
    if row is None or not row.followed_by or row.state is None:
        return None
    segment = segment_of(tracked, row)
    gaps = distribution(levels, GAP, segment)
    after = stall_after_hours(gaps, floor_hours=policy.detection.stall_floor_hours)
    country = None if segment.country == "??" else segment.country
    return stalled_at(DeliveryState(row.state), row.carrier_status_at, after_hours=after, country=country)


def reassess(
    session: Session, tenant: Tenant, tracked: TrackedOrder, policy, now: datetime, *, observed_at: datetime | None
) -> list[Incident]:
    """Keep the order's stalled deadlines; open the stalls already due. Returns the incidents opened."""
    wanted: dict[tuple[str, str], datetime] = {}
    opened: list[Incident] = []
    fulfillments = tracked.facts.get("fulfillments") or {}
    # Nothing shipped: no parcel to read (most order events), only the deadlines to keep in step.
    watched = policy.detection.stalled and tracked.status not in CLOSED_ORDER and not tracked.click_and_collect
    if watched and fulfillments:
        parcels = delivery_states.for_order(session, tenant.id, tracked.order_id)
        already = {(i.fulfillment_id, i.kind) for i in incidents.open_for_order(session, tenant.id, tracked.order_id)}
        levels = None
        for fulfillment_id, fulfillment in fulfillments.items():
            row = parcels.get(fulfillment_id)
            if fulfillment.get("status") in NOT_SHIPPED or row is None or (fulfillment_id, KIND.value) in already:
                continue
            levels = levels if levels is not None else transit_counts.levels(session, tenant.id)
            due = _stalls_at(levels, tracked, row, policy)
            if due is None:
                continue
            if due > now:
                wanted[(KIND.value, fulfillment_id)] = due
                continue
            before_install = broke_before_install(due, tenant.installed_at, reconciling=observed_at is None)
            incident, created = _open(session, tracked, policy, fulfillment_id, row, now, before_install=before_install)
            if created:
                opened.append(incident)
    orders.sync_deadlines(session, tenant.id, tracked.order_id, KIND.value, wanted)
    return opened


def open_if_still_stalled(
    session: Session, tenant: Tenant, tracked: TrackedOrder, policy, fulfillment_id: str, now: datetime
) -> tuple[Incident | None, bool]:
    """The sweep found a stalled deadline due: open the incident only if no scan, arrival or trouble
    came since (a report racing the sweep must never turn into a message)."""
    if not policy.detection.stalled:
        return None, False
    row = delivery_states.find(session, tenant.id, fulfillment_id)
    due = _stalls_at(transit_counts.levels(session, tenant.id), tracked, row, policy)
    if due is None or due > now:
        return None, False
    return _open(session, tracked, policy, fulfillment_id, row, now)


def _open(session, tracked, policy, fulfillment_id, row, now, *, before_install: bool = False):
    return open_broken_promise(
        session,
        tracked,
        rules_for(policy, tracked),
        kind=KIND,
        source=IncidentSource.CARRIER,
        fulfillment_id=fulfillment_id,
        due_at=None,
        now=now,
        delivery=delivery_facts(row, tracked, fulfillment_id),
        before_install=before_install,
    )
