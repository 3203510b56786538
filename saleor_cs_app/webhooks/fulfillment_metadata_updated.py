from saleor_cs_app.webhooks.definition import WebhookDefinition
from saleor_cs_app.jobs.order_events import observe_order

WEBHOOK = WebhookDefinition(
    name="fulfillment-metadata-updated",
    event="FULFILLMENT_METADATA_UPDATED",
    subscription="fulfillment_metadata_updated.graphql",
    handle=observe_order,
)
