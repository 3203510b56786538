from saleor_cs_app.webhooks.definition import WebhookDefinition

WEBHOOK = WebhookDefinition(name="order-confirmed", event="ORDER_CONFIRMED", subscription="order_confirmed.graphql")
