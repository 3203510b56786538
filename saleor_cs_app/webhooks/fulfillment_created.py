from saleor_cs_app.webhooks.definition import WebhookDefinition

WEBHOOK = WebhookDefinition(
    name="fulfillment-created", event="FULFILLMENT_CREATED", subscription="fulfillment_created.graphql"
)
