from saleor_cs_app.webhooks.definition import WebhookDefinition

WEBHOOK = WebhookDefinition(name="order-updated", event="ORDER_UPDATED", subscription="order_updated.graphql")
