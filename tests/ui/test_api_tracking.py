"""The tracking API: what late-delivery detection can see, the install backlog, and the AfterShip connection."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from saleor_cs_app.store.models import Tenant
from tests.aftership_stand_in import AfterShipStandIn
from tests.flows import incidents

OVERVIEW = """query { tracking { saleorApiUrl recentFulfillments unfollowedFulfillments advice backlogCount
  services { name connected webhookUrl } } }"""
CONNECT = """mutation C($key: String!, $secret: String!) {
  connectAftership(apiKey: $key, webhookSecret: $secret) { ok error webhookUrl } }"""
TEST = "mutation { testTrackingConnection(service: \"aftership\") { ok error } }"


@pytest.fixture
def aftership(runtime, clock):
    with AfterShipStandIn(clock=clock) as stand_in:
        runtime.settings = runtime.settings.with_changes(aftership_api_url=stand_in.url)
        yield stand_in


def test_the_page_says_how_many_recent_parcels_no_source_follows_and_what_to_connect(api, installed, runtime):
    order = installed.add_order()
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    fulfillment = installed.add_fulfillment(order["id"], tracking_number="JJFI1")
    installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain()
    overview = api(OVERVIEW)["tracking"]
    assert overview["saleorApiUrl"] == installed.api_url
    assert (overview["recentFulfillments"], overview["unfollowedFulfillments"]) == (1, 1)
    assert "Connect AfterShip" in overview["advice"]
    assert overview["services"] == [
        {"name": "aftership", "connected": False, "webhookUrl": None},
        {"name": "dhl", "connected": False, "webhookUrl": None},
    ]


def test_dhl_is_connected_and_its_calls_today_are_shown(api):
    connected = api('mutation { connectDhl(apiKey: "dhl-key") { ok error } }')["connectDhl"]
    assert connected == {"ok": True, "error": None}
    (_, dhl) = api("query { tracking { services { name connected callsToday dailyCalls } } }")["tracking"]["services"]
    assert dhl == {"name": "dhl", "connected": True, "callsToday": 0, "dailyCalls": 250}


def test_aftership_is_connected_and_tested_without_its_keys_ever_coming_back(api, aftership):
    result = api(CONNECT, {"key": aftership.api_key, "secret": aftership.webhook_secret})["connectAftership"]
    assert result["ok"] and "/api/tracking/aftership/" in result["webhookUrl"]
    overview = api(OVERVIEW)["tracking"]
    assert overview["services"][0]["connected"] and overview["services"][0]["webhookUrl"] == result["webhookUrl"]
    assert aftership.api_key not in str(overview) and aftership.webhook_secret not in str(overview)
    assert api(TEST)["testTrackingConnection"] == {"ok": True, "error": None}
    api(CONNECT, {"key": "wrong-key", "secret": aftership.webhook_secret})
    tested = api(TEST)["testTrackingConnection"]
    assert not tested["ok"] and "Invalid API key" in tested["error"]


def test_a_connection_without_its_webhook_secret_is_refused_with_a_reason(api):
    result = api(CONNECT, {"key": "k", "secret": " "})["connectAftership"]
    assert not result["ok"] and "webhook secret" in result["error"]


def test_the_backlog_is_counted_dismissed_and_released_from_the_page(api, installed, runtime, clock):
    with runtime.db.transaction() as session:  # the app is installed now; these orders broke before
        session.scalar(select(Tenant)).installed_at = clock.now + timedelta(minutes=1)
    for _ in range(3):
        installed.add_order(created=clock.now - timedelta(days=10))
    runtime.jobs.enqueue("reconcile_tenant", 1)
    runtime.jobs.drain()
    assert api(OVERVIEW)["tracking"]["backlogCount"] == 3
    first = incidents(runtime)[0]
    assert api('mutation D($id: ID!) { dismissIncident(id: $id, reason: "pre-order") }', {"id": first.id})
    assert api("mutation { releaseBacklog }")["releaseBacklog"] == 2
    runtime.jobs.drain()
    states = {i.id: i.state for i in incidents(runtime)}
    assert states.pop(first.id) == "dismissed"
    assert set(states.values()) and "backlog" not in states.values() and "dismissed" not in states.values()
    assert api(OVERVIEW)["tracking"]["backlogCount"] == 0


def test_on_time_delivery_rate_per_carrier_and_shipping_method_from_tracked_deliveries(api, installed, runtime, clock, aftership):
    hook = api(CONNECT, {"key": aftership.api_key, "secret": aftership.webhook_secret})["connectAftership"]["webhookUrl"]
    delivered = {"00340434000000000001": timedelta(days=1), "00340434000000000002": timedelta(days=20)}
    for number in delivered:
        order = installed.add_order()
        installed.send_webhook("ORDER_CREATED", order_id=order["id"])
        fulfillment = installed.add_fulfillment(order["id"], tracking_number=number)
        installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
        runtime.jobs.drain()
    for number, after in delivered.items():
        assert aftership.deliver(hook, aftership.webhook(number, "Delivered", at=clock.now + after)).status_code == 200
    months = {(clock.now + after).strftime("%Y-%m") for after in delivered.values()}
    query = "query P($m: String) { deliveryPerformance(month: $m) { carrier shippingMethod delivered onTime rate } }"
    found = [row for m in sorted(months) for row in api(query, {"m": m})["deliveryPerformance"]]
    assert sum(r["delivered"] for r in found) == 2 and sum(r["onTime"] for r in found) == 1
    assert {(r["carrier"], r["shippingMethod"]) for r in found} == {("DHL", "Standard")}


def test_promise_advice_names_the_share_kept_and_the_promise_kept_95_percent_with_its_sample(
    api, installed, runtime, clock, aftership
):
    hook = api(CONNECT, {"key": aftership.api_key, "secret": aftership.webhook_secret})["connectAftership"]["webhookUrl"]
    delivered = {"00340434000000000001": timedelta(days=1), "00340434000000000002": timedelta(days=20)}
    for number in delivered:
        order = installed.add_order()
        installed.send_webhook("ORDER_CREATED", order_id=order["id"])
        fulfillment = installed.add_fulfillment(order["id"], tracking_number=number)
        installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
        runtime.jobs.drain()
    for number, after in delivered.items():
        aftership.deliver(hook, aftership.webhook(number, "InTransit", at=clock.now))
        assert aftership.deliver(hook, aftership.webhook(number, "Delivered", at=clock.now + after)).status_code == 200
    clock.advance(days=21)
    query = """{ promiseAdvice { shippingMethod delivered kept keptShare
      maximumDeliveryDays { days sample low high sure } handlingDays { days sample sure } } }"""
    (advice,) = api(query)["promiseAdvice"]
    assert (advice["shippingMethod"], advice["delivered"], advice["kept"], advice["keptShare"]) == ("standard", 2, 1, 0.5)
    # Wednesday → Thursday is 1 business day, three weeks minus a day 14: 95 % needs 14, less 1 day of grace.
    # Two parcels cannot bound the 95th percentile from above: no upper end, not sure.
    assert advice["maximumDeliveryDays"] == {"days": 13, "sample": 2, "low": 0, "high": None, "sure": False}
    assert advice["handlingDays"]["sample"] == 2 and advice["handlingDays"]["days"] == 0
