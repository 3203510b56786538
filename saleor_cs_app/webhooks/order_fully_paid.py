from saleor_cs_app.webhooks.definition import WebhookDefinition

WEBHOOK = WebhookDefinition(name="order-fully-paid", event="ORDER_FULLY_PAID", subscription="order_fully_paid.graphql")
