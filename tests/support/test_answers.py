"""The merchant's answers and the customer's: exactly once, within the limits, in the customer's words."""

from __future__ import annotations

import re
from html import unescape

import io
import threading
from pathlib import Path

import pytest

from saleor_cs_app.jobs import proposals_flow
from saleor_cs_app.store.models import BudgetReservation, SupportPhoto, SupportReport
from tests.flows import incidents, outbox, rows, tenant_id
from tests.support.conftest import csrf_of, png_bytes
from tests.ui.conftest import Api

ANSWERS = """
mutation Accept($id: ID!) { acceptProposal(id: $id) { state proposal { state } } }
"""
COUNTER = """
mutation Counter($id: ID!, $amount: String, $percent: String, $note: String) {
  counterProposal(id: $id, amount: $amount, percent: $percent, note: $note) {
    state proposal { state counter { value currency note } }
  }
}"""
DETAIL = """
query One($id: ID!) { incident(id: $id) { state kind proposal { problem resolution value affectedItems note
  photos { url contentType width height } } } }
"""


def report(client, link, order, *, line=0, fix="replacement", expect=303, **fields):
    page = client.get(f"{link}/report")
    data = {
        "csrf": csrf_of(unescape(page.get_data(as_text=True))),
        "problem": "wrong_item",
        "lines": [order["lines"][line]["id"]],
        "fix": fix,
        **fields,
    }
    response = client.post(f"{link}/report", data=data, content_type="multipart/form-data")
    assert response.status_code == expect, unescape(response.get_data(as_text=True))
    return response


def page_after_a_counter_of_5(client, link, order, runtime, installed, problem: str) -> str:
    """The customer's page once the shop answered their report of `problem` with a refund of 5."""
    report(client, link, order, problem=problem)
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    Api(client, installed)(COUNTER, {"id": incident.id, "amount": "5"})
    runtime.jobs.drain()
    return unescape(client.get(link).get_data(as_text=True))


@pytest.fixture
def pending(client, link, order, runtime):
    """A replacement of the two T-shirts (worth 20): above the policy's limit, so it waits."""
    report(client, link, order, photos=[(io.BytesIO(png_bytes()), "shirt.png")])
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert incident.state == "pending_approval"
    return incident.id


def test_the_merchant_sees_the_proposal_and_photos_through_the_api_and_the_photo_url_is_signed(
    pending, installed, client, runtime
):
    api = Api(client, installed)
    data = api(DETAIL, {"id": pending})["incident"]
    proposal = data["proposal"]
    assert (data["kind"], proposal["problem"], proposal["resolution"]) == (
        "CUSTOMER_REPORT",
        "wrong_item",
        "replacement",
    )
    (photo,) = proposal["photos"]
    path = photo["url"].removeprefix(runtime.settings.app_url)
    served = client.get(path)
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
    assert client.get(path.replace("s=", "s=x")).status_code == 401
    assert client.get(path.split("?")[0]).status_code == 401, "never public without the signature"


def test_accepting_twice_at_once_sends_one_replacement_and_one_answer(pending, installed, runtime, mail):
    tenant = tenant_id(runtime, installed)
    outcomes = []

    def click():
        try:
            proposals_flow.accept(runtime, tenant, pending, by="staff@example.com")
            outcomes.append("accepted")
        except proposals_flow.NotAnswerable:
            outcomes.append("nothing to do")

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    runtime.jobs.drain()
    runtime.jobs.enqueue("handle_incident", pending)  # a duplicate task, as a retry would be
    runtime.jobs.drain()
    assert sorted(outcomes) == ["accepted", "nothing to do"]
    assert len(installed.completed_drafts) == 1
    assert [l["productSku"] for l in installed.orders[installed.completed_drafts[0]]["lines"]] == ["SKU-TSHIRT-M"]
    assert sorted(m.purpose for m in outbox(runtime)) == ["proposal_accepted", "report_received"]
    assert len(rows(runtime, BudgetReservation)) == 1


def test_a_counter_offer_accepted_by_the_customer_grants_that_refund(pending, installed, client, link, runtime, mail):
    api = Api(client, installed)
    data = api(COUNTER, {"id": pending, "percent": "25", "note": "Keep them for 25 % off"})["counterProposal"]
    shirts = installed.orders[incidents(runtime)[0].order_id]["lines"][0]
    worth = shirts["quantity"] * shirts["unitPrice"]["gross"]["amount"]
    assert data["state"] == "waiting_customer" and float(data["proposal"]["counter"]["value"]) == worth * 0.25
    runtime.jobs.drain()
    page = unescape(client.get(link).get_data(as_text=True))
    # A wrong-item report ticks the item ordered, which never came: the money is a refund for it (en-r9 #1).
    assert "Our offer: a refund of $" in page and "keep the item" not in page
    assert "Keep them for 25 % off" in page
    # The note explains the offer: it follows it, as in the e-mail (de-r7 #7, fr-r7 #4).
    assert page.index("Our offer: a refund of") < page.index("Keep them for 25 % off")
    (report_row,) = rows(runtime, SupportReport)
    answer = {"csrf": csrf_of(page), "report": report_row.id, "answer": "accept"}
    assert client.post(f"{link}/answer", data=answer).status_code == 303
    assert client.post(f"{link}/answer", data=answer).status_code == 303  # a second click changes nothing
    runtime.jobs.drain()
    (order_id,) = [o for o in installed.orders if installed.orders[o]["grantedRefunds"]]
    assert [float(g["amount"]["amount"]) for g in installed.orders[order_id]["grantedRefunds"]] == [worth * 0.25]
    assert sorted(m.purpose for m in outbox(runtime)) == ["counter_offer:1", "proposal_accepted", "report_received"]
    assert incidents(runtime)[0].state == "notified"
    (accepted,) = [m for m in outbox(runtime) if m.purpose == "proposal_accepted"]
    assert "Agreed: a refund of US$10.00" in accepted.text, "what they accepted, not what they asked for"
    assert "thank you for accepting our offer" in accepted.subject and "Thank you for accepting our offer" in accepted.text
    # The page too says what was agreed: the offer, not "Agreed." under what they had asked for (en-r7 #1).
    page = unescape(client.get(link).get_data(as_text=True))
    assert "You accepted our offer: a refund of $" in page and "Agreed." not in page
    assert "Accept" not in page.split("You accepted our offer")[1].split("</article>")[0], "no answer buttons"


def test_a_counter_offer_for_a_parcel_that_never_came_is_a_refund_on_the_page(
    client, link, order, runtime, installed
):
    # A replacement worth 20: above the limit, it waits for the shop.
    page = page_after_a_counter_of_5(client, link, order, runtime, installed, "not_arrived")
    assert "Our offer: a refund of $5.00." in page and "keep the item" not in page


def test_an_answer_sent_with_an_old_token_leads_back_to_the_order_to_answer_again(pending, installed, client, link):
    Api(client, installed)(COUNTER, {"id": pending, "amount": "5"})
    (report_row,) = rows(client.application.extensions["runtime"], SupportReport)
    refused = client.post(f"{link}/answer", data={"csrf": "old", "report": report_row.id, "answer": "accept"})
    body = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 400
    # The customer followed no broken link and has no form to fill in: the answer wasn't saved, choose again.
    heading = re.search(r'<h1 id="err-h">([^<]+)</h1>', body).group(1)
    assert heading == "Your answer wasn't saved" and "Please go back to your order and choose again." in body
    assert "link" not in heading and "fill it in" not in body
    back = re.search(r'<a class="button" href="([^"]+)">Back to your order</a>', body).group(1)
    assert back == link and "Accept the offer" in unescape(client.get(back).get_data(as_text=True))


def test_declining_answers_the_customer_with_the_reason_and_frees_the_lines(pending, installed, client, link, runtime):
    api = Api(client, installed)
    api('mutation D($id: ID!) { declineProposal(id: $id, reason: "Out of stock") { state } }', {"id": pending})
    runtime.jobs.drain()
    assert installed.completed_drafts == []
    assert sorted(m.purpose for m in outbox(runtime)) == ["proposal_declined", "report_received"]
    page = unescape(client.get(link).get_data(as_text=True))
    assert "Out of stock" in page
    (order_id,) = {i.order_id for i in incidents(runtime)}
    order = installed.orders[order_id]
    report(client, link, order, fix="shop_decides")  # the line is free again


def test_accepting_beyond_the_monthly_budget_is_refused(pending, installed, client, runtime):
    from tests.flows import use_policy
    from tests.support.conftest import CUSTOMER_POLICY

    use_policy(runtime, installed, {**CUSTOMER_POLICY, "limits": {"monthly_budget": {"USD": 5}}})
    response = Api(client, installed).post(ANSWERS, {"id": pending})
    assert response.get_json()["errors"][0]["extensions"]["code"] == "LIMIT_REACHED"
    assert incidents(runtime)[0].state == "pending_approval" and rows(runtime, BudgetReservation) == []


def test_one_open_report_per_line(pending, client, link, order, runtime):
    response = report(client, link, order, expect=409)
    assert "already an open report" in unescape(response.get_data(as_text=True))
    assert len(rows(runtime, SupportReport)) == 1


def test_a_report_without_the_forms_token_is_refused_and_stores_nothing(client, link, order, runtime):
    client.get(f"{link}/report")
    data = {"problem": "damaged", "lines": [order["lines"][0]["id"]], "fix": "refund", "csrf": "forged"}
    response = client.post(f"{link}/report", data=data, content_type="multipart/form-data")
    body = unescape(response.get_data(as_text=True))
    assert response.status_code == 400 and "This form has expired" in body
    assert "highlighted fields" not in body  # no field is marked: only the form expired
    assert rows(runtime, SupportReport) == []


def test_a_form_sent_back_asks_for_its_photos_again_and_one_without_photos_does_not(client, link, order, runtime):
    """A browser cannot refill a file field: the customer is told, not left to find the photos gone."""
    again = "Your photos weren't saved: please add them again before you send the form."
    missing_lines = report(client, link, order, expect=400, lines=[], photos=[(io.BytesIO(png_bytes()), "parcel.png")])
    assert again in unescape(missing_lines.get_data(as_text=True))
    data = {"problem": "damaged", "lines": [order["lines"][0]["id"]], "fix": "refund", "csrf": "old"}
    expired = client.post(f"{link}/report", data={**data, "photos": (io.BytesIO(png_bytes()), "parcel.png")}, content_type="multipart/form-data")
    assert expired.status_code == 400 and again in unescape(expired.get_data(as_text=True))
    # Refused when saved (a discount over what the items cost): the photos were not kept either.
    over = report(
        client, link, order, expect=400, fix="keep_with_discount", discount="500",
        photos=[(io.BytesIO(png_bytes()), "parcel.png")],
    )  # fmt: skip
    assert again in unescape(over.get_data(as_text=True))
    four = report(client, link, order, expect=400, photos=[(io.BytesIO(png_bytes()), f"p{n}.png") for n in range(4)])
    body = unescape(four.get_data(as_text=True))
    assert "You can add up to 3 photos." in body and again not in body, "not 'add all four again'"
    refused_only = report(client, link, order, expect=400, photos=[(io.BytesIO(b"%PDF-1.7"), "invoice.pdf")])
    assert again not in unescape(refused_only.get_data(as_text=True)), "the refused file has its own line"
    mixed = report(
        client, link, order, expect=400,
        photos=[(io.BytesIO(png_bytes()), "parcel.png"), (io.BytesIO(b"%PDF-1.7"), "invoice.pdf")],
    )  # fmt: skip
    body = unescape(mixed.get_data(as_text=True))
    assert "We can't accept invoice.pdf" in body and "Your other photos weren't saved either" in body
    data = {"problem": "damaged", "lines": [order["lines"][0]["id"]], "fix": "refund", "csrf": "old"}
    pdf_only_expired = client.post(
        f"{link}/report", data={**data, "photos": (io.BytesIO(b"%PDF-1.7"), "invoice.pdf")},
        content_type="multipart/form-data",
    )  # fmt: skip
    body = unescape(pdf_only_expired.get_data(as_text=True))
    assert "This form has expired" in body and "We can't accept invoice.pdf" in body and "photos weren't" not in body
    assert "highlighted fields" not in body, "one 'please check' line: the expired form's"
    four_expired = client.post(
        f"{link}/report", data={**data, "photos": [(io.BytesIO(png_bytes()), f"p{n}.png") for n in range(4)]},
        content_type="multipart/form-data",
    )  # fmt: skip
    body = unescape(four_expired.get_data(as_text=True))
    assert "This form has expired" in body and "You can add up to 3 photos." in body and again not in body
    no_photos = unescape(report(client, link, order, expect=400, lines=[]).get_data(as_text=True))
    assert "Choose at least one item." in no_photos
    assert again not in no_photos
    assert rows(runtime, SupportReport) == [] and rows(runtime, SupportPhoto) == []


def test_a_non_image_upload_is_refused_with_its_name_and_nothing_is_stored(client, link, order, runtime):
    response = report(client, link, order, expect=400, photos=[(io.BytesIO(b"%PDF-1.7 not a photo"), "invoice.pdf")])
    assert "We can't accept invoice.pdf: please use a JPEG, PNG, WebP or HEIC photo." in unescape(response.get_data(as_text=True))
    assert rows(runtime, SupportReport) == [] and rows(runtime, SupportPhoto) == []
    assert not any(Path(runtime.settings.photo_dir).glob("*/*"))


def test_a_discount_above_what_the_items_cost_is_refused(client, link, order, runtime):
    response = report(client, link, order, expect=400, fix="keep_with_discount", discount="500")
    assert "no more than the items cost" in unescape(response.get_data(as_text=True))
    assert rows(runtime, SupportReport) == []


def test_the_order_lookup_is_rate_limited_and_says_the_same_for_unknown_orders_and_wrong_addresses(
    client, installed, runtime, order
):
    from saleor_cs_app.support.lookup import shop_key
    from tests.support.conftest import tenant_row

    tenant = tenant_row(runtime, installed)
    path = f"/support/find/{shop_key(runtime.settings.secret_key, tenant.id, tenant.saleor_api_url)}"
    token = csrf_of(unescape(client.get(path).get_data(as_text=True)))

    def attempt(number, email):
        return client.post(path, data={"csrf": token, "number": number, "email": email})

    unknown, wrong = attempt("999999", order["userEmail"]), attempt(order["number"], "someone@else.example")
    assert unknown.status_code == wrong.status_code == 404
    assert unknown.get_data() == wrong.get_data()
    found = attempt(order["number"], order["userEmail"].upper())
    assert found.status_code == 303 and found.headers["Location"].startswith("/support/o/")
    for _ in range(3):
        attempt(order["number"], "guess@else.example")
    assert attempt(order["number"], order["userEmail"]).status_code == 429, "the sixth try on one order waits"


def test_a_phone_sized_photo_is_taken_although_webhook_bodies_are_capped_lower(client, link, order, runtime):
    import os

    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (900, 900), os.urandom(900 * 900 * 3)).save(out, "PNG")
    assert len(out.getvalue()) > runtime.settings.max_webhook_body_bytes
    report(client, link, order, photos=[(io.BytesIO(out.getvalue()), "big.png")])
    (photo,) = rows(runtime, SupportPhoto)
    assert (photo.width, photo.height) == (900, 900)


def test_an_upload_over_the_total_limit_gets_the_page_not_an_api_error(client, link, order, runtime):
    response = report(
        client, link, order, expect=413, photos=[(io.BytesIO(b"\xff\xd8\xff" + b"\0" * (25 * 1024 * 1024)), "huge.jpg")]
    )
    body = unescape(response.get_data(as_text=True))
    # Nothing of the form could be read: it says so, and marks no field it cannot show.
    assert "so nothing you entered was saved. Please fill in the form again" in body and "highlighted fields" not in body
    assert 'aria-invalid' not in body, "no field is announced as wrong without a message next to it"
    assert rows(runtime, SupportReport) == []


def test_a_counter_offer_beyond_the_monthly_budget_is_refused_to_the_merchant(pending, installed, client, runtime):
    from tests.flows import use_policy
    from tests.support.conftest import CUSTOMER_POLICY

    use_policy(runtime, installed, {**CUSTOMER_POLICY, "limits": {"monthly_budget": {"USD": 3}}})
    response = Api(client, installed).post(COUNTER, {"id": pending, "amount": "4"})
    assert response.get_json()["errors"][0]["extensions"]["code"] == "LIMIT_REACHED"
    assert incidents(runtime)[0].state == "pending_approval"
    assert [m.purpose for m in outbox(runtime)] == ["report_received"], "the customer is offered nothing"


# -- the answers on the merchant's timeline: parts the page words in the dashboard's language -----------
TIMELINE = """query($id: ID!) { incident(id: $id) {
  timeline { type message facts { code by note amount currency } } } }"""


def timeline_facts(api, incident_id: str) -> list[tuple]:
    """(type, code, by, note, amount, currency) of the answers and of each turn back to the merchant."""
    entries = api(TIMELINE, {"id": incident_id})["incident"]["timeline"]
    fields = ("code", "by", "note", "amount", "currency")
    return [
        (e["type"], *((e["facts"] or {}).get(f) for f in fields))
        for e in entries
        if e["type"].startswith("proposal_") or e["type"] == "pending_approval"
    ]


def customer_answers(client, link, runtime, answer: str) -> None:
    page = unescape(client.get(link).get_data(as_text=True))
    (report_row,) = rows(runtime, SupportReport)
    assert client.post(f"{link}/answer", data={"csrf": csrf_of(page), "report": report_row.id, "answer": answer}).status_code == 303


def test_a_counter_offer_the_customer_turned_down_leaves_no_note_of_it_on_the_page(
    pending, installed, client, link, runtime
):
    Api(client, installed)(COUNTER, {"id": pending, "amount": "4", "note": "Keep them for 4 dollars off"})
    runtime.jobs.drain()
    assert "Keep them for 4 dollars off" in unescape(client.get(link).get_data(as_text=True))
    customer_answers(client, link, runtime, "decline")
    page = unescape(client.get(link).get_data(as_text=True))
    assert "Keep them for 4 dollars off" not in page and "Accept the offer" not in page
    assert incidents(runtime)[0].decision["counters"][0]["note"] == "Keep them for 4 dollars off", "kept for staff"


def test_a_request_granted_after_the_customer_turned_our_offer_down_is_not_called_our_offer(
    pending, installed, client, link, runtime, mail
):
    api = Api(client, installed)
    api(COUNTER, {"id": pending, "amount": "4"})
    customer_answers(client, link, runtime, "decline")
    api(ANSWERS, {"id": pending})  # the shop grants the replacement they asked for after all
    runtime.jobs.drain()
    page = unescape(client.get(link).get_data(as_text=True))
    assert "Agreed." in page and "You accepted our offer" not in page
    (accepted,) = [m for m in outbox(runtime) if m.purpose == "proposal_accepted"]
    assert "accepting our offer" not in accepted.text and "4.00" not in accepted.text


def test_a_counter_offer_declined_then_one_over_the_limits_then_a_decline_reach_the_timeline_as_parts(
    pending, installed, client, link, runtime
):
    from tests.flows import use_policy
    from tests.support.conftest import CUSTOMER_POLICY

    api = Api(client, installed)
    api(COUNTER, {"id": pending, "amount": "4"})
    customer_answers(client, link, runtime, "decline")
    api(COUNTER, {"id": pending, "amount": "5"})
    use_policy(runtime, installed, {**CUSTOMER_POLICY, "limits": {"monthly_budget": {"USD": 3}}})
    customer_answers(client, link, runtime, "accept")  # the budget shrank since the offer
    api('mutation D($id: ID!) { declineProposal(id: $id, reason: "Out of stock") { state } }', {"id": pending})
    staff = "staff@example.com"
    assert timeline_facts(api, pending) == [
        ("pending_approval", None, None, None, None, None),  # waiting for the first answer: the page's words
        ("proposal_countered", "proposal_countered", staff, None, "4.00", "USD"),
        ("pending_approval", "pending_approval.counter_declined", None, None, None, None),
        ("proposal_countered", "proposal_countered", staff, None, "5.00", "USD"),
        ("pending_approval", "pending_approval.counter_over_limits", None,
         "the monthly budget for USD would be exceeded", None, None),
        ("proposal_declined", "proposal_declined", staff, "Out of stock", None, None),
    ]


def test_who_accepted_a_proposal_reaches_the_timeline_as_its_code(pending, installed, client, link, runtime):
    api = Api(client, installed)
    api(ANSWERS, {"id": pending})
    assert timeline_facts(api, pending)[-1] == ("proposal_accepted", "proposal_accepted.by", "staff@example.com",
                                                None, None, None)


def test_a_counter_offer_the_customer_accepted_reaches_the_timeline_as_its_code(
    pending, installed, client, link, runtime
):
    api = Api(client, installed)
    api(COUNTER, {"id": pending, "amount": "4"})
    customer_answers(client, link, runtime, "accept")
    assert timeline_facts(api, pending)[-1][:2] == ("proposal_accepted", "proposal_accepted.customer")


def test_a_proposal_the_policy_accepted_reaches_the_timeline_as_its_code(installed, client, link, order, runtime):
    report(client, link, order, line=1, problem="damaged", fix="refund")  # the mug: within the small-refunds rule
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert timeline_facts(Api(client, installed), incident.id)[-1][:2] == (
        "proposal_accepted", "proposal_accepted.policy")


def test_a_counter_offer_for_a_wrong_item_refunds_the_item_that_never_came(client, link, order, runtime, installed):
    """A wrong-item report ticks the item ordered, which the customer never got: money back for it is a refund,
    not "keep the item" (en-r9 #1)."""
    page = page_after_a_counter_of_5(client, link, order, runtime, installed, "wrong_item")
    assert "Our offer: a refund of $5.00." in page and "keep the item" not in page
    (offer,) = [m for m in outbox(runtime) if m.purpose.startswith("counter_offer")]
    assert "keep the item" not in offer.text.lower()
