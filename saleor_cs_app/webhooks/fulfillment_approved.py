from saleor_cs_app.webhooks.definition import WebhookDefinition

WEBHOOK = WebhookDefinition(
    name="fulfillment-approved", event="FULFILLMENT_APPROVED", subscription="fulfillment_approved.graphql"
)
