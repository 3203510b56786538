"""Polling DHL for the open DHL parcels, within the merchant's daily allowance.

Each call is counted (per tenant and UTC day) before it is made; a 429 pauses
the tenant's polling for as long as DHL asks; a parcel stops being polled
once it arrived or failed.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.care.detection import NOT_SHIPPED
from saleor_cs_app.care.model import DeliveryState
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store import delivery_states, orders, tenants, tracking_connections
from saleor_cs_app.store.tracking_models import FulfillmentDelivery, TrackingApiUsage
from saleor_cs_app.store.upsert import insert_ignore
from saleor_cs_app.tracking import key_refusals
from saleor_cs_app.tracking.dhl import NAME
from saleor_cs_app.tracking.dhl.api import DhlClient, DhlRefused, DhlUnavailable
from saleor_cs_app.tracking.dhl.reading import DAILY_CALLS, is_dhl, next_poll, report_from
from saleor_cs_app.tracking.record import apply
from saleor_cs_app.watch.opening import hand_over

log = logging.getLogger(__name__)

IN_FLIGHT = timedelta(minutes=10)  # a poll being made is not picked up again meanwhile
# While DHL refuses the key the parcel is asked about rarely, so a key fixed at DHL's end is noticed.
KEY_REFUSED_RETRY = timedelta(hours=6)


def schedule_for_order(session: Session, tenant_id: int, order: dict, now: datetime) -> None:
    """DHL parcels of this order get polled, from now on, when the merchant connected DHL."""
    parcels = []
    for fulfillment in order.get("fulfillments") or []:
        number = (fulfillment.get("trackingNumber") or "").strip()
        if fulfillment.get("status") in NOT_SHIPPED or not is_dhl(order.get("shippingMethodName"), number):
            continue
        parcels.append((fulfillment, number))
    # The account is looked up only for a DHL parcel: most order events have none.
    if not parcels or tracking_connections.find(session, tenant_id, NAME) is None:
        return
    for fulfillment, number in parcels:
        row = delivery_states.lock_or_create(session, tenant_id, order["id"], fulfillment["id"], now)
        finished = row.state is not None and (DeliveryState(row.state).has_arrived or DeliveryState(row.state).is_failure)
        if row.tracking_number != number:
            row.tracking_number, row.next_poll_at = number, now
        elif row.next_poll_at is None and not finished and NAME not in (row.followed_by or []):
            row.next_poll_at = now


def poll_due(runtime: Runtime, limit: int = 50) -> int:
    now = runtime.clock()
    with runtime.db.read() as session:
        due = list(
            session.scalars(
                select(FulfillmentDelivery.id)
                .where(FulfillmentDelivery.next_poll_at <= now)
                .order_by(FulfillmentDelivery.next_poll_at)
                .limit(limit)
            )
        )
    for delivery_id in due:
        poll_one(runtime, delivery_id)
    return len(due)


def calls_today(session: Session, tenant_id: int, now: datetime) -> int:
    usage = session.scalar(
        select(TrackingApiUsage).where(
            TrackingApiUsage.tenant_id == tenant_id, TrackingApiUsage.provider == NAME, TrackingApiUsage.day == now.date()
        )
    )
    return usage.calls if usage else 0


def poll_one(runtime: Runtime, delivery_id: int) -> None:
    now = runtime.clock()
    with runtime.db.transaction() as session:
        row = session.get(FulfillmentDelivery, delivery_id, with_for_update=True, populate_existing=True)
        if row is None or row.next_poll_at is None or row.next_poll_at > now:
            return
        connection = tracking_connections.find(session, row.tenant_id, NAME)
        if connection is None or not tenants.get(session, row.tenant_id).is_active or not row.tracking_number:
            row.next_poll_at = None
            return
        usage = _usage(session, row.tenant_id, now)
        if usage.throttled_until is not None and usage.throttled_until > now:
            row.next_poll_at = usage.throttled_until
            return
        if usage.calls >= DAILY_CALLS:
            row.next_poll_at = datetime.combine(now.date() + timedelta(days=1), time.min, tzinfo=now.tzinfo)
            return
        usage.calls += 1
        row.next_poll_at = now + IN_FLIGHT
        key_ciphertext = connection.api_key_ciphertext
        api_key = runtime.cipher.decrypt(key_ciphertext)
        tenant_id, order_id, fulfillment_id, number = row.tenant_id, row.order_id, row.fulfillment_id, row.tracking_number
    client = DhlClient(runtime.settings.dhl_api_url, api_key, timeout=runtime.settings.tracking_timeout_seconds)
    try:
        shipment = client.shipment(number)
    except DhlUnavailable as exc:
        _postpone(runtime, delivery_id, tenant_id, exc.retry_after)
        return
    except DhlRefused as exc:
        log.warning("DHL refused a poll", extra={"tenant_id": tenant_id, "error": str(exc)})
        if not key_refusals.refuses_key(exc.status):
            _set_next(runtime, delivery_id, None)  # this number is wrong, not the key
            return
        with runtime.db.transaction() as session:
            key_refusals.note_key_refused(session, tenant_id, NAME, key_ciphertext, str(exc), now)
        _set_next(runtime, delivery_id, now + KEY_REFUSED_RETRY)
        return
    handovers = []
    with runtime.db.transaction() as session:
        key_refusals.note_key_accepted(session, tenant_id, NAME)
        deadline = _deadline(session, tenant_id, order_id, fulfillment_id)
        if shipment is not None:
            tenant = tenants.get(session, tenant_id)
            applied = apply(session, tenant, order_id, report_from(shipment, fulfillment_id, number), now, observed_at=now)
            handovers = [hand_over(runtime.jobs.enqueue, incident) for incident in applied.opened]
            if applied.delivery_id is not None:
                handovers.append(lambda: runtime.jobs.enqueue("write_delivery_state", applied.delivery_id))
            deadline = _deadline(session, tenant_id, order_id, fulfillment_id)
        row = session.get(FulfillmentDelivery, delivery_id, with_for_update=True, populate_existing=True)
        state = DeliveryState(row.state) if row.state else None
        done = state is not None and (state.has_arrived or state.is_failure)
        row.next_poll_at = None if done else next_poll(now, deadline)
    for action in handovers:
        action()


def _usage(session: Session, tenant_id: int, now: datetime) -> TrackingApiUsage:
    values = {"tenant_id": tenant_id, "provider": NAME, "day": now.date(), "calls": 0}
    insert_ignore(session, TrackingApiUsage, values)
    return session.scalar(
        select(TrackingApiUsage)
        .where(TrackingApiUsage.tenant_id == tenant_id, TrackingApiUsage.provider == NAME, TrackingApiUsage.day == now.date())
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _deadline(session: Session, tenant_id: int, order_id: str, fulfillment_id: str) -> datetime | None:
    due = [d.due_at for d in orders.deadlines_of(session, tenant_id, order_id) if d.fulfillment_id == fulfillment_id]
    return min(due) if due else None


def _postpone(runtime: Runtime, delivery_id: int, tenant_id: int, retry_after: float | None) -> None:
    now = runtime.clock()
    with runtime.db.transaction() as session:
        if retry_after is not None:  # a 429: the whole account waits, not just this parcel
            _usage(session, tenant_id, now).throttled_until = now + timedelta(seconds=max(retry_after, 5))
        row = session.get(FulfillmentDelivery, delivery_id, with_for_update=True)
        row.next_poll_at = now + timedelta(seconds=retry_after if retry_after is not None else 1800)


def _set_next(runtime: Runtime, delivery_id: int, at: datetime | None) -> None:
    with runtime.db.transaction() as session:
        session.get(FulfillmentDelivery, delivery_id, with_for_update=True).next_poll_at = at
