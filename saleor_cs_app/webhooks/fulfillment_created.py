from saleor_cs_app.webhooks.definition import WebhookDefinition
from saleor_cs_app.jobs.order_events import observe_order

WEBHOOK = WebhookDefinition(
    name="fulfillment-created",
    event="FULFILLMENT_CREATED",
    subscription="fulfillment_created.graphql",
    handle=observe_order,
)
