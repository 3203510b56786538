from saleor_cs_app.webhooks.definition import WebhookDefinition

WEBHOOK = WebhookDefinition(name="order-created", event="ORDER_CREATED", subscription="order_created.graphql")
