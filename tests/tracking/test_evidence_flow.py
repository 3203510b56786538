"""SPEC §9 scenarios 9 and 3 through HTTP: no late-delivery claim without evidence; install is not a mass mailing."""

from datetime import timedelta

import pytest

from saleor_cs_app.jobs import backlog, incidents_flow, sweep
from saleor_cs_app.store.models import Deadline, FulfillmentDelivery, TrackedOrder
from tests.flows import incidents, mutation_names, outbox, rows, tenant_id, timeline
from tests.saleor_stand_in import data

GOODWILL = {"giftCardCreate", "voucherCreate", "draftOrderCreate", "draftOrderComplete", "orderGrantRefundCreate"}


def shipped_before_install(saleor, clock, *, days_ago: int, **order):
    placed = saleor.add_order(created=clock.now - timedelta(days=days_ago + 1), **order)
    fulfillment = saleor.add_fulfillment(placed["id"], tracking_number=f"TRK-{placed['number']}")
    fulfillment["created"] = data.iso(clock.now - timedelta(days=days_ago))
    return placed, fulfillment


def install(saleor, app_server, runtime):
    assert saleor.install(f"{app_server.url}/api/manifest").status_code == 200
    runtime.jobs.drain()  # the install reconciliation


def test_a_shop_whose_parcels_were_delivered_installs_and_nobody_is_told_anything(
    saleor, app_server, runtime, clock, mail
):
    """Scenario 9: default policy, three orders shipped on time 11 days ago, nothing writes a delivery status."""
    for _ in range(3):
        shipped_before_install(saleor, clock, days_ago=11)
    install(saleor, app_server, runtime)
    assert len(rows(runtime, TrackedOrder)) == 3, "the install reconciliation saw every order"
    for _ in range(4):  # weeks go by, the sweep runs, Saleor sends the odd event
        clock.advance(days=7)
        sweep.run(runtime)
        for order_id in list(saleor.orders):
            saleor.send_webhook("ORDER_UPDATED", order_id=order_id)
        runtime.jobs.drain()
    assert incidents(runtime) == []
    assert rows(runtime, Deadline) == []
    assert mail.messages == [] and outbox(runtime) == []
    assert GOODWILL.isdisjoint(mutation_names(saleor))


def test_a_parcel_shipped_after_install_that_no_source_follows_is_never_called_late(
    installed, runtime, clock, mail
):
    order = installed.add_order()
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    fulfillment = installed.add_fulfillment(order["id"], tracking_number="JJFI0001")
    installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain()
    clock.advance(days=45)
    sweep.run(runtime)
    runtime.jobs.drain()
    assert incidents(runtime) == [] and mail.messages == []


def test_a_carrier_failure_in_metadata_opens_one_incident_with_the_state_as_a_fact(installed, runtime, mail):
    order = installed.add_order()
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    fulfillment = installed.add_fulfillment(order["id"], tracking_number="JJFI0002")
    fulfillment["metadata"] = [{"key": "delivery.status", "value": "returned_to_sender"}]
    for _ in range(3):
        installed.send_webhook("FULFILLMENT_METADATA_UPDATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert (incident.kind, incident.source) == ("returned", "carrier")
    assert incident.facts["delivery_state"] == "returned"
    assert incident.facts["tracking_number"] == "JJFI0002"
    (parcel,) = rows(runtime, FulfillmentDelivery)
    assert parcel.followed_by == ["metadata"]
    assert len(mail.messages) == 1


def test_a_promise_broken_before_install_waits_in_the_backlog_until_released(saleor, app_server, runtime, clock, mail):
    """Scenario 3, second half: found by the install reconciliation, nothing sent until the merchant releases it."""
    late = saleor.add_order(created=clock.now - timedelta(days=10))
    install(saleor, app_server, runtime)
    (incident,) = incidents(runtime)
    assert (incident.order_id, incident.kind, incident.state) == (late["id"], "late_shipment", "backlog")
    clock.advance(days=2)
    sweep.run(runtime)
    runtime.jobs.drain()
    assert mail.messages == [] and outbox(runtime) == [] and GOODWILL.isdisjoint(mutation_names(saleor))

    incidents_flow.approve(runtime, tenant_id(runtime, saleor), incident.id, by="staff@example.com")
    runtime.jobs.drain()
    (released,) = incidents(runtime)
    assert released.state == "notified" and len(mail.messages) == 1
    assert timeline(runtime, incident.id)[:3] == ["detected", "backlog", "released"]
    with pytest.raises(incidents_flow.NotPending):
        backlog.release(runtime, tenant_id(runtime, saleor), incident.id, by="staff@example.com")


def test_a_dismissed_backlog_incident_never_reaches_the_customer(saleor, app_server, runtime, clock, mail):
    for _ in range(2):
        saleor.add_order(created=clock.now - timedelta(days=10))
    install(saleor, app_server, runtime)
    first, second = incidents(runtime)
    tenant = tenant_id(runtime, saleor)
    backlog.dismiss(runtime, tenant, first.id, by="staff@example.com", reason="pre-order, customer knows")
    assert backlog.release_all(runtime, tenant, by="staff@example.com") == 1
    runtime.jobs.drain()
    states = {i.id: i.state for i in incidents(runtime)}
    assert states == {first.id: "dismissed", second.id: "notified"}
    assert len(mail.messages) == 1
    assert backlog.release_all(runtime, tenant, by="staff@example.com") == 0


def test_a_deadline_passing_while_the_app_was_down_after_install_is_handled_as_usual(installed, runtime, clock, mail):
    order = installed.add_order()
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    runtime.jobs.drain()
    clock.advance(days=10)  # the app was down; the sweep runs when it is back
    assert sweep.run(runtime) == 1
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert incident.state == "notified" and len(mail.messages) == 1
