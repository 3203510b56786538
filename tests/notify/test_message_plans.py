"""Every plan the policy can produce, in every language: each value the plan states appears, and no
sentence contradicts the situation.

The plan (notify/plan.py) is the language-free truth of a message; these tests hold every language's
words to it. Per-language wording is for the native reviews (docs/messages-review.md).
"""

from __future__ import annotations

import re

import pytest

from saleor_cs_app.care.model import MESSAGE_KINDS, IncidentKind, OfferType
from saleor_cs_app.care.situations import GOODS_OWED, offers_for
from saleor_cs_app.notify.context import SHIPPED_LANGUAGES, sample_context
from saleor_cs_app.notify.plan import SHIPPED_AT_LAST, plan_for
from saleor_cs_app.notify.render import render_message
from saleor_cs_app.notify.review import incident_samples
from saleor_cs_app.notify.variables import template_variables

# Left-overs of a template that did not fill in: never in a customer's e-mail.
_PLACEHOLDERS = re.compile(r"\{\{|\}\}|\{%|%\}|\bNone\b|<Macro|Undefined|\bTrue\b|\bFalse\b")

EVERY_PLAN = [
    (kind, offer, changes)
    for kind in MESSAGE_KINDS
    for offer in offers_for(kind)
    for changes in ({}, {"support_url": None}, {"carrier_facts": False})
] + [
    (IncidentKind.LATE_SHIPMENT, offer, {"shipped_now": True})
    for offer in (OfferType.APOLOGY_ONLY, OfferType.GIFT_CARD, OfferType.FREE_SHIPPING_VOUCHER)
] + [
    (IncidentKind.WRONG_ITEM, OfferType.RESHIP, {"keep_item_discount_percent": None}),
    (IncidentKind.LATE_DELIVERY, OfferType.APOLOGY_ONLY, {"delivery_state": "expired"}),
    # Late after a heads-up: the message refers back to it.
    (IncidentKind.LATE_DELIVERY, OfferType.APOLOGY_ONLY, {"heads_up": True}),
    (IncidentKind.LATE_DELIVERY, OfferType.GIFT_CARD, {"heads_up": True, "support_url": None}),
]


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_every_plan_renders_every_value_it_states_in_every_language(language):
    for kind, offer, changes in EVERY_PLAN:
        ctx = sample_context(kind, offer, language, **changes)
        variables = template_variables(ctx)
        plan = plan_for(variables)
        message = render_message(ctx)
        where = f"{language} {kind} {offer} {changes}"
        for name in plan.stated:
            assert str(variables[name]) in message.text, f"{where}: {name}={variables[name]!r} missing"
        assert not _PLACEHOLDERS.search(message.subject + message.text), where
        assert message.text.rstrip().endswith("Northwind Goods") or "Northwind Goods" in message.text.splitlines()[-1]


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_each_message_has_one_next_step_and_one_button(language):
    for sample in incident_samples(language):
        html = sample.message.html
        assert html.count('class="button"') <= 1, f"{language} {sample.name}"
        page = "https://shop.example/support/o/sample"
        assert sample.message.text.count(page) <= 1, f"{language} {sample.name}"


def test_a_late_shipment_never_offers_a_replacement_parcel():
    for offer in offers_for(IncidentKind.LATE_SHIPMENT):
        plan = plan_for(template_variables(sample_context(IncidentKind.LATE_SHIPMENT, offer, "en")))
        assert "offer_reship" not in plan.macros
        assert "we_will_write_when_shipped" in plan.macros  # kept by the shipped follow-up


@pytest.mark.parametrize("kind", sorted(GOODS_OWED))
def test_a_lost_or_returned_parcel_owes_the_goods_and_asks_the_customer_to_choose(kind):
    for offer in offers_for(kind):
        for support_url in ("https://shop.example/support/o/sample", None):
            ctx = sample_context(kind, offer, "en", support_url=support_url)
            plan = plan_for(template_variables(ctx))
            assert "goods_owed" in plan.macros
            assert plan.macros[-2].startswith(("next_choose", "button_choose"))
            assert "tracking" not in plan.macros  # nothing left to follow
            assert ctx.tracking_url not in render_message(ctx).text


def test_carrier_situations_each_have_their_own_subject_and_opening():
    subjects = set()
    for kind in MESSAGE_KINDS:
        plan = plan_for(template_variables(sample_context(kind, OfferType.APOLOGY_ONLY, "en")))
        assert plan.subject == f"subject_{kind}" and f"opening_{kind}" in plan.macros
        subjects.add(render_message(sample_context(kind, OfferType.APOLOGY_ONLY, "en")).subject)
    assert len(subjects) == len(MESSAGE_KINDS)


@pytest.mark.parametrize("kind", [IncidentKind.LOST, IncidentKind.RETURNED, IncidentKind.HELD, IncidentKind.PICKUP_WAITING])
def test_no_carrier_situation_is_worded_as_a_delay(kind):
    message = render_message(sample_context(kind, OfferType.APOLOGY_ONLY, "en"))
    assert "delay" not in (message.subject + message.text).lower()
    assert "late" not in message.subject.lower()


def test_the_shipped_follow_up_names_the_day_of_the_first_email_when_it_reminds_of_a_code():
    ctx = sample_context(IncidentKind.LATE_SHIPMENT, OfferType.GIFT_CARD, "en", shipped_now=True)
    plan = plan_for(template_variables(ctx))
    assert plan.situation == SHIPPED_AT_LAST and "reminder" in plan.macros
    assert "email of 8 March 2025" in render_message(ctx).text


def test_a_wrong_item_always_says_what_happens_to_the_item_received():
    for offer in offers_for(IncidentKind.WRONG_ITEM):
        for keep in (None, 50):
            ctx = sample_context(IncidentKind.WRONG_ITEM, offer, "en", keep_item_discount_percent=keep)
            plan = plan_for(template_variables(ctx))
            assert any(m.startswith("received_item_") for m in plan.macros), (offer, keep)


def test_a_reship_for_a_wrong_item_names_the_keep_discount_when_there_is_one():
    text = render_message(sample_context(IncidentKind.WRONG_ITEM, OfferType.RESHIP, "en")).text
    assert "50%" in text and "send it back at our expense" in text
    free = render_message(sample_context(IncidentKind.WRONG_ITEM, OfferType.RESHIP, "en", keep_item_discount_percent=None))
    assert "yours to keep" in free.text and "%" not in free.text


def test_an_offer_that_does_not_fit_the_situation_is_never_rendered():
    with pytest.raises(ValueError, match="a reship needs a parcel that left"):
        render_message(sample_context(IncidentKind.LATE_SHIPMENT, OfferType.RESHIP, "en"))


def test_a_heads_up_gives_nothing_states_the_promise_and_the_estimate_and_a_late_message_recalls_it():
    assert offers_for(IncidentKind.AT_RISK) == (OfferType.APOLOGY_ONLY,)
    plan = plan_for(template_variables(sample_context(IncidentKind.AT_RISK, OfferType.APOLOGY_ONLY, "en")))
    assert {"promised_date", "new_expectation"} <= set(plan.stated)
    assert "heads_up_recalled" not in plan.macros
    late = plan_for(template_variables(sample_context(IncidentKind.LATE_DELIVERY, OfferType.APOLOGY_ONLY, "en", heads_up=True)))
    assert late.macros[:3] == ("greeting", "opening_late_delivery", "heads_up_recalled")
    assert "heads_up_date" in late.stated


def test_a_date_ending_with_its_abbreviation_dot_is_never_followed_by_a_second_full_stop():
    from saleor_cs_app.notify.formatting import single_full_stops

    assert single_full_stops("z 5 marca 2025 r..") == "z 5 marca 2025 r."
    assert single_full_stops("Wait... and see.") == "Wait... and see.", "an ellipsis stays"
    # Polish and Lithuanian dates end with "r." / "d.": a sentence ending on one has one dot, in every message.
    double = re.compile(r"(?<!\.)\.\.(?!\.)")
    for language in ("pl", "lt"):
        for kind, offer, changes in EVERY_PLAN:
            message = render_message(sample_context(kind, offer, language, **changes))
            assert not double.search(message.text) and not double.search(message.html), (language, kind, changes)
    heads_up = render_message(sample_context(IncidentKind.LATE_DELIVERY, OfferType.APOLOGY_ONLY, "pl", heads_up=True))
    assert re.search(r"\d{4}\sr\.(\s|$)", heads_up.text), "the date keeps its own dot"


def test_a_page_string_ending_on_a_date_with_its_own_dot_has_one_full_stop():
    from saleor_cs_app.support.i18n import Translator

    assert Translator("en")("event_emailed") == "We emailed you."
    assert Translator("pl")("owed_done_new_parcel", number="5 marca 2025 r.").count("r..") == 0


def test_a_carrier_date_is_stated_only_while_it_is_ahead_and_never_beside_a_contradicting_one():
    from datetime import date

    from saleor_cs_app.notify.plan import carrier_date_to_state

    today, promised = date(2025, 3, 10), date(2025, 3, 11)
    late, stalled, at_risk = IncidentKind.LATE_DELIVERY, IncidentKind.STALLED, IncidentKind.AT_RISK
    assert carrier_date_to_state(late, date(2025, 3, 12), None, today) == date(2025, 3, 12)
    assert carrier_date_to_state(late, today, None, today) == today, "today is still ahead"
    assert carrier_date_to_state(late, date(2025, 3, 8), None, today) is None, "a day gone is no expectation"
    assert carrier_date_to_state(stalled, date(2025, 3, 12), None, today) is None, "set before the silence"
    assert carrier_date_to_state(at_risk, date(2025, 3, 14), promised, today) == date(2025, 3, 14)
    assert carrier_date_to_state(at_risk, promised, promised, today) is None, "in time: no contradicting date"


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_the_page_words_its_next_step_for_the_page_and_opens_with_a_capital(language):
    from saleor_cs_app.notify.builtin import page_blocks

    for kind, offer, changes in EVERY_PLAN:
        if changes.get("support_url", "") is None or changes.get("shipped_now"):
            continue  # the page always has its own address; the shipped follow-up is not shown there
        blocks = page_blocks(template_variables(sample_context(kind, offer, language, **changes)))
        where = f"{language} {kind} {offer} {changes}"
        first = re.sub(r"<[^>]+>", "", str(blocks[0]["html"])).lstrip("«„“”‘ ")
        assert first[:1].isupper() or first[:1].isdigit(), f"{where}: {first[:40]!r}"
        for block, after in zip(blocks, [*blocks[1:], None]):
            if block["kind"] != "link" and str(block["html"]).rstrip().endswith(":"):
                assert after is not None and after["kind"] == "link", f"{where}: a colon before nothing"
        if language == "en":
            assert not any("order page" in str(b["html"]) for b in blocks), f"{where}: the page it is on"
