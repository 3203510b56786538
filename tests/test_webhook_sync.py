"""An installation's webhooks are brought to this version's manifest: Saleor keeps the subscription queries of
the version that was installed, and the app would go on reading old payloads (saleor/webhook_sync.py)."""

import logging

from saleor_cs_app.jobs import sweep
from saleor_cs_app.saleor.webhook_sync import WebhookChange, changes
from tests.flows import mutation_names, tenant_id

WANTED = [
    {"name": "order-created", "asyncEvents": ["ORDER_CREATED"], "query": "subscription { a }", "targetUrl": "https://app/a"},
    {"name": "order-updated", "asyncEvents": ["ORDER_UPDATED"], "query": "subscription { b }", "targetUrl": "https://app/b"},
]


def registered(name, query, url, *events, webhook_id="V2ViaG9vazox"):
    return {"id": webhook_id, "name": name, "subscriptionQuery": query, "targetUrl": url,
            "asyncEvents": [{"eventType": e} for e in events]}  # fmt: skip


def test_webhooks_as_the_manifest_asks_need_nothing_whatever_the_query_s_layout():
    have = [
        registered("order-created", "subscription {\n  a\n}\n", "https://app/a", "ORDER_CREATED"),
        registered("order-updated", "subscription { b }", "https://app/b", "ORDER_UPDATED"),
    ]
    assert changes(have, WANTED) == []


def test_a_changed_query_url_or_event_is_updated_and_a_missing_webhook_created():
    have = [registered("order-created", "subscription { old }", "https://app/a", "ORDER_CREATED")]
    assert changes(have, WANTED) == [
        WebhookChange("order-created", "V2ViaG9vazox", {"query": "subscription { a }", "targetUrl": "https://app/a",
                                                        "asyncEvents": ["ORDER_CREATED"]}),
        WebhookChange("order-updated", None, {"name": "order-updated", "isActive": True, "query": "subscription { b }",
                                              "targetUrl": "https://app/b", "asyncEvents": ["ORDER_UPDATED"]}),
    ]  # fmt: skip
    moved = [registered("order-created", "subscription { a }", "https://old-host/a", "ORDER_CREATED")]
    assert [c.input["targetUrl"] for c in changes(moved, WANTED[:1])] == ["https://app/a"]
    more_events = [registered("order-created", "subscription { a }", "https://app/a", "ORDER_CREATED", "ORDER_UPDATED")]
    assert [c.input["asyncEvents"] for c in changes(more_events, WANTED[:1])] == [["ORDER_CREATED"]]


def test_an_update_never_switches_a_webhook_back_on_nor_touches_one_the_manifest_lacks():
    have = [
        registered("order-created", "subscription { old }", "https://app/a", "ORDER_CREATED"),
        registered("merchant-made", "subscription { x }", "https://elsewhere/x", "ORDER_CREATED", webhook_id="Mg=="),
    ]
    (change,) = [c for c in changes(have, WANTED) if c.webhook_id]
    assert "isActive" not in change.input and change.name == "order-created"


def test_the_reconciliation_brings_an_older_installation_s_webhooks_to_this_version(installed, runtime):
    """Installed by a version that did not read isShippingRequired, one webhook switched off by the merchant,
    one webhook that version did not have: after the daily reconciliation Saleor sends what this version reads."""
    wanted = {w["name"]: w for w in runtime.webhooks_wanted}
    assert "webhookUpdate" not in mutation_names(installed), "a fresh install matches already"
    created = installed.webhooks["order-created"]
    created["query"] = created["query"].replace("isShippingRequired", "")
    installed.webhooks["order-updated"]["isActive"] = False
    installed.webhooks["order-updated"]["query"] = installed.webhooks["order-updated"]["query"].replace(
        "isShippingRequired", ""
    )
    del installed.webhooks["fulfillment-approved"]
    order = installed.add_order()
    assert "isShippingRequired" not in str(installed.webhook_payload("ORDER_CREATED", order_id=order["id"]))

    sweep.reconcile(runtime, tenant_id(runtime, installed))

    assert sorted(mutation_names(installed)[-3:]) == ["webhookCreate", "webhookUpdate", "webhookUpdate"]
    for name in ("order-created", "order-updated", "fulfillment-approved"):
        assert installed.webhooks[name]["query"] == wanted[name]["query"]
        assert installed.webhooks[name]["targetUrl"] == wanted[name]["targetUrl"]
    assert installed.webhooks["order-updated"]["isActive"] is False, "the merchant's switch stays off"
    assert installed.webhooks["fulfillment-approved"]["events"] == ["FULFILLMENT_APPROVED"]
    assert "isShippingRequired" in str(installed.webhook_payload("ORDER_CREATED", order_id=order["id"]))
    calls = len(installed.mutations)
    sweep.reconcile(runtime, tenant_id(runtime, installed))
    assert len(installed.mutations) == calls, "nothing left to write"


def test_a_change_saleor_refuses_is_logged_and_the_orders_are_still_reconciled(installed, runtime, caplog):
    order = installed.add_order()
    runtime.webhooks_wanted = [{**runtime.webhooks_wanted[0], "query": "subscription { event { nope } }"}]
    with caplog.at_level(logging.WARNING, logger="saleor_cs_app.jobs.sweep"):
        seen = sweep.reconcile(runtime, tenant_id(runtime, installed))
    assert seen >= 1 and order["id"] in {o["id"] for o in installed.orders.values()}
    (record,) = [r for r in caplog.records if r.getMessage() == "webhooks not brought up to date"]
    assert "Subscription query is not valid" in record.error
    assert installed.webhooks["order-created"]["query"] != "subscription { event { nope } }"
