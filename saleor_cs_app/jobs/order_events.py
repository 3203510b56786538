"""The handler every order and fulfilment event shares.

Saleor builds an order event's payload when it delivers it, not when the
event happened, so each payload is the order's current state: applying that
state is idempotent and makes the order of arrival unimportant.
"""

from __future__ import annotations

from saleor_cs_app.webhook_context import WebhookContext


def observe_order(ctx: WebhookContext, payload: dict) -> None:
    from saleor_cs_app.jobs.followups import late_order_shipped
    from saleor_cs_app.store import orders, policies
    from saleor_cs_app.tracking import metadata
    from saleor_cs_app.tracking.aftership.registration import reserve_for_order
    from saleor_cs_app.tracking.dhl.poll import schedule_for_order
    from saleor_cs_app.tracking.record import record
    from saleor_cs_app.watch.observe import observe_order_snapshot
    from saleor_cs_app.watch.snapshot import is_created_by_app

    order = payload.get("order")
    if not order or order.get("status") == "DRAFT" or is_created_by_app(order):
        return  # no access to the order any more, not a customer's order yet, or one the app made
    orders.find(ctx.session, ctx.tenant.id, order["id"], lock=True)  # the order before its parcels, as carriers' news does
    key = policies.load(ctx.session, ctx.tenant.id).detection.delivery_status_key
    for report in metadata.reports_from_order(order, key):
        record(ctx.session, ctx.tenant.id, order["id"], report, ctx.now)
    for registration_id in reserve_for_order(ctx.session, ctx.tenant.id, order, ctx.now):
        ctx.after_commit.append(lambda rid=registration_id: ctx.runtime.jobs.enqueue("register_tracking", rid))
    schedule_for_order(ctx.session, ctx.tenant.id, order, ctx.now)
    observed = observe_order_snapshot(ctx, order)
    if observed is not None and observed.late_order_shipped:
        late_order_shipped(ctx, observed.tracked)
