"""The HTML e-mails in real Chromium at phone width: nothing overflows, nothing loads from outside,
the one button is on screen, and dark mode keeps text readable. Screenshots: test-artifacts/messages-<lang>.png."""

from __future__ import annotations

import pytest

from saleor_cs_app.notify.context import SHIPPED_LANGUAGES, sample_context
from saleor_cs_app.notify.render import render_message
from tests.ui.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def browser():
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open(browser, html: str, *, color_scheme: str = "light"):
    page = browser.new_page(viewport=PHONE, color_scheme=color_scheme)
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url))
    page.set_content(html, wait_until="load")
    return page, outside


def _luminance(rgb: str) -> float:
    r, g, b = (int(part) / 255 for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(fg: str, bg: str) -> float:
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_a_late_delivery_e_mail_fits_a_phone_screen_and_loads_nothing_from_outside(browser, language):
    ctx = sample_context("late_delivery", "gift_card", language)
    msg = render_message(ctx)
    page, outside = _open(browser, msg.html)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert outside == []  # no images, fonts or styles fetched
        button = page.locator("td.button a")
        assert button.count() == 1  # one next step
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert button.get_attribute("href") == ctx.support_url  # tell us if it does not come
        assert page.locator(f'a[href="{ctx.tracking_url}"]').count() == 1  # the parcel, easy to follow
        body = page.inner_text("body")
        assert ctx.offer_code in body and ctx.order_number in body and ctx.tracking_number in body
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"messages-{language}.png"), full_page=True)
    finally:
        page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_stays_readable_in_light_and_dark_mode(browser, scheme):
    msg = render_message(sample_context("wrong_item", "reship", "de"))
    page, _ = _open(browser, msg.html, color_scheme=scheme)
    try:
        pairs = page.evaluate(
            """() => [...document.querySelectorAll('td.text, td.box')].map(td => [
                getComputedStyle(td).color, getComputedStyle(td).backgroundColor === 'rgba(0, 0, 0, 0)'
                    ? getComputedStyle(td.closest('table.card')).backgroundColor
                    : getComputedStyle(td).backgroundColor])"""
        )
        assert pairs
        for fg, bg in pairs:
            assert _contrast(fg, bg) >= 7, (scheme, fg, bg)
        card = page.evaluate("getComputedStyle(document.querySelector('table.card')).backgroundColor")
        assert (_luminance(card) < 0.1) == (scheme == "dark")
        if scheme == "dark":
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "messages-de-dark.png"), full_page=True)
    finally:
        page.close()
