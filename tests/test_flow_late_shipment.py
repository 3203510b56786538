"""SPEC §9 scenarios 2 and 3: a broken ship-by promise, from webhook to the customer's inbox."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from email.utils import parsedate_to_datetime

from sqlalchemy import select

from saleor_cs_app.jobs import sweep
from saleor_cs_app.store.models import Tenant, UnshippedLine, WebhookDelivery
from tests.flows import incidents, late_order, mutation_names, outbox, rows, timeline


def test_a_paid_order_not_shipped_by_its_promise_gets_one_voucher_one_email_and_a_note(installed, runtime, clock, mail):
    order = installed.add_order(channel="channel-pln", languageCodeEnum="PL_PL")
    assert installed.send_webhook("ORDER_CREATED", order_id=order["id"]).status_code == 200
    runtime.jobs.drain()
    assert incidents(runtime) == [], "the promise is still open"

    clock.advance(days=10)
    assert sweep.run(runtime) == 1
    runtime.jobs.drain()

    (incident,) = incidents(runtime)
    assert (incident.kind, incident.state, incident.offer_type) == (
        "late_shipment",
        "notified",
        "free_shipping_voucher",
    )
    (voucher,) = installed.vouchers.values()
    code = incident.goodwill_code
    assert code.startswith("SORRY-") and code in json.dumps(voucher)
    (message,) = mail.messages
    assert list(message.rcpt_tos) == [order["userEmail"]]
    body = message.message.get_body(("plain",)).get_content()
    assert code in body and "Dzień dobry" in body, "a Polish order gets a Polish e-mail with the code"
    assert message.message["Message-ID"] == outbox(runtime)[0].message_id
    # The Date is when the app sent it, by its own clock (ten days after the order), not the machine's.
    assert parsedate_to_datetime(message.message["Date"]) == clock()
    (note,) = installed.notes[order["id"]]
    assert "E-mailed the customer (pl)" in note and code in note
    assert timeline(runtime, incident.id) == [
        "detected",
        "decided",
        "goodwill_created",
        "order_note",
        "emailed_initial",
    ]

    # The same webhook five times at once (Saleor retries, duplicates): nothing more happens.
    body_bytes = json.dumps(installed.webhook_payload("ORDER_UPDATED", order_id=order["id"])).encode()
    with ThreadPoolExecutor(5) as pool:
        statuses = list(pool.map(lambda _: installed.send_webhook("ORDER_UPDATED", body_bytes).status_code, range(5)))
    assert statuses == [200] * 5
    runtime.jobs.drain()
    sweep.run(runtime)
    runtime.jobs.drain()
    assert len(incidents(runtime)) == 1 and len(installed.vouchers) == 1
    assert len(mail.messages) == 1 and len(installed.notes[order["id"]]) == 1
    assert mutation_names(installed).count("voucherCreate") == 1


def test_an_order_shipped_in_time_leaves_no_incident(installed, runtime, clock, mail):
    order = installed.add_order()
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    runtime.jobs.drain()
    installed.add_fulfillment(order["id"], tracking_number="TRACK-1")
    installed.send_webhook("ORDER_FULFILLED", order_id=order["id"])
    runtime.jobs.drain()
    clock.advance(days=4)
    assert sweep.run(runtime) == 0, "the late-shipment deadline was removed when the order shipped"
    assert incidents(runtime) == []


def test_a_digital_item_never_sent_is_no_late_shipment_once_the_parcel_left(installed, runtime, clock, mail, client):
    """An e-book or a gift card in the order is never fulfilled as a parcel: once the T-shirt ships, the
    promise to ship is kept, nothing is due to ship, and the page does not call the e-book 'not dispatched'."""
    from tests.support.conftest import link_path

    installed.add_variant("SKU-EBOOK", 12, product_name="Field guide (e-book)", shipping=False)
    order = installed.add_order(lines=[{"sku": "SKU-TSHIRT-M", "quantity": 1}, {"sku": "SKU-EBOOK", "quantity": 1}])
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    runtime.jobs.drain()
    installed.add_fulfillment(order["id"], [("SKU-TSHIRT-M", 1)], tracking_number="TRACK-1")
    installed.send_webhook("ORDER_FULFILLED", order_id=order["id"])
    runtime.jobs.drain()
    assert installed.orders[order["id"]]["status"] != "FULFILLED", "Saleor still counts the e-book as unfulfilled"
    clock.advance(days=10)
    assert sweep.run(runtime) == 0 and incidents(runtime) == [] and mail.messages == []
    assert rows(runtime, UnshippedLine) == []
    page = client.get(link_path(runtime, installed, order["id"])).get_data(as_text=True)
    assert "Field guide" in page and "dispatched yet" not in page


def test_a_cancelled_order_leaves_tracking(installed, runtime, clock):
    order = installed.add_order()
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    runtime.jobs.drain()
    installed.orders[order["id"]]["status"] = "CANCELED"
    installed.send_webhook("ORDER_CANCELLED", order_id=order["id"])
    runtime.jobs.drain()
    clock.advance(days=30)
    assert sweep.run(runtime) == 0
    assert incidents(runtime) == []


def test_a_webhook_delivered_late_after_downtime_opens_the_incident_at_once(installed, runtime, clock, mail):
    """Scenario 3: the deadline passed while the app was down; Saleor's retry arrives afterwards."""
    created = clock.now - timedelta(days=10)
    order = installed.add_order(created=created)
    response = installed.send_webhook("ORDER_CREATED", order_id=order["id"], issuedAt=created.isoformat())
    assert response.status_code == 200
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert incident.kind == "late_shipment" and incident.days_late >= 3


def installed_days_ago(runtime, days: int) -> None:
    with runtime.db.transaction() as session:
        for tenant in session.scalars(select(Tenant)):
            tenant.installed_at = runtime.clock() - timedelta(days=days)


def test_reconciliation_tracks_orders_whose_webhooks_never_arrived(installed, runtime, clock, mail):
    """Scenario 3: the order was placed while the app was down and no webhook ever came."""
    installed_days_ago(runtime, 30)
    order = installed.add_order(created=clock.now - timedelta(days=10))
    runtime.jobs.enqueue("reconcile_tenant", 1)
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert incident.order_id == order["id"] and incident.kind == "late_shipment"
    assert len(mail.messages) == 1


def test_the_late_order_shipping_sends_one_follow_up_with_the_tracking_number(installed, runtime, clock, mail):
    order = late_order(installed, runtime, clock)
    assert len(mail.messages) == 1
    fulfillment = installed.add_fulfillment(order["id"], tracking_number="JJFI123456789")
    for _ in range(2):  # FULFILLMENT_CREATED and ORDER_FULFILLED both show the shipped order
        installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
        installed.send_webhook("ORDER_FULFILLED", order_id=order["id"])
        runtime.jobs.drain()
    assert len(mail.messages) == 2, "one follow-up, however many events show the shipment"
    follow_up = mail.messages[1].message.get_body(("plain",)).get_content()
    assert "JJFI123456789" in follow_up


def test_events_the_app_caused_itself_do_not_loop(installed, runtime, clock, mail):
    late_order(installed, runtime, clock)
    stored = len(rows(runtime, WebhookDelivery))
    echoed = installed.deliver_events()  # ORDER_UPDATED for our note, ORDER_METADATA_UPDATED, …
    assert echoed and all(r.status_code == 200 for r in echoed)
    assert [r.json()["outcome"] for r in echoed] == ["ignored"] * len(echoed)
    assert len(rows(runtime, WebhookDelivery)) == stored, "an echo of our own change stores nothing"
    runtime.jobs.drain()
    assert len(incidents(runtime)) == 1 and len(mail.messages) == 1


def test_a_tracking_link_pasted_as_the_number_is_one_click_away_on_the_support_page(
    installed, runtime, clock, mail, client
):
    import re

    order = late_order(installed, runtime, clock)
    fulfillment = installed.add_fulfillment(order["id"], tracking_number="https://track.example/JJ123")
    installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain()
    assert len(mail.messages) == 2, "the late-shipment message and one follow-up, nothing more"
    html = mail.messages[1].message.get_body(("html",)).get_content()
    support_link = re.search(r'href="' + re.escape(runtime.settings.app_url) + r'(/support/o/[^"]+)"', html).group(1)
    assert 'href="https://track.example/JJ123"' in client.get(support_link).get_data(as_text=True)



def test_once_the_late_order_ships_its_page_no_longer_says_it_has_not_left(installed, runtime, clock, mail, client):
    import re
    from html import unescape

    order = late_order(installed, runtime, clock)
    html = mail.messages[0].message.get_body(("html",)).get_content()
    support_link = re.search(r'href="' + re.escape(runtime.settings.app_url) + r'(/support/o/[^"]+)"', html).group(1)
    assert "hasn't left our warehouse" in unescape(client.get(support_link).get_data(as_text=True))
    fulfillment = installed.add_fulfillment(order["id"], tracking_number="JJFI123456789")
    installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain()
    page = unescape(client.get(support_link).get_data(as_text=True))
    assert "hasn't left our warehouse" not in page
    assert "Not dispatched on time" not in page and "JJFI123456789" in page
    # Told as what happened since, and the code the customer was given stays on the page, theirs to use.
    assert "Your order has since been dispatched." in page
    (incident,) = incidents(runtime)
    assert incident.goodwill_code and incident.goodwill_code in page


def test_a_message_sending_now_is_not_marked_uncertain_because_it_was_due_long_ago(
    installed, runtime, clock, mail, monkeypatch
):
    """A message pending for hours (server down) whose send starts now must not look stuck mid-send."""
    from saleor_cs_app.notify import send
    from saleor_cs_app.store.models import OutboxMessage

    mail.stop()
    late_order(installed, runtime, clock)
    clock.advance(hours=3)
    mail.start()
    seen_during_send = []
    real_send = send.SmtpSender.send

    def send_and_sweep(self, email, **options):
        seen_during_send.append(send.mark_uncertain_sends(runtime))  # a sweep running meanwhile
        return real_send(self, email, **options)

    monkeypatch.setattr(send.SmtpSender, "send", send_and_sweep)
    runtime.jobs.drain()
    assert seen_during_send == [0]
    with runtime.db.read() as session:
        assert session.scalars(select(OutboxMessage.state)).one() == "sent"
    assert len(mail.messages) == 1
