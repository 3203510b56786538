from saleor_cs_app.webhooks.definition import WebhookDefinition
from saleor_cs_app.jobs.order_events import observe_order

WEBHOOK = WebhookDefinition(
    name="fulfillment-approved",
    event="FULFILLMENT_APPROVED",
    subscription="fulfillment_approved.graphql",
    handle=observe_order,
)
