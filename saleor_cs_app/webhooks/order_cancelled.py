from saleor_cs_app.webhooks.definition import WebhookDefinition
from saleor_cs_app.jobs.order_events import observe_order

WEBHOOK = WebhookDefinition(
    name="order-cancelled", event="ORDER_CANCELLED", subscription="order_cancelled.graphql", handle=observe_order
)
