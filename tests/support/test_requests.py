"""Before it ships: a later delivery or another variant, asked for on the page and answered by the merchant."""

from __future__ import annotations

from datetime import timedelta

from saleor_cs_app.store.models import SupportReport
from tests.flows import incidents, outbox, rows
from tests.support.conftest import csrf_of, link_path
from tests.ui.conftest import Api

ACCEPT = "mutation A($id: ID!) { acceptProposal(id: $id) { state } }"
DECLINE = 'mutation D($id: ID!) { declineProposal(id: $id, reason: "That size is sold out") { state } }'


def ask(client, link, **fields):
    token = csrf_of(client.get(f"{link}/request").get_data(as_text=True))
    return client.post(f"{link}/request", data={"csrf": token, **fields})


def test_a_later_delivery_asked_before_shipping_is_approved_by_the_merchant_and_answered(
    client, link, installed, order, runtime, clock, mail
):
    day = (clock.now + timedelta(days=14)).date().isoformat()
    assert ask(client, link, request="later_delivery", date=day).status_code == 303
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert incident.state == "pending_approval" and incident.facts["not_before"] == day
    assert "You asked for: Deliver it later" in client.get(link).get_data(as_text=True)

    Api(client, installed)(ACCEPT, {"id": incident.id})
    runtime.jobs.drain()
    assert incidents(runtime)[0].state == "notified"
    assert sorted(m.purpose for m in outbox(runtime)) == ["report_received", "request_answered"]
    notes = [str(n) for n in installed.notes[order["id"]]]
    (answer,) = [n for n in notes if "approved by" in n]
    assert day in answer
    assert sum("e-mailed the customer" in n for n in notes) == 2, "each e-mail is noted on the order"
    assert installed.orders[order["id"]]["grantedRefunds"] == [] and installed.completed_drafts == []


def test_a_variant_change_declined_tells_the_customer_why(client, link, installed, order, runtime, mail):
    line = order["lines"][0]["id"]
    assert ask(client, link, request="change_variant", line=line, wish="Size L instead of M").status_code == 303
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    Api(client, installed)(DECLINE, {"id": incident.id})
    runtime.jobs.drain()
    page = client.get(link).get_data(as_text=True)
    assert "That size is sold out" in page and "Size L instead of M" in page
    (report,) = rows(runtime, SupportReport)
    assert report.state == "declined"


def test_a_request_needs_a_date_within_ninety_days(client, link, runtime, clock):
    late = (clock.now + timedelta(days=120)).date().isoformat()
    response = ask(client, link, request="later_delivery", date=late)
    assert response.status_code == 400 and "within 90 days" in response.get_data(as_text=True)
    assert rows(runtime, SupportReport) == []


def test_a_shipped_order_can_no_longer_be_changed(client, installed, runtime):
    shipped = installed.add_order(fulfilled=True)
    installed.send_webhook("ORDER_CREATED", order_id=shipped["id"])
    runtime.jobs.drain()
    link = link_path(runtime, installed, shipped["id"])
    response = ask(client, link, request="change_variant", line=shipped["lines"][0]["id"], wish="Blue")
    assert response.status_code == 409 and "already been dispatched" in response.get_data(as_text=True)
    assert rows(runtime, SupportReport) == []
