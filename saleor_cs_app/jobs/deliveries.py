"""Processing a stored webhook delivery: the flow its event names (jobs/reactions.py) in one transaction."""

from __future__ import annotations

import json
import logging

from sqlalchemy import select

from saleor_cs_app.jobs.reactions import reaction_to
from saleor_cs_app.jobs.retries import MAX_ATTEMPTS
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store import deliveries, tenants
from saleor_cs_app.store.models import WebhookDelivery
from saleor_cs_app.watch.snapshot import parse_time
from saleor_cs_app.webhook_context import WebhookContext

log = logging.getLogger(__name__)


def process(runtime: Runtime, delivery_id: int) -> int | None:
    """Apply one delivery. Returns the attempt number when it failed and should be retried."""
    query = select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update()
    return _process(runtime, query, known_id=delivery_id)[1]


def process_oldest(runtime: Runtime) -> tuple[int, int | None] | None:
    """Claim and apply the oldest delivery never tried: (its id, the failed attempt or None), or None if none waits."""
    delivery_id, failed_attempt = _process(runtime, deliveries.OLDEST_UNSTARTED)
    return None if delivery_id is None else (delivery_id, failed_attempt)


def _process(runtime: Runtime, query, *, known_id: int | None = None) -> tuple[int | None, int | None]:
    """(the id of the delivery applied or tried, the failed attempt or None); (None, None) if there was none."""
    delivery_id = known_id
    try:
        with runtime.db.transaction() as session:
            delivery = session.scalar(query)
            if delivery is None or delivery.state != "received":
                return None, None  # already processed: a duplicate task is a no-op
            delivery_id = delivery.id
            tenant = tenants.get(session, delivery.tenant_id)
            event = delivery.event.upper()
            react = reaction_to(event)
            payload = json.loads(delivery.body)
            ctx = WebhookContext(
                runtime=runtime,
                session=session,
                tenant=tenant,
                now=runtime.clock(),
                issued_at=parse_time(payload.get("issuedAt")),
            )
            if tenant.is_active and react is not None:
                react(ctx, payload)
            delivery.state = "done"
            delivery.processed_at = ctx.now
    except Exception as exc:
        if delivery_id is None:  # the database failed before a delivery was claimed: nothing to record
            raise
        log.exception("delivery processing failed", extra={"delivery": delivery_id})
        return delivery_id, _record_failure(runtime, delivery_id, exc)
    log.info("delivery processed", extra={"delivery": delivery_id, "event": event if react else None})
    for action in ctx.after_commit:
        action()
    return delivery_id, None


def _record_failure(runtime: Runtime, delivery_id: int, exc: Exception) -> int:
    with runtime.db.transaction() as session:
        delivery = session.get_one(WebhookDelivery, delivery_id)
        delivery.attempts += 1
        delivery.error = f"{type(exc).__name__}: {exc}"[:1000]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.state = "failed"
        return delivery.attempts
