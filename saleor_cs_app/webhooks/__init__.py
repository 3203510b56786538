"""The webhook registry: one module per Saleor event. It feeds the manifest and the router.

What a stored delivery of each event then does is a flow: jobs/reactions.py."""

from __future__ import annotations

from saleor_cs_app.webhooks import (
    app_deleted,
    fulfillment_approved,
    fulfillment_canceled,
    fulfillment_created,
    fulfillment_metadata_updated,
    fulfillment_tracking_number_updated,
    order_cancelled,
    order_confirmed,
    order_created,
    order_fulfilled,
    order_fully_paid,
    order_updated,
)
from saleor_cs_app.webhooks.definition import WebhookDefinition

WEBHOOKS: tuple[WebhookDefinition, ...] = tuple(
    module.WEBHOOK
    for module in (
        order_created,
        order_confirmed,
        order_fully_paid,
        order_updated,
        order_cancelled,
        order_fulfilled,
        fulfillment_created,
        fulfillment_approved,
        fulfillment_canceled,
        fulfillment_metadata_updated,
        fulfillment_tracking_number_updated,
        app_deleted,
    )
)
_BY_NAME = {w.name: w for w in WEBHOOKS}


def by_name(name: str) -> WebhookDefinition | None:
    return _BY_NAME.get(name)
