from saleor_cs_app.webhooks.definition import WebhookDefinition

WEBHOOK = WebhookDefinition(
    name="fulfillment-tracking-number-updated",
    event="FULFILLMENT_TRACKING_NUMBER_UPDATED",
    subscription="fulfillment_tracking_number_updated.graphql",
)
