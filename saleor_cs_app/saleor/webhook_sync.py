"""Keep an installation's webhooks as this version of the app asks for them.

Saleor copies the manifest's webhooks (event, target URL, subscription query) when the app is installed and
never reads the manifest again. A later version that reads a new field (an order line's allocations, whether
it ships at all) would go on receiving the old payloads from every shop installed before it, and act on
them. The app may update its own webhooks (webhookUpdate / webhookCreate: AUTHENTICATED_APP), so the daily
reconciliation brings them to the manifest. A webhook the merchant switched off stays off: only what the
manifest defines (query, URL, events) is written, and a webhook of a name the manifest lacks is left alone."""

from __future__ import annotations

import re
from dataclasses import dataclass

from saleor_cs_app.saleor.client import SaleorGraphQLError


@dataclass(frozen=True)
class WebhookChange:
    name: str
    webhook_id: str | None  # None: Saleor has no webhook of this name (added by a later version): create it
    input: dict


def _same_query(a: str | None, b: str | None) -> bool:
    return re.sub(r"\s+", " ", a or "").strip() == re.sub(r"\s+", " ", b or "").strip()


def changes(registered: list[dict], wanted: list[dict]) -> list[WebhookChange]:
    """What to write so Saleor's webhooks (`AppWebhooks`) match the manifest's (`wanted`), by name."""
    have = {w.get("name"): w for w in registered}
    out = []
    for want in wanted:
        fields = {"query": want["query"], "targetUrl": want["targetUrl"], "asyncEvents": list(want["asyncEvents"])}
        current = have.get(want["name"])
        if current is None:
            out.append(WebhookChange(want["name"], None, {"name": want["name"], "isActive": True, **fields}))
            continue
        events = sorted(e.get("eventType") for e in current.get("asyncEvents") or [])
        if (
            not _same_query(current.get("subscriptionQuery"), want["query"])
            or current.get("targetUrl") != want["targetUrl"]
            or events != sorted(want["asyncEvents"])
        ):
            out.append(WebhookChange(want["name"], current["id"], fields))
    return out


def sync(client, wanted: list[dict]) -> list[str]:
    """Bring the app's webhooks in this Saleor to `wanted`; returns the names written. Raises SaleorError
    when Saleor cannot be asked, or refuses a change (its errors[]): the next reconciliation tries again."""
    app = (client.execute("AppWebhooks") or {}).get("app") or {}
    written = []
    for change in changes(app.get("webhooks") or [], wanted):
        if change.webhook_id is None:
            result = client.execute("WebhookCreate", {"input": change.input})["webhookCreate"]
        else:
            result = client.execute("WebhookUpdate", {"id": change.webhook_id, "input": change.input})["webhookUpdate"]
        if result.get("errors"):
            raise SaleorGraphQLError(result["errors"], None)
        written.append(change.name)
    return written
