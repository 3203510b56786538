"""Insights → "Promises you can keep" in real Chromium: the advice per shipping method with its base and
sureness, "too few to tell" below the minimum, the link into the dashboard (an AppBridge redirect), applying
the advised maximumDeliveryDays after a confirmation where the app holds MANAGE_SHIPPING, and the on-time trend
(the app's pygal SVG) with its CSV; light and dark, and a phone's width.

Screenshots: test-artifacts/advice-<theme>-<language>.png, advice-apply.png, advice-phone-<theme>.png.
"""

from __future__ import annotations

import re

import pytest

from tests.advice_seed import three_months_of_deliveries
from tests.ui.browser import snap
from tests.ui.conftest import tenant_id_of
from tests.ui.test_api_promise_advice import grant
from tests.ui.test_pages_browser import app_frame, browser, expect, host, page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

TAB = {"en": "Insights", "fi": "Tilastot"}
TITLE = {"en": "Promises you can keep", "fi": "Lupaukset, jotka pystyt pitämään"}
TOO_FEW = {"en": "too few to tell", "fi": "liian vähän tietoa"}
SHIPPING_STAFF = "MANAGE_ORDERS,MANAGE_SHIPPING"


@pytest.fixture
def seeded(installed, runtime, clock):
    with runtime.db.transaction() as session:
        return three_months_of_deliveries(session, tenant_id_of(runtime, installed), clock.now)


def open_advice(page, host, theme="light", language="en", **params):
    frame = app_frame(page, host, theme=theme, locale=language, **params)
    frame.get_by_role("tab", name=TAB[language]).click()
    section = frame.locator(".advice")
    expect(section.get_by_role("heading", name=TITLE[language])).to_be_visible()
    expect(section.locator(".advice-chart svg")).to_be_visible()
    return frame, section


def redirects(page) -> list[str]:
    return [a["payload"]["to"] for a in page.evaluate("window.actions") if a["type"] == "redirect"]


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "fi"])
def test_the_advice_and_trend_in_both_themes_and_languages(page, host, seeded, theme, language):
    frame, section = open_advice(page, host, theme, language)
    rows = section.locator(".advice-table tbody tr")
    expect(rows).to_have_count(3)
    standard = section.locator('tr[data-method="standard"]')
    expect(standard).to_contain_text(re.compile(r"7[0-9] %"))  # three in four kept, with its base beside it
    expect(standard.locator("td").nth(0)).to_contain_text(re.compile(r"\d+\D+\d+"))
    # Economy's six parcels are below the minimum: no share, its base still shown.
    economy = section.locator('tr[data-method="economy"] td')
    expect(economy.nth(0)).to_contain_text(TOO_FEW[language])
    expect(economy.nth(1)).to_contain_text(TOO_FEW[language])  # nor a promise to advise
    svg = section.locator(".advice-chart svg")
    expect(svg.locator(".legends .legend")).to_have_count(3)
    text_fill = svg.locator(".axis text").first.evaluate("el => getComputedStyle(el).fill")
    body_colour = frame.locator("body").evaluate("el => getComputedStyle(el).color")
    assert text_fill == body_colour, "the chart's words take the theme's colour"
    outside = [u for u in page.requests if not u.startswith((host.url, host.app_url)) and not u.startswith("data:")]
    assert outside == [], "no CDN: the page and its chart come from the app"
    assert page.problems == []
    section.scroll_into_view_if_needed()
    snap(page, f"advice-{theme}-{language}")


def test_without_manage_shipping_the_button_opens_the_shipping_zones_searched_by_name(page, host, seeded):
    frame, section = open_advice(page, host)
    expect(section.get_by_text("grant the app the Manage shipping permission")).to_be_visible()
    expect(section.get_by_role("button", name=re.compile("Set the maximum"))).to_have_count(0)
    section.locator('tr[data-method="express"]').get_by_role("button", name="Find in shipping zones").click()
    page.wait_for_function("window.actions.some(a => a.type === 'redirect')")
    assert redirects(page) == ["/shipping/?query=Express"]


def test_with_manage_shipping_one_click_opens_the_method_and_a_confirmed_click_applies_the_advice(
    page, host, seeded, installed, api
):
    grant(installed, "MANAGE_SHIPPING")
    advised = {a["shippingMethod"]: a["maximumDeliveryDays"]["days"]
               for a in api("{ promiseAdvice { shippingMethod maximumDeliveryDays { days } } }")["promiseAdvice"]}
    frame, section = open_advice(page, host, staff=SHIPPING_STAFF)
    row = section.locator('tr[data-method="express"]')
    expect(row).to_contain_text("Express")  # the name as Saleor spells it, now that the app may read it
    row.get_by_role("button", name="Open shipping method").click()
    page.wait_for_function("window.actions.some(a => a.type === 'redirect')")
    express = next(m for m in installed.shipping_methods.values() if m["name"] == "Express")
    (to,) = redirects(page)
    assert re.fullmatch(r"/shipping/[A-Za-z0-9%]+/[A-Za-z0-9%]+", to), to
    row.get_by_role("button", name=f"Set the maximum to {advised['express']}").click()
    dialog = row.get_by_role("alertdialog")
    expect(dialog).to_contain_text(f"from 2 to {advised['express']}")
    assert express["maximumDeliveryDays"] == 2, "nothing changes before the merchant confirms"
    dialog.get_by_role("button", name="Yes, change it").click()
    expect(frame.locator("#toast")).to_contain_text(f"Express: maximum delivery days set to {advised['express']}.")
    assert express["maximumDeliveryDays"] == advised["express"]
    assert len([m for m in installed.mutations if m.field == "shippingPriceUpdate"]) == 1
    expect(row).to_contain_text(f"now {advised['express']} in zone Americas")
    assert page.problems == []
    snap(page, "advice-apply")


def test_the_trend_by_destination_and_its_csv(page, host, seeded):
    frame, section = open_advice(page, host)
    section.get_by_label("Group by").select_option("country")
    expect(section.locator(".advice-chart svg .legends .legend")).to_have_count(3)
    expect(section.locator(".advice-chart svg")).to_contain_text("FI")
    with page.expect_download() as download:
        section.get_by_role("button", name="Download CSV").click()
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()
    assert lines[0] == "month,country,delivered,on_time,rate,too_few"
    assert {line.split(",")[1] for line in lines[1:]} == {"FI", "DE", "SE"}
    assert sum(int(line.split(",")[2]) for line in lines[1:]) == sum(seeded.values())


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_at_a_phone_s_width_the_table_scrolls_inside_its_card_and_the_chart_fits(page, host, seeded, theme):
    page.set_viewport_size({"width": 390, "height": 844})
    frame, section = open_advice(page, host, theme)
    page_width = frame.locator("body").evaluate("el => el.clientWidth")
    assert section.locator(".advice-chart svg").evaluate("el => el.getBoundingClientRect().width") <= page_width
    assert section.evaluate("el => el.getBoundingClientRect().width") <= page_width
    frame.locator("html").evaluate("() => window.scrollTo(0, 0)")
    section.scroll_into_view_if_needed()
    snap(page, f"advice-phone-{theme}")
