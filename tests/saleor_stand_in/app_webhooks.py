"""The app's own webhooks, as Saleor 3.23 serves them: `App.webhooks` (MANAGE_APPS or OWNER), and
`webhookUpdate` / `webhookCreate` (MANAGE_APPS or AUTHENTICATED_APP; an app reaches only its own webhooks,
anything else is NOT_FOUND). A subscription query Saleor cannot run is refused as INVALID, nothing changed."""

from __future__ import annotations

import json

from .engine import computed, gid
from .manifest import subscription_events
from .mutations import MutationError, err, mutation


def webhook_node(saleor, name: str, wh: dict) -> dict:
    return {
        "__typename": "Webhook",
        "id": wh["id"],
        "name": name,
        "targetUrl": wh["targetUrl"],
        "subscriptionQuery": wh["query"],
        "isActive": wh["isActive"],
        "asyncEvents": [{"__typename": "WebhookEventAsync", "eventType": e, "name": e} for e in wh["events"]],
        "syncEvents": [],
        "customHeaders": json.dumps(wh.get("customHeaders") or {}),
        "app": saleor.app,
    }


@computed("App", "webhooks")
def app_webhooks(ctx, app, info):
    ctx.require(("MANAGE_APPS", "OWNER"), app)
    if app.get("id") != ctx.saleor.app_id:
        return []
    return [webhook_node(ctx.saleor, name, wh) for name, wh in ctx.saleor.webhooks.items()]


def _own(ctx, webhook_id: str) -> str:
    if ctx.app is None or ctx.app.get("id") != ctx.saleor.app_id:
        raise MutationError(err("id", f"Couldn't resolve to a node: {webhook_id}", "NOT_FOUND"))
    for name, wh in ctx.saleor.webhooks.items():
        if wh["id"] == webhook_id:
            return name
    raise MutationError(err("id", f"Couldn't resolve to a node: {webhook_id}", "NOT_FOUND"))


def _checked(input: dict) -> dict:
    changes = {}
    if input.get("query") is not None:
        events, problem = subscription_events(input["query"])
        if problem:
            raise MutationError(err("query", "Subscription query is not valid: " + problem, "INVALID"))
        changes["query"] = input["query"]
        changes["_query_events"] = events
    if input.get("targetUrl") is not None:
        if not str(input["targetUrl"]).startswith(("http://", "https://")):
            raise MutationError(err("targetUrl", "Enter a valid URL.", "INVALID"))
        changes["targetUrl"] = input["targetUrl"]
    if input.get("asyncEvents") is not None:
        changes["events"] = [str(getattr(e, "value", e)) for e in input["asyncEvents"]]
    if input.get("isActive") is not None:
        changes["isActive"] = bool(input["isActive"])
    return changes


@mutation("webhookUpdate")
def webhook_update(ctx, info, id, input):
    ctx.require(("MANAGE_APPS", "AUTHENTICATED_APP"))
    saleor = ctx.saleor
    with saleor._lock:
        name = _own(ctx, id)
        changes = _checked(input)
        query_events = changes.pop("_query_events", None)
        wh = saleor.webhooks[name]
        wh.update(changes)
        if "events" not in changes and query_events and not wh["events"]:
            wh["events"] = query_events
        new_name = input.get("name") or name
        if new_name != name:
            saleor.webhooks[new_name] = saleor.webhooks.pop(name)
        return {"webhook": webhook_node(saleor, new_name, wh), "errors": []}


@mutation("webhookCreate")
def webhook_create(ctx, info, input):
    ctx.require(("MANAGE_APPS", "AUTHENTICATED_APP"))
    saleor = ctx.saleor
    if ctx.app is None:
        raise MutationError(err("app", "Only an app can create a webhook for itself here.", "REQUIRED"))
    with saleor._lock:
        changes = _checked(input)
        query_events = changes.pop("_query_events", None) or []
        if "targetUrl" not in changes:
            raise MutationError(err("targetUrl", "This field is required.", "REQUIRED"))
        name = input.get("name") or f"webhook-{len(saleor.webhooks) + 1}"
        wh = {
            "id": gid("Webhook", len(saleor.webhooks) + 100),
            "targetUrl": changes["targetUrl"],
            "events": changes.get("events") or query_events,
            "query": changes.get("query"),
            "isActive": changes.get("isActive", True),
            "customHeaders": {},
        }
        saleor.webhooks[name] = wh
        return {"webhook": webhook_node(saleor, name, wh), "errors": []}
