"""What each Saleor event means: the flow a stored delivery of it runs, by event name.

webhooks/ only verifies and stores a delivery; the delivery processor (jobs/deliveries.py) looks its
event up here. Every order and fulfilment event carries the order's current state, so they share one flow.
"""

from __future__ import annotations

from collections.abc import Callable

from saleor_cs_app.jobs.order_events import observe_order
from saleor_cs_app.store import tenants
from saleor_cs_app.webhook_context import WebhookContext

Reaction = Callable[[WebhookContext, dict], None]


def app_deleted(ctx: WebhookContext, payload: dict) -> None:
    """The merchant removed the app: disable the tenant and drop its token."""
    tenants.mark_uninstalled(ctx.session, ctx.tenant.id, ctx.now)
    ctx.after_commit.append(lambda: ctx.runtime.tenant_cache.pop(ctx.tenant.saleor_api_url, None))


REACTIONS: dict[str, Reaction] = {
    "ORDER_CREATED": observe_order,
    "ORDER_CONFIRMED": observe_order,
    "ORDER_FULLY_PAID": observe_order,
    "ORDER_UPDATED": observe_order,
    "ORDER_CANCELLED": observe_order,
    "ORDER_FULFILLED": observe_order,
    "FULFILLMENT_CREATED": observe_order,
    "FULFILLMENT_APPROVED": observe_order,
    "FULFILLMENT_CANCELED": observe_order,
    "FULFILLMENT_METADATA_UPDATED": observe_order,
    "FULFILLMENT_TRACKING_NUMBER_UPDATED": observe_order,
    "APP_DELETED": app_deleted,
}


def reaction_to(event: str) -> Reaction | None:
    return REACTIONS.get(event.upper())
