"""What the server wrote in English reaches the page as parts it words itself: who reported what, and what
was created in Saleor (the English line stays, for the order note and older pages)."""

from __future__ import annotations

from datetime import timedelta

from tests.support.conftest import CUSTOMER_POLICY, csrf_of, link_path
from tests.ui.conftest import late_order_shipped_later, report_wrong_item, track_order, use_policy

FACTS = """query($id: ID!) { incident(id: $id) {
  decision { goodwill goodwillDone { type amount currency code codeEnding orderNumber products expiresOn } }
  timeline { type message facts { code by note problem request notBefore item } }
} }"""
INCIDENTS = "{ incidents { items { id } } }"


def reported(api, incident_id: str) -> dict:
    (entry,) = [e for e in api(FACTS, {"id": incident_id})["incident"]["timeline"] if e["type"] == "reported"]
    return entry


def only_incident(api) -> str:
    (item,) = api(INCIDENTS)["incidents"]["items"]
    return item["id"]


def test_a_staff_report_names_who_reported_it_and_their_note(api, pending_incident):
    entry = reported(api, pending_incident)
    assert entry["message"] == "Reported by staff@example.com: Customer called", "the English line is kept"
    assert entry["facts"] == {"code": "reported.staff", "by": "staff@example.com", "note": "Customer called",
                              "problem": None, "request": None, "notBefore": None, "item": None}


def test_a_customer_report_gives_the_problem_and_the_customers_words(api, client, installed, runtime):
    use_policy(runtime, installed, CUSTOMER_POLICY)
    order = track_order(installed, runtime)
    link = link_path(runtime, installed, order["id"])
    form = client.get(f"{link}/report").get_data(as_text=True)
    sent = client.post(f"{link}/report", content_type="multipart/form-data", data={
        "csrf": csrf_of(form), "problem": "damaged", "lines": [order["lines"][0]["id"]], "fix": "refund",
        "note": "The box was crushed"})
    assert sent.status_code == 303, sent.get_data(as_text=True)
    runtime.jobs.drain()
    facts = reported(api, only_incident(api))["facts"]
    assert (facts["code"], facts["problem"], facts["note"], facts["by"]) == (
        "reported.customer", "damaged", "The box was crushed", None)


def test_a_request_before_shipping_gives_what_was_asked_and_the_date_as_iso(api, client, installed, runtime, clock):
    use_policy(runtime, installed, CUSTOMER_POLICY)
    order = track_order(installed, runtime)
    link = link_path(runtime, installed, order["id"])
    day = (clock.now + timedelta(days=14)).date().isoformat()
    token = csrf_of(client.get(f"{link}/request").get_data(as_text=True))
    assert client.post(f"{link}/request", data={"csrf": token, "request": "later_delivery", "date": day}).status_code == 303
    runtime.jobs.drain()
    entry = reported(api, only_incident(api))
    assert entry["message"].startswith("The customer asks before shipping: later_delivery")
    assert (entry["facts"]["code"], entry["facts"]["request"], entry["facts"]["notBefore"]) == (
        "reported.request", "later_delivery", day)


def test_a_gift_card_created_in_saleor_comes_as_its_amount_currency_and_code_ending(api, runtime, pending_incident):
    before = api(FACTS, {"id": pending_incident})["incident"]["decision"]
    assert before["goodwill"] is None and before["goodwillDone"] is None, "nothing created before the approval"
    api("mutation($id: ID!) { approveIncident(id: $id) { id } }", {"id": pending_incident})
    runtime.jobs.drain()
    incident = api(FACTS, {"id": pending_incident})["incident"]
    done, english = incident["decision"]["goodwillDone"], incident["decision"]["goodwill"]
    assert (done["type"], done["amount"], done["currency"]) == ("gift_card", "15.00", "USD")
    assert done["codeEnding"] and english.endswith(f"(code ending {done['codeEnding']})")
    assert done["code"] is None, "a gift card's full code is not shown, as in the English line"
    assert done["expiresOn"] and done["orderNumber"] is None
    (created,) = [e for e in incident["timeline"] if e["type"] == "goodwill_created"]
    assert created["facts"]["code"] == "goodwill_created"


def test_who_approved_or_declined_and_why_come_as_parts(api, runtime, installed, pending_incident):
    api("mutation($id: ID!) { approveIncident(id: $id) { id } }", {"id": pending_incident})
    runtime.jobs.drain()
    entries = {e["type"]: e["facts"] for e in api(FACTS, {"id": pending_incident})["incident"]["timeline"]}
    assert (entries["approved"]["code"], entries["approved"]["by"]) == ("approved", "staff@example.com")
    assert entries["order_note"]["code"] == "order_note"

    other = report_wrong_item(api, runtime, track_order(installed, runtime))
    api('mutation($id: ID!) { declineIncident(id: $id, reason: "Repeat claim: see #12") { id } }', {"id": other})
    (declined,) = [e for e in api(FACTS, {"id": other})["incident"]["timeline"] if e["type"] == "declined"]
    assert declined["message"] == "declined by staff@example.com: Repeat claim: see #12 → apology only"
    assert (declined["facts"]["code"], declined["facts"]["by"], declined["facts"]["note"]) == (
        "declined", "staff@example.com", "Repeat claim: see #12")


def _order_note_facts(api) -> list[tuple[str, str | None, str | None]]:
    timeline = api(FACTS, {"id": only_incident(api)})["incident"]["timeline"]
    return [(e["type"], e["facts"]["code"], e["facts"]["note"]) for e in timeline
            if e["type"] in ("order_note", "retrying") and e["facts"]]


def test_a_follow_up_note_that_waited_for_saleor_is_told_as_waiting_then_written(api, installed, runtime, mail, clock):
    late_order_shipped_later(installed, runtime, clock)
    installed.fail_next("orderNoteAdd", times=1, status=502)
    runtime.jobs.drain()
    clock.advance(minutes=5)
    runtime.jobs.drain()
    assert _order_note_facts(api) == [
        ("order_note", "order_note", None),  # the first e-mail's note, with the goodwill's metadata
        ("retrying", "order_note.waits", "OrderNoteAdd: Saleor answered HTTP 502"),
        ("order_note", "order_note.written", None),
    ]


def test_a_follow_up_note_saleor_refused_is_never_told_as_written(api, installed, runtime, mail, clock):
    late_order_shipped_later(installed, runtime, clock)
    installed.fail_next("orderNoteAdd", times=1, status=403)
    runtime.jobs.drain()
    (first, refused) = _order_note_facts(api)
    assert first[1] == "order_note"
    assert refused[:2] == ("order_note", "order_note.not_written") and "403" in refused[2], refused
