"""A lost or returned parcel: the customer chooses a new parcel or their money back, once, on the support page.

Through HTTP with the Saleor stand-in: the page, the POST, the job that carries the choice out, the sweep."""

from __future__ import annotations

from html import unescape

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
import requests

from saleor_cs_app.care.owed import Remedy
from saleor_cs_app.jobs import owed_flow, sweep
from saleor_cs_app.links import support_url
from saleor_cs_app.store.owed_models import OwedRemedy
from tests.flows import incidents, rows, timeline
from tests.support.conftest import csrf_of, link_path, tenant_row
from tests.support.owed_fixtures import parcel_with_status

NEW_PARCEL = "Send me a new parcel"


def page_of(client, link) -> str:
    response = client.get(link)
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def page_token(client, link) -> str:
    """The page's CSRF token, from its report form (the order page has no form once nothing is open)."""
    return csrf_of(unescape(client.get(f"{link}/report").get_data(as_text=True)))


def choose(client, link, incident_id, remedy, *, expect=303):
    data = {"csrf": page_token(client, link), "incident": incident_id, "remedy": remedy}
    response = client.post(f"{link}/owed", data=data)
    assert response.status_code == expect, unescape(response.get_data(as_text=True))
    return response


def owed_orders(saleor) -> list[dict]:
    """Orders the app created for owed goods (external reference cs-<incident>.owed), completed."""
    return [
        saleor.orders[o]
        for o in saleor.completed_drafts
        if (saleor.orders[o].get("externalReference") or "").endswith(".owed")
    ]


def grants(saleor, order_id) -> list[Decimal]:
    return [Decimal(str(g["amount"]["amount"])) for g in saleor.orders[order_id]["grantedRefunds"]]


@pytest.fixture
def lost(installed, runtime):
    """The whole order (2 × T-shirt at 20, 1 × mug at 12, shipping 10) in one parcel the carrier lost."""
    return parcel_with_status(installed, runtime, "lost")


@pytest.fixture
def link(runtime, installed, lost) -> str:
    return link_path(runtime, installed, lost[0]["id"])


def test_the_page_shows_a_lost_parcels_items_and_both_choices(lost, client, link):
    _, incident = lost
    assert incident.kind == "lost"
    html = page_of(client, link)
    assert "Your parcel has been lost" in html and "it's your choice" in html
    assert NEW_PARCEL in html and "Refund me $62.00" in html  # 2 × 20 + 12 + the shipping of 10: the whole order
    assert f'name="incident" value="{incident.id}"' in html
    assert "Choose how we put it right above" in html  # the e-mail's next step, worded for the page
    # The choice is the card's to offer: the e-mail's "it's your choice whether …" is not said a second time.
    assert html.count("your choice") == 1 and "You won't be out of pocket" not in html


def test_a_returned_parcel_gets_the_same_choice_in_its_own_words(installed, runtime, client):
    order, incident = parcel_with_status(installed, runtime, "returned_to_sender")
    html = page_of(client, link_path(runtime, installed, order["id"]))
    assert incident.kind == "returned"
    assert "Your parcel is on its way back to us" in html and NEW_PARCEL in html


@pytest.mark.parametrize("status", ["exception", "attempt_fail"])
def test_other_carrier_situations_offer_no_choice(installed, runtime, client, status):
    order, incident = parcel_with_status(installed, runtime, status)
    assert incident.kind in ("held", "attempt_failed")
    html = page_of(client, link_path(runtime, installed, order["id"]))
    assert NEW_PARCEL not in html and "Refund me" not in html
    link = link_path(runtime, installed, order["id"])
    data = {"csrf": page_token(client, link), "incident": incident.id, "remedy": "refund"}
    refused = client.post(f"{link}/owed", data=data)
    assert refused.status_code == 404 and "There's nothing to choose for this parcel." in unescape(refused.get_data(as_text=True))
    assert rows(runtime, OwedRemedy) == []


def test_choosing_a_new_parcel_creates_one_completed_zero_priced_order_of_the_parcels_items(
    lost, installed, runtime, client, link
):
    order, incident = lost
    response = choose(client, link, incident.id, "new_parcel")
    assert response.headers["Location"].endswith("?done=owed")
    runtime.jobs.drain()
    (made,) = owed_orders(installed)
    assert made["status"] == "UNFULFILLED"
    assert sorted((l["productSku"], l["quantity"], l["unitPrice"]["gross"]["amount"]) for l in made["lines"]) == [
        ("SKU-MUG", 1, 0),
        ("SKU-TSHIRT-M", 2, 0),
    ]
    assert made["total"]["gross"]["amount"] == 0, "shipped free through the 100 % shipping voucher"
    assert made["userEmail"] == order["userEmail"]
    assert grants(installed, order["id"]) == []
    (note,) = [n for n in installed.orders[order["id"]]["events"] if "owed goods" in (n.get("message") or "")]
    assert f"order #{made['number']}" in note["message"]
    assert timeline(runtime, incident.id)[-2:] == ["remedy_chosen", "remedy_carried_out"]
    (choice,) = rows(runtime, OwedRemedy)
    assert (choice.state, choice.result["number"]) == ("done", str(made["number"]))
    html = page_of(client, f"{link}?done=owed")
    assert "Thank you – your choice has been saved." in html and "You chose a new parcel." in html
    assert f"Your new parcel is order #{made['number']}" in html and NEW_PARCEL not in html
    assert "Choose how we put it right above" not in html, "chosen: no step left to take"
    assert "or refund what you paid" not in html, "chosen: no refund offered beside the new parcel"


def test_choosing_the_money_back_grants_one_refund_of_what_was_paid(lost, installed, runtime, client, link):
    order, incident = lost
    choose(client, link, incident.id, "refund")
    runtime.jobs.drain()
    runtime.jobs.enqueue("carry_out_owed", rows(runtime, OwedRemedy)[0].id)  # a duplicate task, as a retry
    runtime.jobs.drain()
    assert grants(installed, order["id"]) == [Decimal("62.00")]
    assert owed_orders(installed) == []
    html = page_of(client, link)
    assert "You chose a refund of $62.00." in html and "Your refund has been approved." in html


def test_one_parcel_of_two_is_refunded_without_the_shipping(installed, runtime, client):
    order = installed.add_order(languageCodeEnum="EN")
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    installed.add_fulfillment(order["id"], [("SKU-MUG", 1)])  # arrived
    order, incident = parcel_with_status(installed, runtime, "lost", order=order)  # the shirts, lost
    link = link_path(runtime, installed, order["id"])
    assert "Refund me $40.00" in page_of(client, link)
    choose(client, link, incident.id, "refund")
    runtime.jobs.drain()
    assert grants(installed, order["id"]) == [Decimal("40.00")]


def test_a_second_choice_is_refused_with_a_clear_message_and_changes_nothing(lost, installed, runtime, client, link):
    order, incident = lost
    choose(client, link, incident.id, "new_parcel")
    response = choose(client, link, incident.id, "refund", expect=409)
    assert "You've already made your choice, so it can't be changed here." in unescape(response.get_data(as_text=True))
    choose(client, link, incident.id, "new_parcel", expect=409)  # the same click twice: still one
    runtime.jobs.drain()
    assert len(rows(runtime, OwedRemedy)) == 1 and rows(runtime, OwedRemedy)[0].remedy == "new_parcel"
    assert len(owed_orders(installed)) == 1 and grants(installed, order["id"]) == []
    assert timeline(runtime, incident.id).count("remedy_chosen") == 1


def test_two_tabs_choosing_at_once_make_one_choice_and_one_parcel(lost, installed, runtime, app_server, link):
    order, incident = lost
    tabs = []
    for remedy in ("new_parcel", "refund", "new_parcel", "refund"):
        session = requests.Session()
        html = session.get(f"{app_server.url}{link}").text
        tabs.append((session, {"csrf": csrf_of(html), "incident": incident.id, "remedy": remedy}))
    start, statuses = threading.Barrier(len(tabs)), []

    def click(session, data):
        start.wait()
        statuses.append(session.post(f"{app_server.url}{link}/owed", data=data, allow_redirects=False).status_code)

    threads = [threading.Thread(target=click, args=tab) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    runtime.jobs.drain()
    assert sorted(statuses) == [303, 409, 409, 409]
    (choice,) = rows(runtime, OwedRemedy)
    made, granted = owed_orders(installed), grants(installed, order["id"])
    assert (len(made), len(granted)) == ((1, 0) if choice.remedy == "new_parcel" else (0, 1))


def test_a_new_parcel_whose_answer_was_lost_is_found_by_the_retry_not_made_twice(lost, installed, runtime, client, link):
    _, incident = lost
    installed.fail_after_next("draftOrderComplete", times=1, status=502)  # completed in Saleor, the answer lost
    choose(client, link, incident.id, "new_parcel")
    runtime.jobs.drain()
    assert len(owed_orders(installed)) == 1
    assert [l["quantity"] for l in owed_orders(installed)[0]["lines"]] == [2, 1]
    assert "retrying" in timeline(runtime, incident.id)
    assert rows(runtime, OwedRemedy)[0].state == "done"


def test_a_choice_whose_task_was_lost_is_carried_out_by_the_sweep(lost, installed, runtime, clock, monkeypatch):
    order, incident = lost
    tenant = tenant_row(runtime, installed).id
    monkeypatch.setattr(runtime.jobs, "enqueue", lambda *args: None)  # the process died right after the commit
    owed_flow.choose(runtime, tenant, order["id"], incident.id, Remedy.REFUND)
    monkeypatch.undo()
    sweep.run(runtime)
    runtime.jobs.drain()
    assert grants(installed, order["id"]) == [], "not before its time: the task may still be on its way"
    clock.advance(minutes=6)
    sweep.run(runtime)
    runtime.jobs.drain()
    sweep.run(runtime)  # done: nothing more to queue
    runtime.jobs.drain()
    assert grants(installed, order["id"]) == [Decimal("62.00")]


def test_saleor_refusing_the_refund_fails_the_choice_for_the_merchant_to_settle(lost, installed, runtime, client, link):
    order, incident = lost
    installed.orders[order["id"]]["transactions"] = []  # paid outside transactions: nothing to grant against
    choose(client, link, incident.id, "refund")
    runtime.jobs.drain()
    (choice,) = rows(runtime, OwedRemedy)
    assert choice.state == "failed" and "no payment transaction" in choice.error
    assert timeline(runtime, incident.id)[-1] == "remedy_failed"
    assert "someone from our team will sort it out and email you." in page_of(client, link)


def test_a_cancelled_order_offers_no_choice(lost, installed, runtime, client, link):
    order, incident = lost
    installed.orders[order["id"]]["status"] = "CANCELED"
    installed.send_webhook("ORDER_CANCELLED", order_id=order["id"])
    runtime.jobs.drain()
    html = page_of(client, link)
    assert NEW_PARCEL not in html
    response = client.post(f"{link}/owed", data={"csrf": page_token(client, link), "incident": incident.id, "remedy": "refund"})
    assert response.status_code == 409 and "This order is closed" in unescape(response.get_data(as_text=True))
    assert rows(runtime, OwedRemedy) == []


def test_a_forged_or_expired_link_or_a_missing_csrf_token_changes_nothing(
    lost, installed, runtime, client, clock, link
):
    _, incident = lost
    csrf = csrf_of(page_of(client, link))
    choice = {"csrf": csrf, "incident": incident.id, "remedy": "refund"}
    forged = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    assert client.post(f"{forged}/owed", data=choice).status_code == 404
    assert client.post(f"{link}/owed", data={**choice, "csrf": ""}).status_code == 400
    assert client.post(f"{link}/owed", data={k: v for k, v in choice.items() if k != "csrf"}).status_code == 400
    assert client.post(f"{link}/owed", data={**choice, "remedy": "both please"}).status_code == 400
    assert client.post(f"{link}/owed", data={**choice, "incident": "not-an-incident"}).status_code == 404
    other = requests.Session()  # another browser: its own cookie, this page's token
    other_page = other.get(f"{installed_app_url(runtime)}{link}")
    assert other.post(f"{installed_app_url(runtime)}{link}/owed", data=choice, allow_redirects=False).status_code == 400
    assert other_page.status_code == 200
    old = support_url(runtime.settings, tenant_row(runtime, installed), incident.order_id, clock.now - timedelta(days=61))
    assert client.post(f"{old.removeprefix(runtime.settings.app_url)}/owed", data=choice).status_code == 410
    runtime.jobs.drain()
    assert rows(runtime, OwedRemedy) == [] and timeline(runtime, incident.id).count("remedy_chosen") == 0
    assert incidents(runtime)[0].state == incident.state


def installed_app_url(runtime) -> str:
    return runtime.settings.app_url
