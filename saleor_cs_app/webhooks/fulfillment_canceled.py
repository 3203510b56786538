from saleor_cs_app.webhooks.definition import WebhookDefinition
from saleor_cs_app.jobs.order_events import observe_order

WEBHOOK = WebhookDefinition(
    name="fulfillment-canceled",
    event="FULFILLMENT_CANCELED",
    subscription="fulfillment_canceled.graphql",
    handle=observe_order,
)
