"""The order page in real Chromium: the widget (ORDER_DETAILS_WIDGETS) in light and dark, English and Finnish."""

from __future__ import annotations

import re

import pytest

from saleor_cs_app.store.models import SupportReport
from tests.flows import rows
from tests.ui.browser import snap
from tests.ui.conftest import GIFT_CARD_POLICY, late_order_shipped_later, report_wrong_item, track_order, use_policy
from tests.ui.test_pages_browser import app_frame, browser, expect, host, page  # noqa: F401 (fixtures)
from tests.ui.test_strings import entries

pytestmark = pytest.mark.browser


def test_the_widget_shows_a_pending_incident_and_approves_it_in_one_click(page, host, runtime, installed, api):
    use_policy(runtime, installed, GIFT_CARD_POLICY)
    order = track_order(installed, runtime)
    report_wrong_item(api, runtime, order)
    page.set_viewport_size({"width": 440, "height": 700})  # the order page's side column
    frame = app_frame(page, host, path="/dashboard/order-widget", orderId=order["id"])
    card = frame.locator(".widget-block").first
    expect(card).to_contain_text("Wrong item")
    expect(card.locator(".badge")).to_have_text("Waiting for your approval")
    expect(card.locator(".decision")).to_have_text(
        "Your rule “Wrong item” gives the customer a $15.00 gift card, valid for 365 days. It waits for your approval."
    )
    expect(card).to_contain_text("Held until the offer is approved or declined")
    page.wait_for_function("window.actions.some(a => a.type === 'widgetResize' && a.payload.height > 100)")
    snap(page, "13-widget-pending")

    card.get_by_role("button", name="Approve", exact=True).click()
    expect(card.get_by_role("button", name="Approve", exact=True)).to_be_hidden()
    runtime.jobs.drain()
    expect(card.locator(".badge")).to_have_text("Customer told", timeout=15_000)
    expect(card).to_contain_text("We sent you the wrong item (order #1)")
    expect(card).to_contain_text("In Saleor: gift card $15.00, code ending")
    assert len(installed.gift_cards) == 1
    snap(page, "14-widget-approved")


def test_the_widget_in_dark_and_finnish_says_when_an_order_has_no_problems(page, host, runtime, installed):
    order = track_order(installed, runtime, fulfilled=True)
    page.set_viewport_size({"width": 440, "height": 700})
    frame = app_frame(page, host, path="/dashboard/order-widget", orderId=order["id"], theme="dark", locale="fi-FI")
    expect(frame.locator("html")).to_have_attribute("lang", "fi")
    expect(frame.get_by_text("Tilauksessa ei ole toimitusongelmia.")).to_be_visible()
    snap(page, "15-widget-dark-fi")


def test_a_pending_incident_is_declined_in_one_click_from_the_incident_list(page, host, runtime, installed, pending_incident):
    frame = app_frame(page, host)
    frame.get_by_role("tab", name="Incidents").click()
    row = frame.locator("tbody tr", has_text="#1")
    row.get_by_role("button", name="Decline", exact=True).click()
    expect(row.locator(".badge")).not_to_have_text("Waiting for your approval")
    expect(row.get_by_role("button", name="Decline", exact=True)).to_have_count(0)
    expect(frame.locator(".timeline")).to_contain_text("The customer gets an apology only.")
    runtime.jobs.drain()
    assert installed.gift_cards == {}, "declined: nothing is given"


def test_a_reship_is_explained_item_by_item_with_the_discount_on_the_one_kept(page, host, runtime, installed, api):
    from tests.ui.test_api_explained import RESHIP_HALF_OFF

    installed.add_variant("SKU-BLUE-M", 25, product_name="Blue shirt", name="M")
    installed.add_variant("SKU-GREEN-M", 40, product_name="Green shirt", name="M")
    use_policy(runtime, installed, RESHIP_HALF_OFF)
    order = track_order(installed, runtime, lines=[{"sku": "SKU-BLUE-M", "quantity": 1, "price": 25}])
    api(
        """mutation($o: ID!) { reportIncident(orderId: $o, kind: WRONG_ITEM, expectedSkus: ["SKU-BLUE-M"],
        sentSkus: ["SKU-GREEN-M"]) { created } }""",
        {"o": order["id"]},
    )
    runtime.jobs.drain()
    page.set_viewport_size({"width": 440, "height": 700})
    frame = app_frame(page, host, path="/dashboard/order-widget", orderId=order["id"])
    decision = frame.locator(".decision")
    expect(decision.locator("p")).to_have_text(
        "Your rule “Wrong item” gives the customer a free replacement, Blue shirt M, worth $45.00 in all. "
        "It waits for your approval."
    )
    expect(decision.locator(".amounts li")).to_have_text(
        ["Blue shirt M$25.00", "50% off the Green shirt M they keep$20.00", "Total goodwill$45.00"]
    )
    snap(page, "16-widget-reship-breakdown")


def test_a_refused_follow_up_note_reads_as_not_noted_in_german_and_the_follow_up_is_no_apology(
    page, host, runtime, installed, api, mail, clock
):
    """The timeline never says a note was written when Saleor refused it (notify/order_trace.py).
    Screenshots: test-artifacts/timeline-de-note-refused[-dark|-phone].png."""
    order = late_order_shipped_later(installed, runtime, clock)
    installed.fail_next("orderNoteAdd", times=1, status=403)
    runtime.jobs.drain()
    words = entries("de")
    heading = words["detail.heading"].format(number=order["number"], kind=words["kind.late_shipment"])
    for shot, theme, width in (("", "light", 1280), ("-dark", "dark", 1280), ("-phone", "light", 390)):
        page.set_viewport_size({"width": width, "height": 900})
        frame = app_frame(page, host, locale="de", theme=theme)
        frame.get_by_role("tab", name=words["tab.incidents"]).click()
        frame.get_by_role("button", name=heading).click()
        timeline = frame.locator("ol.timeline")
        refused = words["event.order_note.not_written"] + " Grund: „OrderNoteAdd: Saleor answered HTTP 403"
        expect(timeline).to_contain_text(refused)
        expect(timeline.get_by_text(words["event.order_note"])).to_have_count(1)  # the first e-mail's note only
        expect(timeline).to_contain_text(words["event.shipped"])
        # Only the first e-mail is the apology; the one saying it shipped is not called one.
        expect(timeline.get_by_text(words["event.emailed"].format(email="customer@example.com"))).to_have_count(1)
        expect(timeline).to_contain_text(words["event.emailed_other"].format(email="customer@example.com"))
        snap(page, f"timeline-de-note-refused{shot}")


def test_the_answers_to_a_customers_proposal_read_in_polish_with_the_amount_in_the_shops_currency(
    page, host, runtime, installed, api, client
):
    """The timeline words what the merchant and the customer answered (ui/event_facts.py), not English lines.
    Screenshot: test-artifacts/timeline-pl-counter-offer.png."""
    from tests.support.conftest import CUSTOMER_POLICY, csrf_of, link_path

    use_policy(runtime, installed, CUSTOMER_POLICY)
    order = track_order(installed, runtime)
    link = link_path(runtime, installed, order["id"])
    form = csrf_of(client.get(f"{link}/report").get_data(as_text=True))
    client.post(f"{link}/report", content_type="multipart/form-data", data={
        "csrf": form, "problem": "wrong_item", "lines": [order["lines"][0]["id"]], "fix": "replacement"})
    runtime.jobs.drain()
    (item,) = api("{ incidents { items { id } } }")["incidents"]["items"]
    api('mutation($id: ID!) { counterProposal(id: $id, amount: "4") { state } }', {"id": item["id"]})
    answer = {"csrf": csrf_of(client.get(link).get_data(as_text=True)), "answer": "decline"}
    (report_id,) = [r.id for r in rows(runtime, SupportReport)]
    assert client.post(f"{link}/answer", data={**answer, "report": report_id}).status_code == 303
    words = entries("pl")
    page.set_viewport_size({"width": 1280, "height": 900})
    frame = app_frame(page, host, locale="pl")
    frame.get_by_role("tab", name=words["tab.incidents"]).click()
    frame.get_by_role("button", name=words["detail.heading"].format(
        number=order["number"], kind=words["kind.customer_report"])).click()
    timeline = frame.locator("ol.timeline")
    # Polish writes the dollar amount as "4,00 USD"; the page formats it, the server sent "4.00" and "USD".
    expect(timeline).to_contain_text(words["event.proposal_countered"].split("{amount}")[0].format(by="staff@example.com"))
    expect(timeline).to_contain_text("4,00")
    expect(timeline).to_contain_text(words["event.pending_approval.counter_declined"])
    expect(timeline).not_to_contain_text("offered USD")
    expect(timeline).not_to_contain_text("The customer declined the counter-offer")
    snap(page, "timeline-pl-counter-offer")


def test_an_email_in_the_channels_language_is_explained_in_german_with_both_languages_named(
    page, host, runtime, installed, clock, mail
):
    """Screenshot: test-artifacts/timeline-de-language-fallback.png."""
    from tests.flows import late_order

    late_order(installed, runtime, clock, channel="channel-pln", languageCodeEnum="NB_NO")
    words = entries("de")
    page.set_viewport_size({"width": 1280, "height": 900})
    frame = app_frame(page, host, locale="de")
    frame.get_by_role("tab", name=words["tab.incidents"]).click()
    frame.get_by_role("button", name=re.compile(words["kind.late_shipment"])).click()
    timeline = frame.locator("ol.timeline")
    # The browser names both languages in German: Saleor's NB_NO as Norwegian (Bokmål), "pl" as Polish.
    said = words["event.language_fallback"].split("{wanted}")[0]
    expect(timeline).to_contain_text(re.compile(re.escape(said) + r"Norwegisch.*Polnisch"))
    expect(timeline).not_to_contain_text("No messages in the order's language")
    expect(timeline).to_contain_text(words["title.language_fallback"])
    expect(timeline).not_to_contain_text("language fallback")  # the type's name, shown when no title is known
    snap(page, "timeline-de-language-fallback")
