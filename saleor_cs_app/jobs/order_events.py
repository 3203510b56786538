"""What an order or fulfilment event means: the flow every one of them runs (jobs/reactions.py).

Saleor builds an order event's payload when it delivers it, not when the
event happened, so each payload is the order's current state: applying that
state is idempotent and makes the order of arrival unimportant.

The order is locked (or first stored) once, before its parcels, as carriers' news does
(tracking/record.py); its snapshot then goes to each tracking source and to the watch.
"""

from __future__ import annotations

from saleor_cs_app.jobs.followups import late_order_shipped
from saleor_cs_app.store import orders, policies
from saleor_cs_app.tracking import metadata
from saleor_cs_app.tracking.aftership.registration import reserve_for_order
from saleor_cs_app.tracking.dhl.poll import schedule_for_order
from saleor_cs_app.tracking.record import record
from saleor_cs_app.watch import snapshot
from saleor_cs_app.jobs.redemptions import record_spent
from saleor_cs_app.watch.observe import observe_order_snapshot
from saleor_cs_app.webhook_context import WebhookContext


def observe_order(ctx: WebhookContext, payload: dict, *, policy=None) -> None:
    """`policy`: the tenant's live policy when the caller has it (a reconciliation's page loads it once)."""
    order = payload.get("order")
    if not order or order.get("status") == "DRAFT" or snapshot.is_created_by_app(order):
        return  # no access to the order any more, not a customer's order yet, or one the app made
    session, tenant_id, now = ctx.session, ctx.tenant.id, ctx.now
    tracked, _ = orders.lock_or_create(session, tenant_id, order["id"], snapshot.first_seen_fields(order, now))
    # The app's vouchers and gift cards this order used (a reconciliation has no event time).
    record_spent(session, tenant_id, order, now, source="webhook" if ctx.issued_at else "reconciliation")
    policy = policy or policies.load(session, tenant_id)
    for report in metadata.reports_from_order(order, policy.detection.delivery_status_key):
        record(session, tenant_id, order["id"], report, now)
    for registration_id in reserve_for_order(session, tenant_id, order, now):
        ctx.after_commit.append(lambda rid=registration_id: ctx.runtime.jobs.enqueue("register_tracking", rid))
    schedule_for_order(session, tenant_id, order, now)
    observed = observe_order_snapshot(ctx, order, tracked, policy)
    if observed.late_order_shipped:
        late_order_shipped(ctx, observed.tracked)
