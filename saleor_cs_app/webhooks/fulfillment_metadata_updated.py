from saleor_cs_app.webhooks.definition import WebhookDefinition

WEBHOOK = WebhookDefinition(
    name="fulfillment-metadata-updated",
    event="FULFILLMENT_METADATA_UPDATED",
    subscription="fulfillment_metadata_updated.graphql",
)
