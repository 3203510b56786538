"""The customer's pages in real Chromium, from the link in a real e-mail to the answer in the inbox.

Screenshots of every customer page at phone width (375) and on a desktop go to
test-artifacts/support-*.png.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import pytest

from saleor_cs_app.jobs import sweep
from saleor_cs_app.store.models import SupportReport
from tests.flows import incidents, outbox, rows, use_policy
from tests.support.conftest import CUSTOMER_POLICY, jpeg_with_gps, link_path
from tests.ui.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, DashboardHost
from tests.ui.conftest import Api

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
# Refunds up to 5 are accepted by the policy alone; the mug (more than that) waits for the merchant.
WAITS_FOR_MERCHANT = {
    **CUSTOMER_POLICY,
    "rules": [{**CUSTOMER_POLICY["rules"][0], "when": {"sources": ["customer"], "max_proposal_value": {"USD": 5}}}],
}


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, app_server):
    """open_page(viewport) → a page that fails the test on console errors or requests leaving the app."""
    contexts = []

    def open_(viewport=PHONE, *, also: str | None = None):
        if also:
            allowed.add(urlsplit(also).netloc)
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.problems = []
        page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        page.on("request", lambda r: page.problems.append(f"outside: {r.url}") if _outside(r.url, allowed) else None)
        return page

    allowed = {urlsplit(app_server.url).netloc}
    yield open_
    for context in contexts:
        for page in context.pages:
            assert page.problems == [] or all("status of 4" in p for p in page.problems), page.problems
        context.close()


def _outside(url: str, allowed: set[str]) -> bool:
    return urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc not in allowed


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"support-{name}.png"), full_page=True)


def link_in_email(mail, app_url: str) -> str:
    html = mail.messages[-1].message.get_body(("html",)).get_content()
    return re.search(r'href="(' + re.escape(app_url) + r'/support/o/[^"]+)"', html).group(1)


def test_from_the_email_link_to_a_report_with_a_photo_accepted_by_the_merchant_and_refunded(
    open_page, installed, app_server, runtime, clock, mail, tmp_path
):
    use_policy(runtime, installed, WAITS_FOR_MERCHANT)
    runtime.settings = runtime.settings.with_changes(photo_dir=str(tmp_path / "photos"))
    order = installed.add_order(languageCodeEnum="EN")
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    runtime.jobs.drain()
    clock.advance(days=10)
    sweep.run(runtime)  # the late shipment: the customer gets the apology, with the support link
    runtime.jobs.drain()
    link = link_in_email(mail, runtime.settings.app_url)

    page = open_page(PHONE)
    page.goto(link)
    expect(page.get_by_role("heading", name=f"Order #{order['number']}")).to_be_visible()
    expect(page.get_by_role("heading", name="Not dispatched on time")).to_be_visible()
    shot(page, "order-phone")

    page.get_by_role("link", name="Report a problem").click()
    expect(page.get_by_role("heading", name="Report a problem")).to_be_visible()
    shot(page, "report-phone")
    page.get_by_label("It arrived damaged").check()
    mug = next(line for line in order["lines"] if line["productSku"] == "SKU-MUG")
    page.get_by_label(re.compile(r"Mug")).check()
    photo = tmp_path / "mug.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.get_by_label("Photos (up to 3)").set_input_files(str(photo))
    page.get_by_label("What happened? (optional)").fill("The handle broke off in the box.")
    page.get_by_label("Refund these items").check()
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("status")).to_contain_text("we've received your report")
    runtime.jobs.drain()
    page.reload()
    expect(page.get_by_text("Waiting for our answer.")).to_be_visible()
    shot(page, "sent-phone")
    assert "report_received" in [m.purpose for m in outbox(runtime)]

    # The merchant answers in the dashboard page.
    (incident,) = [i for i in incidents(runtime) if i.kind == "customer_report"]
    assert incident.state == "pending_approval"
    with DashboardHost(app_server.url, installed) as host:
        dashboard = open_page(DESKTOP, also=host.url)
        dashboard.goto(host.open_url("/dashboard/"))
        frame = dashboard.frame_locator("#app")
        frame.get_by_role("tab", name="Incidents").click()
        frame.get_by_role("button", name=f"Order #{order['number']}: Customer report").click()
        expect(frame.get_by_text("The customer's report", exact=True)).to_be_visible()
        expect(frame.get_by_role("img", name="Customer photo 1 of 1")).to_be_visible()
        loaded = frame.get_by_role("img", name="Customer photo 1 of 1").evaluate("img => img.naturalWidth")
        assert loaded == 64, "the signed photo URL serves the re-encoded photo"
        dashboard.screenshot(path=str(ARTIFACTS / "support-dashboard-proposal.png"), full_page=True)
        frame.get_by_role("button", name="Accept: refund the items").click()
        expect(frame.get_by_text("Proposal accepted").first).to_be_visible()
    runtime.jobs.drain()

    granted = installed.orders[order["id"]]["grantedRefunds"]
    assert [float(g["amount"]["amount"]) for g in granted] == [float(mug["unitPrice"]["gross"]["amount"])]
    answer = [m for m in mail.messages if m.rcpt_tos == (order["userEmail"],)][-1]
    assert sorted(m.purpose for m in outbox(runtime) if m.incident_id == incident.id) == [
        "proposal_accepted",
        "report_received",
    ]
    assert link_in_email(mail, runtime.settings.app_url).startswith(f"{runtime.settings.app_url}/support/o/")
    assert answer.message["To"] == order["userEmail"]
    # The customer's page, still open since the report, shows the answer without a reload.
    expect(page.get_by_text("Agreed.", exact=True)).to_be_visible(timeout=20_000)
    expect(page.get_by_text("The fix was agreed.")).to_be_visible()
    shot(page, "accepted-phone")


def test_a_counter_offer_is_accepted_by_the_customer_on_the_page(open_page, installed, runtime, client, order, mail):
    use_policy(runtime, installed, WAITS_FOR_MERCHANT)
    link = link_path(runtime, installed, order["id"])
    desktop = open_page(DESKTOP)
    desktop.goto(f"{runtime.settings.app_url}{link}/report")
    shot(desktop, "report-desktop")
    desktop.get_by_label("I got the wrong item").check()
    desktop.get_by_label(re.compile(r"T-shirt")).check()
    desktop.get_by_label("Send a replacement").check()
    desktop.get_by_role("button", name="Send the report").click()
    expect(desktop.get_by_role("status")).to_be_visible()
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    Api(client, installed)(
        'mutation C($id: ID!) { counterProposal(id: $id, amount: "8", note: "We are out of that size") { state } }',
        {"id": incident.id},
    )
    runtime.jobs.drain()
    assert "counter_offer:1" in [m.purpose for m in outbox(runtime)]

    desktop.goto(f"{runtime.settings.app_url}{link}")
    expect(desktop.get_by_text("Our offer:")).to_be_visible()
    shot(desktop, "counter-desktop")
    phone = open_page(PHONE)
    phone.goto(f"{runtime.settings.app_url}{link}")
    shot(phone, "counter-phone")
    phone.get_by_role("button", name="Accept the offer").click()
    expect(phone.get_by_role("status")).to_contain_text("your answer has been saved")
    runtime.jobs.drain()
    assert [float(g["amount"]["amount"]) for g in installed.orders[order["id"]]["grantedRefunds"]] == [8.0]
    (report_row,) = rows(runtime, SupportReport)
    assert report_row.state == "accepted"
    desktop.goto(f"{runtime.settings.app_url}{link}")
    shot(desktop, "order-desktop")


def test_a_tampered_link_shows_a_friendly_page(open_page, runtime, link):
    page = open_page(PHONE)
    response = page.goto(f"{runtime.settings.app_url}{link[:-3]}abc")
    assert response.status == 404
    expect(page.get_by_role("heading", name="This link doesn't work")).to_be_visible()
    shot(page, "error-phone")
    page.problems.clear()  # the 404 itself is logged by Chromium


def test_a_non_image_upload_is_refused_in_the_page(open_page, runtime, link, tmp_path):
    page = open_page(DESKTOP)
    page.goto(f"{runtime.settings.app_url}{link}/report")
    page.get_by_label("An item or a part is missing").check()
    page.get_by_label(re.compile(r"Mug")).check()
    fake = tmp_path / "receipt.jpg"
    fake.write_bytes(b"%PDF-1.7\n this is not a photo")
    page.get_by_label("Photos (up to 3)").set_input_files(str(fake))
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("alert")).to_contain_text("We can't accept receipt.jpg")
    expect(page.get_by_label("An item or a part is missing")).to_be_checked()
    shot(page, "report-error-desktop")
    page.problems.clear()
    assert rows(runtime, SupportReport) == []


def test_the_order_lookup_page_on_a_phone(open_page, installed, runtime, order):
    from saleor_cs_app.support.lookup import shop_key
    from tests.support.conftest import tenant_row

    tenant = tenant_row(runtime, installed)
    page = open_page(PHONE)
    page.goto(
        f"{runtime.settings.app_url}/support/find/{shop_key(runtime.settings.secret_key, tenant.id, tenant.saleor_api_url)}"
    )
    page.get_by_label("Order number").fill(order["number"])
    page.get_by_label("Email address").fill(order["userEmail"])
    shot(page, "find-phone")
    page.get_by_role("button", name="Find my order").click()
    expect(page.get_by_role("heading", name=f"Order #{order['number']}")).to_be_visible()


def test_an_expired_link_finds_the_order_right_on_its_own_page(open_page, installed, runtime, clock, order):
    from datetime import timedelta

    from saleor_cs_app.links import support_url
    from tests.support.conftest import tenant_row

    old = support_url(runtime.settings, tenant_row(runtime, installed), order["id"], clock.now - timedelta(days=61))
    page = open_page(PHONE)
    assert page.goto(old).status == 410
    expect(page.get_by_role("alert")).to_have_text("This link has expired. Find your order below to open it again.")
    page.get_by_label("Order number").fill(order["number"])
    page.get_by_label("Email address").fill(order["userEmail"])
    shot(page, "expired-phone")
    page.get_by_role("button", name="Find my order").click()
    expect(page.get_by_role("heading", name=f"Order #{order['number']}")).to_be_visible()
    page.problems.clear()  # the 410 itself is logged by Chromium


def test_a_later_delivery_asked_before_shipping_reaches_the_merchant(
    open_page, runtime, installed, client, link, clock
):
    from datetime import timedelta

    page = open_page(PHONE)
    page.goto(f"{runtime.settings.app_url}{link}")
    page.get_by_role("link", name="Ask for a change").click()
    expect(page.get_by_role("heading", name="Ask for a change before it's dispatched")).to_be_visible()
    page.get_by_label("Deliver it later").check()
    page.get_by_label("Deliver no earlier than").fill((clock.now + timedelta(days=10)).date().isoformat())
    shot(page, "request-phone")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("status")).to_contain_text("we've received your request")
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert incident.state == "pending_approval" and incident.facts["request"] == "later_delivery"
    Api(client, installed)("mutation A($id: ID!) { acceptProposal(id: $id) { state } }", {"id": incident.id})
    runtime.jobs.drain()
    expect(page.get_by_text("Agreed.", exact=True)).to_be_visible(timeout=20_000)
    shot(page, "request-answered-phone")
    assert "request_answered" in [m.purpose for m in outbox(runtime)]
