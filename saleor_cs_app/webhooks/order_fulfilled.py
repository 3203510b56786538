from saleor_cs_app.webhooks.definition import WebhookDefinition
from saleor_cs_app.jobs.order_events import observe_order

WEBHOOK = WebhookDefinition(
    name="order-fulfilled", event="ORDER_FULFILLED", subscription="order_fulfilled.graphql", handle=observe_order
)
