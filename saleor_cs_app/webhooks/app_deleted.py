"""APP_DELETED: the merchant removed the app. Disable the tenant and drop its token."""

from saleor_cs_app.store import tenants
from saleor_cs_app.webhook_context import WebhookContext
from saleor_cs_app.webhooks.definition import WebhookDefinition


def handle(ctx: WebhookContext, payload: dict) -> None:
    tenants.mark_uninstalled(ctx.session, ctx.tenant.id, ctx.now)
    ctx.after_commit.append(lambda: ctx.runtime.tenant_cache.pop(ctx.tenant.saleor_api_url, None))


WEBHOOK = WebhookDefinition(name="app-deleted", event="APP_DELETED", subscription="app_deleted.graphql", handle=handle)
