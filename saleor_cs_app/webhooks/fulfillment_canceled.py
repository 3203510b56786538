from saleor_cs_app.webhooks.definition import WebhookDefinition

WEBHOOK = WebhookDefinition(
    name="fulfillment-canceled", event="FULFILLMENT_CANCELED", subscription="fulfillment_canceled.graphql"
)
