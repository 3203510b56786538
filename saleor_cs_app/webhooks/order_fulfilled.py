from saleor_cs_app.webhooks.definition import WebhookDefinition

WEBHOOK = WebhookDefinition(name="order-fulfilled", event="ORDER_FULFILLED", subscription="order_fulfilled.graphql")
