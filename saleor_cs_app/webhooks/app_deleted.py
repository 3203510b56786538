"""APP_DELETED: the merchant removed the app (jobs/reactions.py disables the tenant and drops its token)."""

from saleor_cs_app.webhooks.definition import WebhookDefinition

WEBHOOK = WebhookDefinition(name="app-deleted", event="APP_DELETED", subscription="app_deleted.graphql")
