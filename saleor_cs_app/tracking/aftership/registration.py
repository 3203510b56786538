"""Creating each shipped parcel's tracking in AfterShip, exactly once.

The registration row is reserved (unique per parcel and number) in the
transaction that sees the tracking number, before any call. A retry looks the
tracking up before creating it, and AfterShip's own 4003 "already exists" is
the last guard, so duplicates, retries and concurrent workers create one.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.care.detection import NOT_SHIPPED
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store import delivery_states, orders, policies, tenants, tracking_connections, tracking_registrations
from saleor_cs_app.store.tracking_models import TrackingRegistration
from saleor_cs_app.tracking import key_refusals
from saleor_cs_app.tracking.aftership import NAME
from saleor_cs_app.tracking.aftership.api import (
    ALREADY_EXISTS,
    AfterShipClient,
    AfterShipRefused,
    AfterShipUnavailable,
)
from saleor_cs_app.watch import deliveries
from saleor_cs_app.watch.opening import hand_over
from saleor_cs_app.watch.snapshot import parse_time

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)  # one worker's call in flight; another waits rather than races it
MAX_ATTEMPTS = 8
RECENT = timedelta(days=30)  # older parcels are not worth an AfterShip tracking
# Shipping method names that name the courier; otherwise AfterShip detects it from the number.
COURIER_SLUGS = {"dhl": "dhl", "ups": "ups", "fedex": "fedex", "usps": "usps", "gls": "gls", "dpd": "dpd", "postnord": "postnord"}


def reserve_for_order(session: Session, tenant_id: int, order: dict, now: datetime) -> list[int]:
    """Reserve a registration for each shipped parcel with a new tracking number; returns their ids."""
    parcels = []
    for fulfillment in order.get("fulfillments") or []:
        number = (fulfillment.get("trackingNumber") or "").strip()
        shipped_at = parse_time(fulfillment.get("created"))
        if not number or number.lower().startswith("http") or fulfillment.get("status") in NOT_SHIPPED:
            continue
        if shipped_at is None or shipped_at < now - RECENT:
            continue
        parcels.append((fulfillment, number))
    # The account is looked up only for a parcel to follow: most order events have none.
    if not parcels or tracking_connections.find(session, tenant_id, NAME) is None:
        return []
    reserved = []
    for fulfillment, number in parcels:
        registration_id = tracking_registrations.reserve(
            session, tenant_id, NAME, order["id"], fulfillment["id"], number, now
        )
        if registration_id is not None:
            reserved.append(registration_id)
    return reserved


def reopen_refused(session: Session, tenant_id: int, refused_since: datetime, now: datetime) -> list[int]:
    """Registrations that failed while AfterShip refused the old key start again with the new one."""
    rows = session.scalars(
        select(TrackingRegistration).where(
            TrackingRegistration.tenant_id == tenant_id,
            TrackingRegistration.provider == NAME,
            TrackingRegistration.state == "failed",
            TrackingRegistration.updated_at >= refused_since,
        )
    ).all()
    for row in rows:
        row.state, row.attempts, row.error, row.updated_at = "started", 0, None, now
    return [row.id for row in rows]


def courier_slug(shipping_method_name: str | None) -> str | None:
    words = (shipping_method_name or "").lower().replace("-", " ").split()
    return next((COURIER_SLUGS[w] for w in words if w in COURIER_SLUGS), None)


def register(runtime: Runtime, registration_id: int) -> float | None:
    """Create the tracking; returns seconds to wait before retrying, or None when finished."""
    now = runtime.clock()
    with runtime.db.transaction() as session:
        row = tracking_registrations.lock(session, registration_id)
        if row is None or row.state != "started":
            return None
        if row.attempts > 0 and row.updated_at > now - LEASE:
            return LEASE.total_seconds()
        connection = tracking_connections.find(session, row.tenant_id, NAME)
        tracked = orders.find(session, row.tenant_id, row.order_id)
        if connection is None or tracked is None:
            row.state, row.error = "failed", "AfterShip is no longer connected" if connection is None else "order unknown"
            return None
        row.attempts += 1
        row.updated_at = now
        attempts, number, tenant_id = row.attempts, row.tracking_number, row.tenant_id
        key_ciphertext = connection.api_key_ciphertext
        api_key = runtime.cipher.decrypt(key_ciphertext)
        request = {
            "tracking_number": number,
            "slug": courier_slug(tracked.facts.get("shipping_method_name")),
            "order_number": tracked.number,
            "order_id": tracked.order_id,
        }
    client = AfterShipClient(runtime.settings.aftership_api_url, api_key, timeout=runtime.settings.tracking_timeout_seconds)
    try:
        # A previous attempt may have reached AfterShip before it failed: look before creating.
        tracking = client.find_tracking(number) if attempts > 1 else None
        if tracking is None:
            try:
                tracking = client.create_tracking(**request)
            except AfterShipRefused as exc:
                if exc.code != ALREADY_EXISTS:
                    raise
                tracking = client.find_tracking(number)
    except AfterShipUnavailable as exc:
        return _retry_later(runtime, registration_id, attempts, str(exc), exc.retry_after)
    except AfterShipRefused as exc:
        if key_refusals.refuses_key(exc.status):
            with runtime.db.transaction() as session:
                key_refusals.note_key_refused(session, tenant_id, NAME, key_ciphertext, str(exc), runtime.clock())
        _finish(runtime, registration_id, failed=str(exc))
        return None
    _finish(runtime, registration_id, external_id=tracking.id if tracking else None)
    return None


def _retry_later(runtime: Runtime, registration_id: int, attempts: int, error: str, retry_after: float | None) -> float | None:
    with runtime.db.transaction() as session:
        row = tracking_registrations.lock(session, registration_id)
        row.error = error
        if attempts >= MAX_ATTEMPTS:
            row.state = "failed"
            log.warning("aftership registration gave up", extra={"registration": registration_id, "error": error})
            return None
        # The lease must not make the retry wait on itself.
        row.updated_at = runtime.clock() - LEASE
    return retry_after if retry_after is not None else min(10 * 2 ** (attempts - 1), 1800)


def _finish(runtime: Runtime, registration_id: int, *, external_id: str | None = None, failed: str | None = None) -> None:
    handovers = []
    with runtime.db.transaction() as session:
        # The order first, then its registration: the order's own deliveries take their locks in
        # that order (reserve_for_order), so the two never wait on each other. The other way round
        # deadlocked on PostgreSQL when a woken worker finished a registration while the order's
        # next webhook was being applied.
        order = tracking_registrations.order_of(session, registration_id)
        tracked = orders.find(session, *order, lock=True) if order is not None else None
        row = tracking_registrations.lock(session, registration_id)
        now = runtime.clock()
        row.updated_at = now
        if failed is not None:
            row.state, row.error = "failed", failed
            log.warning("aftership refused a tracking", extra={"registration": registration_id, "error": failed})
            return
        row.state, row.external_id, row.error = "done", external_id, None
        key_refusals.note_key_accepted(session, row.tenant_id, NAME)
        tenant = tenants.get(session, row.tenant_id)
        parcel = delivery_states.lock_or_create(session, row.tenant_id, row.order_id, row.fulfillment_id, now)
        parcel.tracking_number = row.tracking_number
        if delivery_states.follow(parcel, NAME, now) and tracked is not None:
            policy = policies.load(session, row.tenant_id)
            opened = deliveries.reassess(session, tenant, tracked, policy, now, observed_at=now)
            handovers = [hand_over(runtime.jobs.enqueue, incident) for incident in opened]
    for action in handovers:
        action()
