"""Follow-ups: something new happened to an order we already wrote to the customer about."""

from __future__ import annotations

from saleor_cs_app.store.models import TrackedOrder
from saleor_cs_app.webhooks.context import WebhookContext


def late_order_shipped(ctx: WebhookContext, tracked: TrackedOrder) -> None:
    """The late order finally shipped: the customer hears so, once (outbox key 'shipped')."""
