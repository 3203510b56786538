"""AfterShip end to end: the app registers each parcel once, and AfterShip's signed webhooks are the evidence."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from saleor_cs_app.jobs import sweep
from saleor_cs_app.store.models import (
    Deadline,
    FulfillmentDelivery,
    IncidentEvent,
    TrackingConnection,
    TrackingRegistration,
)
from saleor_cs_app.tracking.connect import connect
from tests.aftership_stand_in import AfterShipStandIn
from tests.flows import incidents, mutation_names, rows, tenant_id, use_policy

GOODWILL = {"giftCardCreate", "voucherCreate", "draftOrderComplete", "orderGrantRefundCreate"}


@pytest.fixture
def aftership(runtime, clock):
    with AfterShipStandIn(clock=clock) as stand_in:
        runtime.settings = runtime.settings.with_changes(aftership_api_url=stand_in.url)
        yield stand_in


@pytest.fixture
def hook_url(installed, runtime, aftership):
    connected = connect(
        runtime, tenant_id(runtime, installed), "aftership", api_key=aftership.api_key, webhook_secret=aftership.webhook_secret
    )
    return connected.webhook_url


def ship(saleor, runtime, number="00340434161094042557"):
    order = saleor.add_order()
    saleor.send_webhook("ORDER_CREATED", order_id=order["id"])
    fulfillment = saleor.add_fulfillment(order["id"], tracking_number=number)
    saleor.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
    saleor.send_webhook("ORDER_FULFILLED", order_id=order["id"])
    runtime.jobs.drain()
    return order, fulfillment


def test_a_shipped_parcel_is_registered_once_with_the_order_number_and_then_watched(installed, runtime, aftership, hook_url):
    order, fulfillment = ship(installed, runtime)
    installed.send_webhook("FULFILLMENT_TRACKING_NUMBER_UPDATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain()
    (tracking,) = aftership.trackings.values()
    assert tracking["order_number"] == order["number"] and tracking["slug"] == "dhl"  # detected from the number
    assert aftership.create_calls == 1
    (parcel,) = rows(runtime, FulfillmentDelivery)
    assert parcel.followed_by == ["aftership"]
    assert rows(runtime, Deadline) == [], "followed, but AfterShip has said nothing yet: silence is not evidence"
    aftership.deliver(hook_url, aftership.webhook("00340434161094042557", "InfoReceived", at=installed.clock()))
    assert [(d.kind, d.fulfillment_id) for d in rows(runtime, Deadline)] == [("late_delivery", fulfillment["id"])]


def test_rate_limits_and_outages_are_retried_and_the_tracking_is_created_once(installed, runtime, aftership, hook_url):
    aftership.throttle(times=1, retry_after=2)
    aftership.fail_next(times=2, status=503)
    ship(installed, runtime)
    assert len(aftership.trackings) == 1
    (registration,) = rows(runtime, TrackingRegistration)
    assert registration.state == "done" and registration.attempts == 4
    # A retry after an uncertain failure looks before it creates.
    assert ("GET", "/tracking/2025-01/trackings") in aftership.requests


def test_a_tracking_that_already_exists_in_aftership_is_adopted_not_duplicated(installed, runtime, aftership, hook_url):
    aftership.trackings["x"] = {"id": "x", "tracking_number": "00340434161094042557", "slug": "dhl", "checkpoints": []}
    ship(installed, runtime)
    (registration,) = rows(runtime, TrackingRegistration)
    assert (registration.state, registration.external_id) == ("done", "x")
    assert len(aftership.trackings) == 1


def test_an_exception_opens_one_incident_with_goodwill_and_an_email_naming_the_carriers_words(
    installed, runtime, clock, aftership, hook_url, mail
):
    order, fulfillment = ship(installed, runtime)
    body = aftership.webhook(
        "00340434161094042557", "Exception", at=clock.now, message="Parcel damaged at the sorting centre"
    )
    assert aftership.deliver(hook_url, body).status_code == 200
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert (incident.kind, incident.source, incident.fulfillment_id) == ("held", "carrier", fulfillment["id"])
    assert incident.facts["carrier_status"] == "Parcel damaged at the sorting centre"
    assert incident.facts["delivery_state"] == "exception" and incident.facts["carrier_name"] == "DHL"
    assert incident.state == "notified" and GOODWILL & set(mutation_names(installed))
    assert len(mail.messages) == 1


def test_a_parcel_on_hold_that_moves_again_is_told_as_moving_on_the_page(
    installed, runtime, clock, aftership, hook_url, mail, client
):
    """'Parcel on hold' is true until the carrier moves it on; then the story says it is on its way again."""
    from html import unescape

    from tests.support.conftest import link_path

    order, _ = ship(installed, runtime)
    aftership.deliver(hook_url, aftership.webhook("00340434161094042557", "Exception", at=clock.now, message="Held"))
    runtime.jobs.drain()
    path = link_path(runtime, installed, order["id"])
    held = unescape(client.get(path).get_data(as_text=True))
    assert "Parcel on hold" in held and "on its way again" not in held
    clock.advance(hours=2)
    aftership.deliver(hook_url, aftership.webhook("00340434161094042557", "Exception", at=clock.now, message="Still held"))
    runtime.jobs.drain()
    assert "Parcel on hold" in unescape(client.get(path).get_data(as_text=True)), "a later word, still holding it"
    clock.advance(hours=20)
    aftership.deliver(hook_url, aftership.webhook("00340434161094042557", "InTransit", at=clock.now, location="Leipzig"))
    runtime.jobs.drain()
    moving = unescape(client.get(path).get_data(as_text=True))
    assert "Your parcel is on its way again." in moving and "Parcel on hold" not in moving


def test_the_exception_email_states_what_the_carrier_reported(installed, runtime, clock, aftership, hook_url, mail):
    ship(installed, runtime)
    body = aftership.webhook("00340434161094042557", "Exception", at=clock.now, message="Parcel damaged in transit")
    aftership.deliver(hook_url, body)
    runtime.jobs.drain()
    (message,) = mail.messages
    assert "Parcel damaged in transit" in message.message.get_body(("plain",)).get_content()


def test_a_parcel_delivered_before_its_deadline_never_gets_an_apology(installed, runtime, clock, aftership, hook_url, mail):
    ship(installed, runtime)
    for tag in ("InTransit", "OutForDelivery", "Delivered"):
        clock.advance(hours=20)
        assert aftership.deliver(hook_url, aftership.webhook("00340434161094042557", tag, at=clock.now)).status_code == 200
    runtime.jobs.drain()
    assert rows(runtime, Deadline) == []
    clock.advance(days=60)
    sweep.run(runtime)
    runtime.jobs.drain()
    assert incidents(runtime) == [] and mail.messages == []


def test_a_deadline_passing_while_in_transit_opens_one_incident(installed, runtime, clock, aftership, hook_url, mail):
    use_policy(runtime, installed, {"detection": {"stalled": False}})  # 14 silent days would be a stall too
    ship(installed, runtime)
    body = aftership.webhook("00340434161094042557", "InTransit", at=clock.now, expected_date="2030-03-14")
    aftership.deliver(hook_url, body)
    clock.advance(days=14)
    assert sweep.run(runtime) == 1
    sweep.run(runtime)
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert (incident.kind, incident.source) == ("late_delivery", "deadline")
    assert incident.facts["carrier_expected_date"] == "2030-03-14"
    assert len(mail.messages) == 1


def test_replayed_and_concurrent_webhooks_change_nothing_more(installed, runtime, clock, aftership, hook_url, mail):
    ship(installed, runtime)
    body = aftership.webhook("00340434161094042557", "AttemptFail", at=clock.now, message="Recipient not at home")
    with ThreadPoolExecutor(5) as pool:
        statuses = list(pool.map(lambda _: aftership.deliver(hook_url, body).status_code, range(5)))
    assert statuses == [200] * 5
    assert aftership.deliver(hook_url, body).json()["outcome"] == "duplicate"
    runtime.jobs.drain()
    assert len(incidents(runtime)) == 1 and len(mail.messages) == 1


def test_forged_unsigned_foreign_and_malformed_webhooks_are_refused_and_change_nothing(
    installed, runtime, clock, aftership, hook_url
):
    ship(installed, runtime)
    body = aftership.webhook("00340434161094042557", "Exception", at=clock.now)
    foreign = hook_url.rsplit("/", 1)[0] + "/not-our-id"
    assert aftership.deliver(hook_url, body, signature=None).status_code == 401
    assert aftership.deliver(hook_url, body, signature=aftership.sign(body, secret="guessed")).status_code == 401
    assert aftership.deliver(hook_url, body + b" ", signature=aftership.sign(body)).status_code == 401
    assert aftership.deliver(foreign, body).status_code == 404
    assert aftership.deliver(hook_url, b"{not json").status_code == 400
    assert aftership.deliver(hook_url, json.dumps({"event": "tracking_update", "msg": {}}).encode()).status_code == 400
    assert aftership.deliver(hook_url, b"x" * 2_000_000).status_code == 413
    (parcel,) = rows(runtime, FulfillmentDelivery)
    assert parcel.state is None and incidents(runtime) == []


def test_the_connection_keeps_its_secrets_encrypted(installed, runtime, aftership, hook_url):
    (row,) = rows(runtime, TrackingConnection)
    assert aftership.api_key.encode() not in row.api_key_ciphertext
    assert aftership.webhook_secret.encode() not in row.webhook_secret_ciphertext
    assert len(hook_url.rsplit("/", 1)[1]) >= 32


def test_the_delivery_state_is_written_back_to_the_fulfilment_and_shown_in_the_timeline(
    installed, runtime, clock, aftership, hook_url, mail
):
    order, fulfillment = ship(installed, runtime)
    body = aftership.webhook("00340434161094042557", "AttemptFail", at=clock.now, message="Recipient not at home")
    aftership.deliver(hook_url, body)
    runtime.jobs.drain()
    written = {m["key"]: m["value"] for m in installed.orders[order["id"]]["fulfillments"][0]["metadata"]}
    assert written["saleor-cs-app.delivery.state"] == "attempt_fail"
    assert written["saleor-cs-app.delivery.carrier_status"] == "Recipient not at home"
    assert "delivery.status" not in written, "the metadata source's own key is never written: no echo"
    echoed = installed.deliver_events()  # FULFILLMENT_METADATA_UPDATED caused by the app itself
    assert all(r.status_code == 200 for r in echoed)
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    events = rows(runtime, IncidentEvent, IncidentEvent.incident_id == incident.id)
    assert any(e.type == "carrier" and "Recipient not at home" in e.message for e in events)


def test_a_registration_lost_before_its_job_ran_is_picked_up_by_the_sweep(installed, runtime, clock, aftership, hook_url):
    runtime.jobs.huey.flush()
    order = installed.add_order()
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    fulfillment = installed.add_fulfillment(order["id"], tracking_number="00340434161094042557")
    installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain(rounds=1)
    with runtime.db.transaction() as session:  # the worker crashed: the row stays reserved, its job is gone
        (row,) = session.scalars(select(TrackingRegistration)).all()
        row.state, row.attempts = "started", 1
    aftership.trackings.clear()
    clock.advance(minutes=10)
    sweep.run(runtime)
    runtime.jobs.drain()
    (registration,) = rows(runtime, TrackingRegistration)
    assert registration.state == "done" and len(aftership.trackings) == 1


def test_connecting_aftership_follows_parcels_already_shipped_and_only_carrier_news_makes_one_late(
    installed, runtime, clock, aftership, mail
):
    recent, old = installed.add_order(), installed.add_order(created=clock.now - timedelta(days=25))
    for order, shipped_days_ago in ((recent, 1), (old, 20)):
        installed.send_webhook("ORDER_CREATED", order_id=order["id"])
        fulfillment = installed.add_fulfillment(order["id"], tracking_number=f"00340434{order['number']:0>12}")
        fulfillment["created"] = (clock.now - timedelta(days=shipped_days_ago)).isoformat()
    runtime.jobs.drain()
    hook = connect(
        runtime, tenant_id(runtime, installed), "aftership", api_key=aftership.api_key, webhook_secret="s"
    ).webhook_url
    runtime.jobs.drain()
    assert len(aftership.trackings) == 2
    clock.advance(days=30)  # AfterShip never reports (its webhook was not set up): nobody is told anything
    sweep.run(runtime)
    runtime.jobs.drain()
    assert incidents(runtime) == [] and mail.messages == []
    aftership.webhook_secret = "s"
    number = f"00340434{recent['number']:0>12}"
    aftership.deliver(hook, aftership.webhook(number, "InTransit", at=clock.now))  # still moving, long after its promise
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert incident.order_id == recent["id"] and len(mail.messages) == 1


def test_finishing_a_registration_locks_the_order_before_the_registration(
    installed, runtime, aftership, hook_url, monkeypatch
):
    """The order's deliveries lock the order, then reserve its registration; finishing a registration
    takes the same order, so the two never deadlock on PostgreSQL (seen once workers woke at once)."""
    from saleor_cs_app.tracking.aftership import registration

    taken = []
    lock_registration, find_order = registration.tracking_registrations.lock, registration.orders.find

    def lock(session, registration_id):
        taken.append("registration")
        return lock_registration(session, registration_id)

    def find(session, tenant_id, order_id, *, lock=False):
        if lock:
            taken.append("order")
        return find_order(session, tenant_id, order_id, lock=lock)

    monkeypatch.setattr(registration.tracking_registrations, "lock", lock)
    monkeypatch.setattr(registration.orders, "find", find)
    ship(installed, runtime)
    (done,) = rows(runtime, TrackingRegistration)
    assert done.state == "done"
    assert taken[-2:] == ["order", "registration"], taken


@pytest.mark.parametrize(
    ("slug", "name"),
    [("dhl", "DHL"), ("dpd-uk", "DPD"), ("interlink-express", "DPD"), ("tnt-uk", "TNT"), ("myhermes-uk", "Evri"),
     ("dhlparcel-uk", "DHL"), ("fedex-uk", "FedEx"), ("royal-mail", "Royal Mail"), ("parcel-force", "Parcelforce"),
     ("brt-it", "BRT"), ("poczta-polska", "Poczta Polska")],
)  # fmt: skip
def test_a_carrier_is_named_as_it_spells_itself_not_as_its_slug(slug, name):
    from saleor_cs_app.tracking.aftership.webhook import _carrier_name

    assert _carrier_name(slug) == name
