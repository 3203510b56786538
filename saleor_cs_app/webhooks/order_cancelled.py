from saleor_cs_app.webhooks.definition import WebhookDefinition

WEBHOOK = WebhookDefinition(name="order-cancelled", event="ORDER_CANCELLED", subscription="order_cancelled.graphql")
