from saleor_cs_app.webhooks.definition import WebhookDefinition
from saleor_cs_app.jobs.order_events import observe_order

WEBHOOK = WebhookDefinition(
    name="order-created", event="ORDER_CREATED", subscription="order_created.graphql", handle=observe_order
)
