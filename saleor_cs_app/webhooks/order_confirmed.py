from saleor_cs_app.webhooks.definition import WebhookDefinition
from saleor_cs_app.jobs.order_events import observe_order

WEBHOOK = WebhookDefinition(
    name="order-confirmed", event="ORDER_CONFIRMED", subscription="order_confirmed.graphql", handle=observe_order
)
