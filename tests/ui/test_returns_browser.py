"""Insights → "What the goodwill buys" in real Chromium: the table per rule and offer, the pygal chart served
by the app (no request leaves it), the CSV export, light and dark, and a phone's width.

Screenshots: test-artifacts/returns-<theme>-<language>.png and returns-phone-<theme>.png.
"""

from __future__ import annotations

import re

import pytest

from saleor_cs_app.jobs import returns_count
from tests.returns_seed import a_shop_half_a_year_on
from tests.ui.browser import snap
from tests.ui.conftest import tenant_id_of
from tests.ui.test_pages_browser import app_frame, browser, expect, host, page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

TAB = {"en": "Insights", "fi": "Tilastot"}
TITLE = {"en": "What the goodwill buys", "fi": "Mitä hyvitykset tuottavat"}
TOO_FEW = {"en": "too few to tell", "fi": "liian vähän tietoa"}
BASELINE = {"en": "No incident (baseline)", "fi": "Ei tapausta (vertailuryhmä)"}


@pytest.fixture
def counted(installed, runtime, clock):
    tenant = tenant_id_of(runtime, installed)
    with runtime.db.transaction() as session:
        a_shop_half_a_year_on(session, tenant, clock.now)
    returns_count.count_tenant(runtime, tenant)


def open_returns(page, host, theme, language):
    frame = app_frame(page, host, theme=theme, locale=language)
    frame.get_by_role("tab", name=TAB[language]).click()
    section = frame.locator(".returns")
    expect(section.get_by_role("heading", name=TITLE[language])).to_be_visible()
    expect(section.locator(".returns-chart svg")).to_be_visible()
    return frame, section


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "fi"])
def test_the_table_and_chart_in_both_themes_and_languages(page, host, counted, theme, language):
    frame, section = open_returns(page, host, theme, language)
    rows = section.locator(".returns-table tbody tr")
    # Two rules, each offer type over all rules, the apologies and the baseline.
    expect(rows).to_have_count(2 + 2 + 1 + 1)
    expect(section.locator("tr.group-baseline")).to_contain_text(BASELINE[language])
    first = section.locator(".returns-table tbody tr").first
    expect(first).to_contain_text("%")  # a rate, with its interval and its base beside it
    # The newest month's 180-day window is not watched yet: its base is shown, its rate is not.
    expect(section.get_by_text(TOO_FEW[language]).first).to_be_visible()
    svg = section.locator(".returns-chart svg")
    expect(svg.locator(".legends .legend")).to_have_count(4)
    # The chart's words follow the page: its text colour is the theme's.
    text_fill = svg.locator(".axis text").first.evaluate("el => getComputedStyle(el).fill")
    body_colour = frame.locator("body").evaluate("el => getComputedStyle(el).color")
    assert text_fill == body_colour
    outside = [u for u in page.requests if not u.startswith((host.url, host.app_url)) and not u.startswith("data:")]
    assert outside == [], "no CDN: the page and its chart come from the app"
    assert page.problems == []
    snap(page, f"returns-{theme}-{language}")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_at_a_phone_s_width_the_table_scrolls_inside_its_card_and_the_chart_fits(page, host, counted, theme):
    page.set_viewport_size({"width": 390, "height": 844})
    frame, section = open_returns(page, host, theme, "en")
    chart_width = section.locator(".returns-chart svg").evaluate("el => el.getBoundingClientRect().width")
    page_width = frame.locator("body").evaluate("el => el.clientWidth")
    assert chart_width <= page_width
    width = section.evaluate("el => el.getBoundingClientRect().width")
    assert width <= page_width, "the section fits the phone; the table scrolls sideways in its own box"
    scroller = section.locator(".table-scroll")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX === 'auto'")
    frame.locator("html").evaluate("() => window.scrollTo(0, 0)")  # the click on the tab scrolled sideways
    snap(page, f"returns-phone-{theme}")


def test_the_csv_export_downloads_every_group_with_its_base(page, host, counted):
    frame, section = open_returns(page, host, "light", "en")
    with page.expect_download() as download:
        section.get_by_role("button", name="Download CSV").click()
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()
    assert lines[0].startswith("group,rule,offer_type,currency,incidents,held_back,goodwill_spent")
    assert [line.split(",")[0] for line in lines[1:]] == ["compensated"] * 4 + ["apology", "baseline"]


def test_the_policy_simulation_expects_the_returns_of_its_offers(page, host, runtime, counted, pending_incident, api):
    api("mutation($id: ID!) { approveIncident(id: $id) { id } }", {"id": pending_incident})
    runtime.jobs.drain()
    frame = app_frame(page, host)
    rule = frame.locator("article.rule").first
    rule.get_by_label("Amount", exact=True).fill("40")
    frame.get_by_role("button", name="Simulate last 90 days").click()
    returns_row = frame.get_by_role("row", name=re.compile("Customers back within 90 days"))
    expect(returns_row).to_be_visible()
    # Both the live gift card and the candidate's are a gift card: the same rate, a count of about one.
    expect(returns_row.get_by_role("cell")).to_have_text([re.compile("Customers back"), re.compile(r"≈ \d"), re.compile(r"≈ \d")])
    snap(page, "returns-simulation")


@pytest.mark.parametrize("language", ["en", "fi"])
def test_the_incident_s_timeline_says_on_which_order_its_voucher_was_used(
    page, host, installed, runtime, clock, api, language
):
    from tests.ui.test_goodwill_returns_flow import late_order_with_voucher, order_using

    first, code = late_order_with_voucher(installed, runtime, clock)
    again = order_using(installed, voucher_code=code, taken=10)
    installed.send_webhook("ORDER_CREATED", order_id=again["id"])
    runtime.jobs.drain()
    frame = app_frame(page, host, locale=language)
    frame.get_by_role("tab", name={"en": "Incidents", "fi": "Tapaukset"}[language]).click()
    frame.locator(".list tbody tr").first.get_by_role("button").first.click()
    used = {"en": f"Used on order #{again['number']}: $10.00 off.",
            "fi": f"Käytetty tilauksessa nro {again['number']}: 10,00 $ alennusta."}[language]
    entry = frame.locator(".timeline li.goodwill_used")
    expect(entry).to_contain_text({"en": "Code used", "fi": "Koodi käytetty"}[language])
    expect(entry).to_contain_text(re.compile(re.escape(used).replace(r"\ ", r"\s")))
    snap(page, f"returns-incident-used-{language}")
