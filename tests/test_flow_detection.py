"""Detection through signed webhooks: late deliveries, carrier exceptions, pack-scan checks, duplicates."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest

from saleor_cs_app.jobs import sweep
from saleor_cs_app.store.models import Deadline, TrackedOrder
from tests.flows import incidents, rows


def shipped_order(saleor, runtime, *, delivery_status=None, **order):
    placed = saleor.add_order(**order)
    saleor.send_webhook("ORDER_CREATED", order_id=placed["id"])
    fulfillment = saleor.add_fulfillment(placed["id"], tracking_number="TRK-1")
    if delivery_status:
        fulfillment["metadata"] = [{"key": "delivery.status", "value": delivery_status}]
    saleor.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain()
    return placed, fulfillment


def set_delivery_status(saleor, runtime, fulfillment, status):
    fulfillment["metadata"] = [{"key": "delivery.status", "value": status}]
    saleor.send_webhook("FULFILLMENT_METADATA_UPDATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain()


def test_five_identical_deliveries_at_once_make_one_incident(installed, runtime, clock):
    created = clock.now - timedelta(days=10)
    order = installed.add_order(created=created)
    body = json.dumps(installed.webhook_payload("ORDER_CREATED", order_id=order["id"], issuedAt=created.isoformat()))
    with ThreadPoolExecutor(5) as pool:
        statuses = list(
            pool.map(lambda _: installed.send_webhook("ORDER_CREATED", body.encode()).status_code, range(5))
        )
    assert statuses == [200] * 5
    runtime.jobs.drain()
    assert len(incidents(runtime)) == 1


def test_a_followed_parcel_not_delivered_by_its_promise_becomes_a_late_delivery(installed, runtime, clock):
    order, fulfillment = shipped_order(installed, runtime, delivery_status="in_transit")
    (deadline,) = rows(runtime, Deadline)
    assert (deadline.kind, deadline.fulfillment_id) == ("late_delivery", fulfillment["id"])
    clock.advance(days=14)
    assert sweep.run(runtime) == 1
    (incident,) = incidents(runtime)
    assert (incident.kind, incident.fulfillment_id, incident.source) == ("late_delivery", fulfillment["id"], "deadline")
    # The customer is told the shop's own promise, not the grace day the app waits before calling it late:
    # the deadline ends the grace day, the promise is at least one business day before it.
    assert date.fromisoformat(incident.facts["promised_date"]) <= deadline.due_at.date() - timedelta(days=2)


def test_a_parcel_no_source_follows_is_never_called_late(installed, runtime, clock):
    shipped_order(installed, runtime)
    assert [d.kind for d in rows(runtime, Deadline)] == []
    clock.advance(days=60)
    assert sweep.run(runtime) == 0 and incidents(runtime) == []


def test_a_delivered_parcel_closes_tracking(installed, runtime, clock):
    order, fulfillment = shipped_order(installed, runtime, delivery_status="InTransit")
    assert [d.kind for d in rows(runtime, Deadline)] == ["late_delivery"]
    fulfillment["metadata"] = [{"key": "delivery.status", "value": "delivered"}]
    installed.send_webhook("FULFILLMENT_METADATA_UPDATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain()
    assert rows(runtime, Deadline) == []
    clock.advance(days=30)
    assert sweep.run(runtime) == 0 and incidents(runtime) == []


@pytest.mark.parametrize(
    "status, kind",
    [("exception", "held"), ("failed_attempt", "attempt_failed"), ("lost", "lost"), ("returned", "returned")],
)
def test_a_carrier_failure_opens_the_incident_of_its_own_situation_at_once(installed, runtime, clock, status, kind):
    order, fulfillment = shipped_order(installed, runtime, delivery_status=status)
    (incident,) = incidents(runtime)
    assert (incident.kind, incident.source, incident.fulfillment_id) == (kind, "carrier", fulfillment["id"])


def test_a_parcel_late_in_transit_and_then_lost_gets_one_incident_for_each(installed, runtime, clock):
    order, fulfillment = shipped_order(installed, runtime, delivery_status="in_transit")
    clock.advance(days=14)
    sweep.run(runtime)
    runtime.jobs.drain()
    set_delivery_status(installed, runtime, fulfillment, "lost")
    set_delivery_status(installed, runtime, fulfillment, "lost")  # said twice: still one lost incident
    assert sorted(i.kind for i in incidents(runtime)) == ["late_delivery", "lost"]


def test_a_matching_pack_scan_opens_nothing(installed, runtime):
    order = installed.add_order(lines=[{"sku": "SKU-MUG", "quantity": 2}])
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    fulfillment = installed.add_fulfillment(order["id"])
    fulfillment["metadata"] = [{"key": "packing.scanned_skus", "value": "SKU-MUG, SKU-MUG"}]
    installed.send_webhook("FULFILLMENT_METADATA_UPDATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain()
    assert incidents(runtime) == []


def test_click_and_collect_orders_have_no_delivery_promise(installed, runtime, clock):
    order, _ = shipped_order(installed, runtime, deliveryMethod="click_and_collect")
    assert [d.kind for d in rows(runtime, Deadline)] == []
    (tracked,) = rows(runtime, TrackedOrder)
    assert tracked.click_and_collect


def test_the_promise_is_kept_when_the_merchant_later_edits_the_shipping_method(installed, runtime):
    order = installed.add_order()
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    runtime.jobs.drain()
    (before,) = rows(runtime, TrackedOrder)
    installed.orders[order["id"]]["deliveryMethod"]["maximumDeliveryDays"] = 30
    installed.send_webhook("ORDER_UPDATED", order_id=order["id"])
    runtime.jobs.drain()
    (after,) = rows(runtime, TrackedOrder)
    assert after.max_delivery_days == before.max_delivery_days == 5
