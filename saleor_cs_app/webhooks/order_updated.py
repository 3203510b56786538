from saleor_cs_app.webhooks.definition import WebhookDefinition
from saleor_cs_app.jobs.order_events import observe_order

WEBHOOK = WebhookDefinition(
    name="order-updated", event="ORDER_UPDATED", subscription="order_updated.graphql", handle=observe_order
)
