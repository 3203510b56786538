"""Every tab, the order widget and the report popup, in light and dark, in English and Finnish.

Screenshots: test-artifacts/tour-<theme>-<language>-<page>.png. The page loads Inter from the app itself,
uses the dashboard's blue-grey dark background, and speaks the language the dashboard passes: in Finnish the
Policy form, the mail-server card, the Tracking tab and a customer's report show no English sentence.
"""

from __future__ import annotations

import re

import pytest

from saleor_cs_app.problems.review import review
from tests.support.conftest import CUSTOMER_POLICY, csrf_of, link_path
from tests.ui.browser import snap
from tests.ui.conftest import GIFT_CARD_POLICY, report_wrong_item, tenant_id_of, track_order, use_policy
from tests.ui.test_pages_browser import app_frame, browser, expect, host, page  # noqa: F401 (fixtures)
from tests.ui.test_strings import PLACEHOLDER, entries

pytestmark = pytest.mark.browser

WORDS = {
    "en": {"tabs": ["Policy", "Messages", "Incidents", "Tracking", "Insights"], "incidents": "2 incidents",
           "insights": "incidents this month", "widget": "Waiting for your approval", "popup": "What went wrong?",
           "policy": "Handling days", "mail": "Your mail server (SMTP URL)", "tracking": "AfterShip API key",
           "report": "Customer report", "proposal": "Accept: send a replacement"},
    "fi": {"tabs": ["Käytäntö", "Viestit", "Tapaukset", "Seuranta", "Tilastot"], "incidents": "2 tapausta",
           "insights": "tapausta tässä kuussa", "widget": "Odottaa hyväksyntääsi", "popup": "Mikä meni vikaan?",
           "policy": "Käsittelyaika (arkipäivää)", "mail": "Oma sähköpostipalvelimesi (SMTP-URL)",
           "tracking": "AfterShipin API-avain", "report": "Asiakkaan ilmoitus", "proposal": "Hyväksy: lähetä korvaava tuote"},
}
SHOWN = {"policy": ".savebar", "messages": ".preview-frame", "incidents": "tbody tr", "tracking": ".card", "insights": ".stat"}
UNTRANSLATED_KEY = re.compile(r"\b(pf|policy|sim|mailserver|tracking|proposal)\.[a-z_.]+")  # t() answers a missing key with itself
BACKGROUND = {"light": "rgb(255, 255, 255)", "dark": "rgb(38, 40, 54)"}  # macaw-ui default1


def english_phrases(language: str) -> list[str]:
    """Every run of two or more English words in en.js that the language words differently (or not at all)."""
    english, translated = entries("en"), entries(language)
    return sorted({
        part.strip() for key, text in english.items() if translated.get(key) != text
        for part in PLACEHOLDER.split(text)[::2] if len(re.findall(r"[A-Za-z]{2,}", part)) >= 2
    })


def speaks_only(language: str, **areas) -> None:
    """Each area (a locator) shows no English phrase of en.js and no bare key; hidden panels are read too."""
    phrases = english_phrases(language)
    for name, area in areas.items():
        shown = area.text_content()
        assert [p for p in phrases if p in shown] == [], f"the {name} still speaks English"
        assert not UNTRANSLATED_KEY.search(shown), f"the {name} shows a key with no string"


@pytest.fixture
def customer_report(client, installed, runtime) -> dict:
    """An order whose customer reported the wrong T-shirt and asks for a replacement, waiting for the merchant."""
    use_policy(runtime, installed, CUSTOMER_POLICY)  # refunds only: a replacement waits for a person
    order = track_order(installed, runtime, languageCodeEnum="EN")
    link = link_path(runtime, installed, order["id"])
    form = client.get(f"{link}/report").get_data(as_text=True)
    sent = client.post(f"{link}/report", content_type="multipart/form-data", data={
        "csrf": csrf_of(form), "problem": "wrong_item", "lines": [order["lines"][0]["id"]], "fix": "replacement"})
    assert sent.status_code == 303, sent.get_data(as_text=True)
    runtime.jobs.drain()
    return order


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "fi"])
def test_every_page_in_both_themes_and_languages(
    page, host, installed, runtime, pending_incident, customer_report, api, theme, language
):
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
    expect(frame.locator("#panel-incidents .incident-count")).to_have_text(words["incidents"])
    expect(frame.get_by_text(words["insights"])).to_be_visible()

    # The parts that were English in every language: each shows its own words, and (in Finnish) no English.
    frame.get_by_role("tab", name=words["tabs"][0]).click()
    policy = frame.locator("#panel-policy")
    expect(policy.get_by_label(words["policy"], exact=True).first).to_be_visible()
    frame.get_by_role("tab", name=words["tabs"][1]).click()
    mail = frame.locator("#panel-messages section.card").last
    expect(mail.get_by_label(words["mail"])).to_be_visible()
    expect(mail.locator("p.muted").first).not_to_have_text(entries(language)["mailserver.loading"])
    frame.get_by_role("tab", name=words["tabs"][3]).click()
    tracking = frame.locator("#panel-tracking")
    expect(tracking.get_by_label(words["tracking"])).to_be_visible()
    frame.get_by_role("tab", name=words["tabs"][2]).click()
    strings = entries(language)
    frame.get_by_role("button", name=strings["detail.heading"].format(number=customer_report["number"], kind=words["report"])).click()
    report = frame.locator(".proposal")
    expect(report.get_by_role("button", name=words["proposal"])).to_be_visible()
    snap(page, f"tour-{theme}-{language}-proposal")
    if language != "en":
        speaks_only(language, policy=policy, mail_server=mail, tracking=tracking, customer_report=report)
        assert "Handling days" not in policy.inner_text() and "Accept:" not in report.inner_text()

    page.set_viewport_size({"width": 440, "height": 700})
    widget = app_frame(page, host, path="/dashboard/order-widget", orderId=order_id, theme=theme, locale=language)
    expect(widget.locator(".widget-block .badge").first).to_have_text(words["widget"])
    snap(page, f"tour-{theme}-{language}-widget")

    page.set_viewport_size({"width": 720, "height": 700})
    popup = app_frame(page, host, path="/dashboard/report", orderId=order_id, theme=theme, locale=language)
    expect(popup.get_by_text(words["popup"])).to_be_visible()
    assert popup.locator("#app h1").count() == 0, "the dashboard's popup already shows the title"
    snap(page, f"tour-{theme}-{language}-popup")


@pytest.mark.parametrize("language", ["pl", "lt", "de", "sv"])
def test_the_parts_that_were_english_speak_every_language(page, host, pending_incident, customer_report, language):
    """Screenshots: test-artifacts/parts-<language>-<policy|tracking|proposal>.png."""
    words = entries(language)
    frame = app_frame(page, host, locale=language)
    policy = frame.locator("#panel-policy")
    expect(policy.get_by_label(words["pf.handling_days"], exact=True).first).to_be_visible()
    snap(page, f"parts-{language}-policy")
    frame.get_by_role("tab", name=words["tab.messages"]).click()
    mail = frame.locator("#panel-messages section.card").last
    expect(mail.get_by_label(words["mailserver.url"])).to_be_visible()
    expect(mail.locator("p.muted").first).not_to_have_text(words["mailserver.loading"])
    frame.get_by_role("tab", name=words["tab.tracking"]).click()
    tracking = frame.locator("#panel-tracking")
    expect(tracking.get_by_label(words["tracking.aftership_key"])).to_be_visible()
    snap(page, f"parts-{language}-tracking")
    frame.get_by_role("tab", name=words["tab.incidents"]).click()
    heading = words["detail.heading"].format(number=customer_report["number"], kind=words["kind.customer_report"])
    frame.get_by_role("button", name=heading).click()
    report = frame.locator(".proposal")
    expect(report.get_by_role("button", name=words["proposal.accept.replacement"])).to_be_visible()
    snap(page, f"parts-{language}-proposal")
    speaks_only(language, policy=policy, mail_server=mail, tracking=tracking, customer_report=report)


def test_what_the_server_composes_reads_finnish_too(page, host, api, installed, runtime):
    """The timeline's report and approval, what was created in Saleor, the simulation's cells and reasons and the
    problem above the tabs, all from facts the server sends; and the Messages tab's variables. Screenshots: test-artifacts/facts-fi-<part>.png."""
    # The merchant's own words (the rule's name) are theirs: a Finnish shop names its rule in Finnish.
    rules = [{**GIFT_CARD_POLICY["rules"][0], "name": "Väärä tuote"}]
    tiny = {"rules": rules, "limits": {**GIFT_CARD_POLICY["limits"], "monthly_budget": {"USD": 15}}}
    use_policy(runtime, installed, tiny)
    order = track_order(installed, runtime)
    incident = report_wrong_item(api, runtime, order)
    api("mutation($id: ID!) { approveIncident(id: $id) { id } }", {"id": incident})
    runtime.jobs.drain()
    # Raised before the page opens: the page asks twice at once (once per locale it hears), and two first
    # reviews of one problem race to insert its row (problems/review.py _upsert; reported to the lead).
    review(runtime, tenant_id_of(runtime, installed))
    words = entries("fi")
    frame = app_frame(page, host, locale="fi")

    problems = frame.locator("#problems")
    expect(problems.locator("li[data-key='monthly-budget-spent:USD']")).to_contain_text(
        "Tämän kuun hyvitysbudjetti (USD) on käytetty")

    rule = frame.locator("article.rule").first
    rule.get_by_label(words["pf.amount"], exact=True).fill("40")  # above the budget: the replay gives an apology
    frame.get_by_role("button", name=words["policy.simulate"].format(days=30)).click()
    simulation = frame.locator("#panel-policy section.card[aria-live]")
    expect(simulation.get_by_role("cell", name=re.compile(r"^Lahjakortti 15,00"))).to_be_visible()
    expect(simulation.get_by_role("cell", name=words["offer.apology_only"], exact=True)).to_be_visible()
    expect(simulation).to_contain_text("mutta tämän kuun hyvitysbudjetti (USD) on käytetty")
    snap(page, "facts-fi-simulation")

    frame.get_by_role("tab", name=words["tab.incidents"]).click()
    frame.get_by_role("button", name=words["detail.heading"].format(number=order["number"], kind=words["kind.wrong_item"])).click()
    timeline = frame.locator("ol.timeline")
    expect(timeline).to_contain_text("Ilmoittaja: staff@example.com. Huomautus: ”Customer called”")
    expect(timeline).to_contain_text("Hyväksynyt: staff@example.com.")
    expect(timeline).to_contain_text("Luotu Saleoriin: lahjakortti")
    expect(frame.locator("dl.facts")).to_contain_text("koodin loppu")
    snap(page, "facts-fi-timeline")
    frame.get_by_role("tab", name=words["tab.messages"]).click()
    variables = frame.locator("#panel-messages dl.variables")
    frame.locator("#panel-messages summary", has_text=words["msg.variables"]).click()
    expect(variables).to_contain_text(words["var.shop_name"])
    shown = frame.locator("body").inner_text()
    for english in ("Reported by", "Approved by", "Created in Saleor", "gift card", "apology only", "matched",
                    "This month's goodwill budget", "written in Saleor"):
        assert english not in shown, english
    speaks_only("fi", problems=problems, simulation=simulation, timeline=timeline, variables=variables)
