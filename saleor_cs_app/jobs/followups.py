"""Follow-ups: something new happened to an order we already wrote to the customer about."""

from __future__ import annotations

from saleor_cs_app.notify.outbox import queue_shipped_message
from saleor_cs_app.store import incidents, policies
from saleor_cs_app.store.models import TrackedOrder
from saleor_cs_app.webhook_context import WebhookContext


def late_order_shipped(ctx: WebhookContext, tracked: TrackedOrder) -> None:
    """The late order finally shipped: the customer hears so, once (outbox purpose 'shipped')."""
    for incident in incidents.open_for_order(ctx.session, ctx.tenant.id, tracked.order_id):
        if incident.kind != "late_shipment":
            continue
        policy = policies.load(ctx.session, ctx.tenant.id)
        row = queue_shipped_message(ctx.session, incident, tracked, policy, ctx.runtime.settings, ctx.now)
        if row is not None:
            incidents.add_event(
                ctx.session, incident, ctx.now, "shipped", "The order shipped; the customer will be told"
            )
            ctx.after_commit.append(lambda message_id=row.id: ctx.runtime.jobs.enqueue("send_message", message_id))
