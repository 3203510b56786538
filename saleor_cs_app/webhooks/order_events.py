"""The handler every order and fulfilment event shares.

Saleor builds an order event's payload when it delivers it, not when the
event happened, so each payload is the order's current state: applying that
state is idempotent and makes the order of arrival unimportant.
"""

from __future__ import annotations

from saleor_cs_app.webhooks.context import WebhookContext


def observe_order(ctx: WebhookContext, payload: dict) -> None:
    from saleor_cs_app.watch.observe import observe_order_snapshot

    order = payload.get("order")
    if not order:  # the app lost access to the order, or Saleor could not resolve it
        return
    observe_order_snapshot(ctx, order)
