"""Processing a stored webhook delivery with its event's handler."""

from __future__ import annotations

import json
import logging

from sqlalchemy import select

from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store import tenants
from saleor_cs_app.store.models import WebhookDelivery
from saleor_cs_app.watch.snapshot import parse_time
from saleor_cs_app.webhooks import by_event
from saleor_cs_app.webhooks.context import WebhookContext

log = logging.getLogger(__name__)


def process(runtime: Runtime, delivery_id: int) -> int | None:
    """Apply one delivery. Returns the attempt number when it failed and should be retried."""
    ctx = None
    try:
        with runtime.db.transaction() as session:
            delivery = session.scalar(
                select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update()
            )
            if delivery is None or delivery.state != "received":
                return None  # already processed: a duplicate task is a no-op
            tenant = tenants.get(session, delivery.tenant_id)
            definition = by_event(delivery.event)
            payload = json.loads(delivery.body)
            ctx = WebhookContext(
                runtime=runtime,
                session=session,
                tenant=tenant,
                now=runtime.clock(),
                issued_at=parse_time(payload.get("issuedAt")),
            )
            if tenant.is_active and definition is not None:
                definition.handle(ctx, payload)
            delivery.state = "done"
            delivery.processed_at = ctx.now
    except Exception as exc:
        log.exception("delivery processing failed", extra={"delivery": delivery_id})
        return _record_failure(runtime, delivery_id, exc)
    log.info("delivery processed", extra={"delivery": delivery_id, "event": definition.event if definition else None})
    for action in ctx.after_commit if ctx else ():
        action()
    return None


def _record_failure(runtime: Runtime, delivery_id: int, exc: Exception) -> int:
    from saleor_cs_app.jobs.tasks import MAX_ATTEMPTS

    with runtime.db.transaction() as session:
        delivery = session.get_one(WebhookDelivery, delivery_id)
        delivery.attempts += 1
        delivery.error = f"{type(exc).__name__}: {exc}"[:1000]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.state = "failed"
        return delivery.attempts
