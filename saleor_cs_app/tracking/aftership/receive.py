"""Receiving one AfterShip webhook for one merchant: verify, deduplicate, apply.

Order matters: the signature is checked on the raw bytes before the body is
read at all; the event id is claimed in the same transaction that applies it,
so a replay (or the same event twice at once) changes nothing more.
"""

from __future__ import annotations

import logging

from saleor_cs_app.errors import AppError, BadRequest, NotFound, RetryLater, Unauthorized
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store import tenants, tracking_connections, tracking_registrations
from saleor_cs_app.store.tracking_models import TrackingEventSeen
from saleor_cs_app.store.upsert import insert_ignore
from saleor_cs_app.tracking.aftership import NAME, webhook
from saleor_cs_app.tracking.record import apply
from saleor_cs_app.watch.opening import hand_over

log = logging.getLogger(__name__)


def receive(runtime: Runtime, public_id: str, headers, body: bytes) -> str:
    """Returns the outcome: applied | duplicate | unknown_tracking."""
    with runtime.db.read() as session:
        connection = tracking_connections.by_public_id(session, NAME, public_id)
        secret_ciphertext = connection.webhook_secret_ciphertext if connection else None
        tenant_id = connection.tenant_id if connection else None
    if connection is None or secret_ciphertext is None:
        raise NotFound("No AfterShip connection at this URL", code="UNKNOWN_TRACKING_WEBHOOK")
    if not webhook.verify(runtime.cipher.decrypt(secret_ciphertext), body, headers.get(webhook.SIGNATURE_HEADER)):
        raise Unauthorized("Missing or wrong aftership-hmac-sha256 signature", code="INVALID_SIGNATURE")
    try:
        event = webhook.parse(body)
    except webhook.MalformedWebhook as exc:
        raise BadRequest(f"Malformed AfterShip webhook: {exc}", code="MALFORMED_WEBHOOK") from None
    try:
        outcome, handovers = _apply(runtime, tenant_id, event)
    except AppError:
        raise
    except Exception:
        log.exception("aftership webhook failed", extra={"tenant_id": tenant_id, "event_id": event.event_id})
        raise RetryLater("Could not record the event now; AfterShip will retry") from None
    for action in handovers:
        try:
            action()
        except Exception:  # committed already: answering 5xx would only make AfterShip send a duplicate
            log.exception("aftership webhook: could not queue a follow-up", extra={"tenant_id": tenant_id})
    log.info("aftership webhook", extra={"tenant_id": tenant_id, "event_id": event.event_id, "outcome": outcome})
    return outcome


def _apply(runtime: Runtime, tenant_id: int, event: webhook.AfterShipEvent):
    now = runtime.clock()
    with runtime.db.transaction() as session:
        tenant = tenants.get(session, tenant_id)
        if not tenant.is_active:
            return "ignored", []
        first = insert_ignore(
            session,
            TrackingEventSeen,
            {"tenant_id": tenant_id, "provider": NAME, "event_id": event.event_id, "received_at": now},
        )
        if not first:
            return "duplicate", []
        registration = tracking_registrations.by_number(session, tenant_id, NAME, event.tracking_number)
        if registration is None:
            return "unknown_tracking", []  # a parcel AfterShip tracks for the shop outside Saleor
        report = webhook.report_for(event, registration.fulfillment_id)
        observed_at = report.carrier_status_at or now
        applied = apply(session, tenant, registration.order_id, report, now, observed_at=observed_at)
        actions = [hand_over(runtime.jobs.enqueue, incident) for incident in applied.opened]
        if applied.delivery_id is not None:
            actions.append(lambda: runtime.jobs.enqueue("write_delivery_state", applied.delivery_id))
        return "applied", actions
