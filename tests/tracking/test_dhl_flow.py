"""DHL Unified Tracking, polled: only DHL parcels, as often as the deadline needs, within the daily calls."""

from datetime import datetime, timedelta, timezone

import pytest

from saleor_cs_app.jobs import sweep
from saleor_cs_app.store.models import Deadline, FulfillmentDelivery, TrackingApiUsage
from saleor_cs_app.tracking.connect import check_connection, connect
from saleor_cs_app.tracking.dhl.reading import next_poll
from tests.dhl_stand_in import DhlStandIn
from tests.flows import incidents, rows, tenant_id, use_policy

NUMBER = "00340434161094042557"


@pytest.fixture
def dhl(installed, runtime):
    with DhlStandIn() as stand_in:
        runtime.settings = runtime.settings.with_changes(dhl_api_url=stand_in.url)
        connect(runtime, tenant_id(runtime, installed), "dhl", api_key=stand_in.api_key)
        yield stand_in


def ship(saleor, runtime, number=NUMBER, method="DHL Paket"):
    order = saleor.add_order(deliveryMethod={"name": method})
    saleor.send_webhook("ORDER_CREATED", order_id=order["id"])
    fulfillment = saleor.add_fulfillment(order["id"], tracking_number=number)
    saleor.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain()
    return order, fulfillment


def test_a_dhl_parcel_is_polled_followed_and_its_failure_opens_one_incident(installed, runtime, clock, dhl, mail):
    use_policy(runtime, installed, {"detection": {"stalled": False}})  # about the deadline; stalls: test_stalled_flow.py
    dhl.move(NUMBER, "transit", "The shipment has been loaded onto the delivery vehicle", at=clock.now)
    ship(installed, runtime)
    sweep.run(runtime)
    (parcel,) = rows(runtime, FulfillmentDelivery)
    assert parcel.followed_by == ["dhl"] and parcel.state == "in_transit"
    assert [d.kind for d in rows(runtime, Deadline)] == ["late_delivery"]
    assert sweep.run(runtime) == 0 and dhl.calls == 1, "not polled again before its next time"
    clock.advance(hours=25)
    dhl.move(NUMBER, "failure", "The recipient refused the shipment", at=clock.now)
    sweep.run(runtime)
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert (incident.kind, incident.source) == ("held", "carrier")
    assert incident.facts["carrier_status"] == "The recipient refused the shipment"
    assert rows(runtime, FulfillmentDelivery)[0].next_poll_at is None, "a failed parcel is not polled any more"
    assert sum(u.calls for u in rows(runtime, TrackingApiUsage)) == dhl.calls == 2


def test_a_parcel_of_another_carrier_is_never_polled(installed, runtime, clock, dhl):
    ship(installed, runtime, number="JJFI123", method="Posti")
    sweep.run(runtime)
    assert dhl.calls == 0 and rows(runtime, FulfillmentDelivery) == []


def test_a_rate_limit_pauses_polling_for_as_long_as_dhl_asks(installed, runtime, clock, dhl):
    dhl.move(NUMBER, "transit", "In transit", at=clock.now)
    dhl.throttle(times=1, retry_after=600)
    ship(installed, runtime)
    sweep.run(runtime)
    assert dhl.calls == 1
    clock.advance(minutes=5)
    sweep.run(runtime)
    assert dhl.calls == 1, "still paused"
    clock.advance(minutes=6)
    sweep.run(runtime)
    assert dhl.calls == 2 and rows(runtime, FulfillmentDelivery)[0].state == "in_transit"


def test_a_delivered_dhl_parcel_is_never_called_late(installed, runtime, clock, dhl, mail):
    dhl.move(NUMBER, "delivered", "Delivered to the recipient", at=clock.now)
    ship(installed, runtime)
    sweep.run(runtime)
    clock.advance(days=30)
    sweep.run(runtime)
    runtime.jobs.drain()
    assert incidents(runtime) == [] and mail.messages == [] and dhl.calls == 1


def test_the_dhl_key_is_tested_against_dhl(installed, runtime, dhl):
    assert check_connection(runtime, tenant_id(runtime, installed), "dhl") is None
    connect(runtime, tenant_id(runtime, installed), "dhl", api_key="wrong")
    assert "Invalid API key" in check_connection(runtime, tenant_id(runtime, installed), "dhl")


def test_polls_are_rare_far_from_the_deadline_and_frequent_near_it():
    now = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    assert next_poll(now, now + timedelta(days=6)) - now == timedelta(hours=24)
    assert next_poll(now, now + timedelta(days=2)) - now == timedelta(hours=8)
    assert next_poll(now, now + timedelta(hours=20)) - now == timedelta(hours=3)
    assert next_poll(now, now + timedelta(hours=1)) == now + timedelta(hours=1, minutes=5)
    assert next_poll(now, now - timedelta(hours=1)) - now == timedelta(hours=12)
