"""The order page in real Chromium: a delivered order, one in transit with six scans, a split order, a parcel
waiting at a pickup point and an open offer — each at phone and desktop width, light and dark, shot into
test-artifacts/order-page-<case>-<width>-<scheme>.png, and checked by axe-core (WCAG 2.2 A and AA) with zero
violations. Saleor's media is played by a route that answers the thumbnails; no other request leaves the app.
"""

from __future__ import annotations

import io
import os
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from PIL import Image

from tests.aftership_stand_in import AfterShipStandIn
from tests.browser_tools.axe import axe_source, violations
from tests.flows import use_policy
from tests.support.conftest import CUSTOMER_POLICY, link_path
from tests.support.order_page_fixtures import (
    MEDIA,
    aftership_hook,
    in_transit_with_six_scans,
    placed,
    scan,
    shipped,
)
from tests.support.test_answers import COUNTER, report
from tests.ui.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS
from tests.ui.conftest import Api

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def axe() -> str:
    return axe_source()  # raises, never skips, when axe-core cannot be had


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def aftership(runtime):
    with AfterShipStandIn() as stand_in:
        runtime.settings = runtime.settings.with_changes(aftership_api_url=stand_in.url)
        yield stand_in


@pytest.fixture
def hook(runtime, installed, aftership):
    return aftership_hook(runtime, installed, aftership)


def thumbnail() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (128, 128), (120, 150, 200)).save(out, "WEBP")
    return out.getvalue()


def check_everywhere(browser, app_server, axe, path: str, case: str, *, on_page=None) -> None:
    """The page at both widths in both schemes: shot, no request outside the app and Saleor's media, no
    console error, and no axe violation."""
    picture = thumbnail()
    for width, viewport in VIEWPORTS.items():
        for scheme in ("light", "dark"):
            context = browser.new_context(viewport=viewport, color_scheme=scheme)
            page = context.new_page()
            page.set_default_timeout(10_000)
            outside, errors = [], []
            page.route(f"{MEDIA}/**", lambda route: route.fulfill(status=200, body=picture, content_type="image/webp"))
            allowed = {urlsplit(app_server.url).netloc, urlsplit(MEDIA).netloc}
            page.on("request", lambda r: outside.append(r.url) if urlsplit(r.url).scheme in ("http", "https")
                    and urlsplit(r.url).netloc not in allowed else None)  # fmt: skip
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(app_server.url + path)
            page.wait_for_load_state("networkidle")
            if on_page:
                on_page(page)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"order-page-{case}-{width}-{scheme}.png"), full_page=True)
            found = violations(page, axe)
            context.close()
            assert found == [], (case, width, scheme, found)
            assert outside == [] and errors == [], (case, width, scheme, outside, errors)


def test_a_delivered_order(browser, app_server, axe, installed, runtime, clock, aftership, hook):
    order = placed(installed, runtime)
    shipped(installed, runtime, order, "JJD000999888777")
    scan(runtime, aftership, hook, "JJD000999888777", "InTransit", "Picked up", "Helsinki, FI", clock.now - timedelta(days=2))
    scan(runtime, aftership, hook, "JJD000999888777", "Delivered", "Delivered to the front door", "Tampere, FI",
         clock.now - timedelta(hours=3))  # fmt: skip

    def delivered(page):
        expect(page.locator('[aria-current="step"]')).to_have_text("Delivered")
        expect(page.get_by_text("Delivered on")).to_be_visible()

    check_everywhere(browser, app_server, axe, link_path(runtime, installed, order["id"]), "delivered", on_page=delivered)


def test_an_order_in_transit_with_six_scans(browser, app_server, axe, installed, runtime, clock, aftership, hook):
    order = in_transit_with_six_scans(installed, runtime, clock, aftership, hook)

    def six(page):
        expect(page.locator(".scans li")).to_have_count(6)
        expect(page.locator(".scans li").first).to_contain_text("Out for delivery")
        expect(page.locator('[aria-current="step"]')).to_have_text("Out for delivery")

    check_everywhere(browser, app_server, axe, link_path(runtime, installed, order["id"]), "in-transit", on_page=six)


def test_a_split_order(browser, app_server, axe, installed, runtime):
    order = placed(installed, runtime)
    tshirt, mug = order["lines"]
    shipped(installed, runtime, order, "TRK-A", [(tshirt["id"], 1)])
    shipped(installed, runtime, order, "TRK-B", [(mug["id"], 1)])

    def split(page):
        expect(page.locator(".parcel")).to_have_count(3)  # two parcels and what is not sent yet
        expect(page.locator('[aria-current="step"]')).to_have_text(["Dispatched", "Dispatched", "Ordered"])

    check_everywhere(browser, app_server, axe, link_path(runtime, installed, order["id"]), "split", on_page=split)


def test_a_parcel_waiting_at_a_pickup_point(browser, app_server, axe, installed, runtime, clock, aftership, hook):
    order = placed(installed, runtime)
    shipped(installed, runtime, order, "JJD000555444333")
    scan(runtime, aftership, hook, "JJD000555444333", "InTransit", "On its way", "Helsinki, FI", clock.now - timedelta(days=1))
    scan(runtime, aftership, hook, "JJD000555444333", "AvailableForPickup", "Ready for collection at the parcel locker",
         "Parcel locker K-Market Hervanta, Tampere", clock.now - timedelta(hours=2))  # fmt: skip

    def pickup(page):
        expect(page.locator('[aria-current="step"]')).to_have_text("Ready to collect")
        expect(page.get_by_text("Parcel locker K-Market Hervanta, Tampere")).to_be_visible()

    check_everywhere(browser, app_server, axe, link_path(runtime, installed, order["id"]), "pickup", on_page=pickup)


def test_an_open_offer_stays_on_top(browser, app_server, axe, installed, runtime, client):
    use_policy(runtime, installed, CUSTOMER_POLICY)
    order = placed(installed, runtime)
    shipped(installed, runtime, order, "TRK-OFFER")
    link = link_path(runtime, installed, order["id"])
    report(client, link, order)
    runtime.jobs.drain()
    from tests.flows import incidents

    (incident,) = incidents(runtime)
    Api(client, installed)(COUNTER, {"id": incident.id, "percent": "25", "note": "Keep them for 25 % off"})
    runtime.jobs.drain()

    def offer(page):
        first = page.locator("main section").first
        expect(first.locator(".offer")).to_be_visible()
        expect(first.get_by_role("button", name="Accept")).to_be_visible()

    check_everywhere(browser, app_server, axe, link, "offer", on_page=offer)


def test_the_shops_brand_heads_the_page(browser, app_server, axe, installed, runtime, client):
    from base64 import b64encode

    from tests.support.conftest import png_bytes
    from tests.ui.test_api_brand import LOGO, UPDATE

    api = Api(client, installed)
    assert api(UPDATE, {"name": "Northwind Goods", "accent": "#1a5e3a", "email": "help@northwind.example",
                        "url": "https://northwind.example/help"})["updateBrand"]["ok"]  # fmt: skip
    assert api(LOGO, {"image": b64encode(png_bytes((240, 80))).decode()})["setBrandLogo"]["ok"]
    order = placed(installed, runtime)
    shipped(installed, runtime, order, "TRK-BRAND")

    def branded(page):
        expect(page.locator("header .shop")).to_have_text("Northwind Goods")
        expect(page.locator("header img.logo")).to_be_visible()
        expect(page.get_by_role("link", name="help@northwind.example")).to_be_visible()

    check_everywhere(browser, app_server, axe, link_path(runtime, installed, order["id"]), "branded", on_page=branded)
