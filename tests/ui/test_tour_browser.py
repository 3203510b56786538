"""Every tab, the order widget and the report popup, in light and dark, in English and Finnish.

Screenshots: test-artifacts/tour-<theme>-<language>-<page>.png. The page loads Inter from the app itself,
uses the dashboard's blue-grey dark background, and speaks the language the dashboard passes.
"""

from __future__ import annotations

import pytest

from tests.ui.browser import snap
from tests.ui.test_pages_browser import app_frame, browser, expect, host, page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

WORDS = {
    "en": {"tabs": ["Policy", "Messages", "Incidents", "Tracking", "Insights"], "incidents": "1 incident",
           "insights": "incidents this month", "widget": "Waiting for your approval", "popup": "What went wrong?"},
    "fi": {"tabs": ["Käytäntö", "Viestit", "Tapaukset", "Seuranta", "Tilastot"], "incidents": "1 tapaus",
           "insights": "tapausta tässä kuussa", "widget": "Odottaa hyväksyntääsi", "popup": "Mikä meni vikaan?"},
}
SHOWN = {"policy": ".savebar", "messages": ".preview-frame", "incidents": "tbody tr", "tracking": ".card", "insights": ".stat"}
BACKGROUND = {"light": "rgb(255, 255, 255)", "dark": "rgb(38, 40, 54)"}  # macaw-ui default1


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "fi"])
def test_every_page_in_both_themes_and_languages(page, host, installed, runtime, pending_incident, api, theme, language):
    words = WORDS[language]
    order_id = api("query($id: ID!) { incident(id: $id) { orderId } }", {"id": pending_incident})["incident"]["orderId"]
    frame = app_frame(page, host, theme=theme, locale=language)
    expect(frame.locator("html")).to_have_attribute("lang", language)
    expect(frame.locator("body")).to_have_css("background-color", BACKGROUND[theme])
    expect(frame.locator("body")).to_have_css("font-family", "Inter, system-ui, sans-serif")
    assert frame.locator("html").evaluate("() => document.fonts.check('14px Inter')")
    assert frame.locator(".tabs [role=tab]").all_inner_texts() == words["tabs"]

    for name, tab in zip(words["tabs"], ["policy", "messages", "incidents", "tracking", "insights"]):
        frame.get_by_role("tab", name=name).click()
        expect(frame.locator(f"#panel-{tab} {SHOWN[tab]}").first).to_be_visible()
        snap(page, f"tour-{theme}-{language}-{tab}")
    expect(frame.locator("#panel-incidents [role=status]")).to_have_text(words["incidents"])
    expect(frame.get_by_text(words["insights"])).to_be_visible()

    page.set_viewport_size({"width": 440, "height": 700})
    widget = app_frame(page, host, path="/dashboard/order-widget", orderId=order_id, theme=theme, locale=language)
    expect(widget.locator(".widget-block .badge").first).to_have_text(words["widget"])
    snap(page, f"tour-{theme}-{language}-widget")

    page.set_viewport_size({"width": 720, "height": 700})
    popup = app_frame(page, host, path="/dashboard/report", orderId=order_id, theme=theme, locale=language)
    expect(popup.get_by_text(words["popup"])).to_be_visible()
    assert popup.locator("#app h1").count() == 0, "the dashboard's popup already shows the title"
    snap(page, f"tour-{theme}-{language}-popup")
