from saleor_cs_app.webhooks.definition import WebhookDefinition
from saleor_cs_app.jobs.order_events import observe_order

WEBHOOK = WebhookDefinition(
    name="order-fully-paid", event="ORDER_FULLY_PAID", subscription="order_fully_paid.graphql", handle=observe_order
)
