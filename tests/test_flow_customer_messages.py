"""What the customer reads names things as the shop does, offers only what is worth something,
and every e-mail leaves its trace on the order in Saleor."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from saleor_cs_app.care.model import OfferType
from saleor_cs_app.goodwill.carry_out import OfferRequest, carry_out
from saleor_cs_app.goodwill.errors import GoodwillFailed
from saleor_cs_app.jobs import sweep
from saleor_cs_app.notify import order_trace, send
from saleor_cs_app.store.insights import month_insights
from saleor_cs_app.notify.outbox import INITIAL
from saleor_cs_app.store.models import Incident, OutboxMessage
from tests.flows import incidents, outbox, tenant_id, timeline, use_policy

RESHIP_AUTO = {
    "version": 1,
    "sender": {"name": "Northwind", "email": "care@northwind.example"},
    "rules": [{"name": "Wrong item", "when": {"kinds": ["wrong_item"]}, "offer": {"apology_only": {}}}],
}


def _mispacked(saleor, runtime, scanned: str):
    order = saleor.add_order(lines=[{"sku": "SKU-TSHIRT-M", "quantity": 1}])
    saleor.send_webhook("ORDER_CREATED", order_id=order["id"])
    runtime.jobs.drain()
    fulfillment = saleor.add_fulfillment(order["id"], tracking_number="TRK-9")
    fulfillment["metadata"] = [{"key": "packing.scanned_skus", "value": f'["{scanned}"]'}]
    assert saleor.send_webhook("FULFILLMENT_METADATA_UPDATED", fulfillment_id=fulfillment["id"]).status_code == 200
    runtime.jobs.drain()
    return order


def _plain(mail) -> str:
    (sent,) = mail.messages
    return sent.message.get_body(("plain",)).get_content()


def test_the_wrong_item_email_names_the_received_item_as_the_catalogue_does_never_by_sku(installed, runtime, mail):
    installed.add_variant("112223580", product_name="Dark Polygon Tee", name="S")
    use_policy(runtime, installed, RESHIP_AUTO)
    _mispacked(installed, runtime, "112223580")
    (incident,) = incidents(runtime)
    assert incident.facts["sent_skus"] == ["112223580"]
    text = _plain(mail)
    assert "You received: Dark Polygon Tee S" in text
    assert "112223580" not in text
    (row,) = outbox(runtime)
    assert "112223580" not in row.html


def test_an_item_the_catalogue_does_not_know_is_left_unnamed_not_shown_as_a_sku(installed, runtime, mail):
    use_policy(runtime, installed, RESHIP_AUTO)
    _mispacked(installed, runtime, "999000111")
    (incident,) = incidents(runtime)
    assert incident.kind == "wrong_item"
    text = _plain(mail)
    assert "999000111" not in text
    assert "You received:" not in text
    assert "You ordered:" in text, "the ordered item is named from the order's line"


LATE_GETS_FREE_SHIPPING = {
    "version": 1,
    "sender": {"name": "Northwind", "email": "care@northwind.example"},
    "rules": [{"name": "Late", "when": {"kinds": ["late_shipment"]}, "offer": {"free_shipping_voucher": {}}}],
}


def _late_order(saleor, runtime, clock, **order):
    created = clock.now - timedelta(days=10)
    placed = saleor.add_order(created=created, **order)
    assert saleor.send_webhook("ORDER_CREATED", order_id=placed["id"], issuedAt=created.isoformat()).status_code == 200
    runtime.jobs.drain()
    sweep.run(runtime)
    runtime.jobs.drain()
    return placed


def test_a_late_order_that_shipped_free_gets_the_apology_and_no_voucher_worth_nothing(installed, runtime, mail, clock):
    use_policy(runtime, installed, LATE_GETS_FREE_SHIPPING)
    _late_order(installed, runtime, clock, shippingPrice=0)
    (incident,) = incidents(runtime)
    assert incident.kind == "late_shipment" and incident.offer_type == "apology_only"
    assert incident.decision["reason"] == (
        "rule 'Late' matched; the shipping was free, so a free-shipping voucher would be worth nothing → apology only"
    )
    assert installed.vouchers == {}
    text = _plain(mail)
    assert "on us" not in text and "0.00" not in text
    assert "sorry" in text.lower()


def test_a_late_order_that_paid_for_shipping_still_gets_the_voucher(installed, runtime, mail, clock):
    use_policy(runtime, installed, LATE_GETS_FREE_SHIPPING)
    _late_order(installed, runtime, clock)
    (incident,) = incidents(runtime)
    assert incident.offer_type == "free_shipping_voucher" and len(installed.vouchers) == 1
    assert "delivery on your next order is on us" in _plain(mail)


@pytest.mark.parametrize(
    "offer_type, amounts",
    [
        (OfferType.FREE_SHIPPING_VOUCHER, {"value": Decimal(0)}),
        (OfferType.GIFT_CARD, {"gift_card_amount": Decimal("0.00")}),
        (OfferType.PARTIAL_REFUND, {"refund_amount": Decimal(0)}),
    ],
)
def test_goodwill_worth_nothing_never_reaches_saleor(offer_type, amounts):
    class NoSaleor:
        def execute(self, *args, **kwargs):
            raise AssertionError("nothing may be created in Saleor")

    fields = dict(incident_id="inc-1", type=offer_type, currency="USD", value=Decimal(0), gift_card_amount=None)
    fields.update(refund_amount=None, expires_in_days=None, sku=None, quantity=None, reship_skus=())
    fields.update(customer_email="a@example.com", channel_slug="default-channel", reason="test", **amounts)
    request = OfferRequest(**fields)
    with pytest.raises(GoodwillFailed, match="worth nothing"):
        original = {"id": "o", "number": "1", "channel": {"id": "c"}}
        carry_out(NoSaleor(), request, original, today=date(2026, 1, 1), secret_key="k")


def first_sent_day(runtime, incident_id) -> date:
    with runtime.db.transaction() as session:
        sent_at = session.scalar(
            select(OutboxMessage.sent_at).where(OutboxMessage.incident_id == incident_id, OutboxMessage.purpose == INITIAL)
        )
    return sent_at.date()


def _late_order_then_shipped(saleor, runtime, clock):
    order = _late_order(saleor, runtime, clock)
    fulfillment = saleor.add_fulfillment(order["id"], tracking_number="JJFI123456789")
    saleor.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain()
    return order


def test_the_shipped_follow_up_email_leaves_its_own_order_note(installed, runtime, mail, clock):
    use_policy(runtime, installed, LATE_GETS_FREE_SHIPPING)
    order = _late_order_then_shipped(installed, runtime, clock)
    assert len(mail.messages) == 2
    follow_up = mail.messages[1].message["Subject"]
    first, second = installed.notes[order["id"]]
    assert "E-mailed the customer (en)" in first
    assert f"e-mailed the customer (en): \u201c{follow_up}\u201d" in second
    (incident,) = incidents(runtime)
    assert timeline(runtime, incident.id)[-2:] == ["emailed_shipped", "order_note"]

    installed.send_webhook("ORDER_FULFILLED", order_id=order["id"])
    runtime.jobs.drain()
    assert len(installed.notes[order["id"]]) == 2, "nothing new happened, nothing new is noted"


def test_the_shipped_follow_up_reminds_of_the_code_the_first_email_gave_and_names_its_day(
    installed, runtime, mail, clock
):
    use_policy(runtime, installed, LATE_GETS_FREE_SHIPPING)
    _late_order_then_shipped(installed, runtime, clock)
    first, follow_up = (m.message for m in mail.messages)
    (incident,) = incidents(runtime)
    code = incident.goodwill_code
    assert code and code in first.get_body(("plain",)).get_content()
    text = follow_up.get_body(("plain",)).get_content()
    assert code in text
    sent_on = f"{first_sent_day(runtime, incident.id):%-d %B %Y}"
    assert f"email of {sent_on}" in text


def test_a_follow_up_note_whose_answer_was_lost_is_not_written_twice(installed, runtime, mail, clock):
    use_policy(runtime, installed, LATE_GETS_FREE_SHIPPING)
    order = _late_order(installed, runtime, clock)
    installed.fail_after_next("orderNoteAdd", times=1, status=502)  # added in Saleor, answer lost
    fulfillment = installed.add_fulfillment(order["id"], tracking_number="JJFI123456789")
    installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain()
    clock.advance(minutes=5)
    runtime.jobs.drain()
    assert len(mail.messages) == 2
    notes = installed.notes[order["id"]]
    assert len(notes) == 2 and sum("e-mail shipped" in n for n in notes) == 1
    (incident,) = incidents(runtime)
    assert timeline(runtime, incident.id)[-3:] == ["emailed_shipped", "retrying", "order_note"]


def test_a_follow_up_note_lost_in_a_crash_right_after_the_send_is_written_by_the_sweep_once(
    installed, runtime, mail, clock, monkeypatch
):
    use_policy(runtime, installed, LATE_GETS_FREE_SHIPPING)
    order = _late_order(installed, runtime, clock)

    def process_dies(runtime, message_id):  # the send's commit is the last thing that happened
        raise SystemExit("worker killed")

    monkeypatch.setattr(send, "note_sent_message", process_dies)
    fulfillment = installed.add_fulfillment(order["id"], tracking_number="JJFI123456789")
    installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
    with pytest.raises(SystemExit):
        runtime.jobs.drain()
    monkeypatch.undo()
    runtime.jobs.drain()  # whatever else was queued; the note's task died with the process
    assert len(mail.messages) == 2 and len(installed.notes[order["id"]]) == 1

    clock.advance(minutes=6)
    sweep.run(runtime)
    runtime.jobs.drain()
    notes = installed.notes[order["id"]]
    assert len(notes) == 2 and "e-mail shipped" in notes[1]
    (incident,) = incidents(runtime)
    assert timeline(runtime, incident.id)[-2:] == ["emailed_shipped", "order_note"]

    clock.advance(hours=1)
    sweep.run(runtime)
    runtime.jobs.drain()
    assert len(installed.notes[order["id"]]) == 2, "a settled note is not taken up again"
    assert len(mail.messages) == 2, "taking the note up again never sends the e-mail again"


def test_a_note_being_written_is_not_written_by_a_second_task_meanwhile(installed, runtime, mail, clock, monkeypatch):
    use_policy(runtime, installed, LATE_GETS_FREE_SHIPPING)
    order = _late_order(installed, runtime, clock)
    second_task = []
    real_add = order_trace.add_note_once

    def add_while_another_task_runs(client, **kwargs):
        if not second_task:  # the first writer is talking to Saleor: a duplicate task starts
            second_task.append("running")
            (follow_up,) = [row for row in outbox(runtime) if row.purpose == "shipped"]
            second_task[0] = order_trace.note_sent_message(runtime, follow_up.id)
        return real_add(client, **kwargs)

    monkeypatch.setattr(order_trace, "add_note_once", add_while_another_task_runs)
    fulfillment = installed.add_fulfillment(order["id"], tracking_number="JJFI123456789")
    installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain()
    assert second_task[0] is not None, "the second task found the note taken and only waits"
    notes = installed.notes[order["id"]]
    assert len(notes) == 2 and sum("e-mail shipped" in n for n in notes) == 1


def test_insights_count_a_late_shipment_under_the_warehouse_it_finally_shipped_from(installed, runtime, mail, clock):
    use_policy(runtime, installed, LATE_GETS_FREE_SHIPPING)
    order = _late_order(installed, runtime, clock)
    (incident,) = incidents(runtime)
    assert incident.warehouse is None, "nothing has shipped when the delay is noticed"
    warehouse = next(w for w in installed.warehouses.values() if w["name"] == "Americas Warehouse")
    fulfillment = installed.add_fulfillment(order["id"], tracking_number="JJFI1", warehouse=warehouse)
    installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert incident.warehouse == "Americas Warehouse" and incident.facts["warehouse"] == "Americas Warehouse"
    with runtime.db.read() as session:
        seen = month_insights(session, tenant_id(runtime, installed), clock.now.strftime("%Y-%m"))
    assert [(c.label, c.count) for c in seen.by_warehouse] == [("Americas Warehouse", 1)]


def test_a_wrong_item_is_counted_under_the_warehouse_that_packed_it(installed, runtime, mail, clock):
    use_policy(runtime, installed, RESHIP_AUTO)
    _mispacked(installed, runtime, "999000111")
    (incident,) = incidents(runtime)
    assert incident.warehouse == "Americas Warehouse"


def test_insights_name_the_warehouse_of_incidents_recorded_without_one(installed, runtime, mail, clock):
    """Incidents stored before the warehouse was recorded on them still count where the order shipped from."""
    use_policy(runtime, installed, LATE_GETS_FREE_SHIPPING)
    _late_order_then_shipped(installed, runtime, clock)
    with runtime.db.transaction() as session:
        for incident in session.scalars(select(Incident)):
            incident.warehouse = None
    with runtime.db.read() as session:
        seen = month_insights(session, tenant_id(runtime, installed), clock.now.strftime("%Y-%m"))
    assert [(c.label, c.count) for c in seen.by_warehouse] == [("Americas Warehouse", 1)]
