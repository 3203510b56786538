"""Customer messages: every kind × offer × language renders completely, and merchant overrides are fenced."""

from __future__ import annotations

import dataclasses
import time
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from saleor_cs_app.care.model import MESSAGE_KINDS, IncidentKind, OfferType
from saleor_cs_app.care.situations import offers_for
from saleor_cs_app.notify.context import SHIPPED_LANGUAGES, MessageContext, sample_context
from saleor_cs_app.notify import formatting
from saleor_cs_app.notify.language import pick_language
from saleor_cs_app.notify.override import MAX_TEMPLATE_CHARS
from saleor_cs_app.notify.render import TEMPLATE_VARIABLES, RenderedMessage, preview, render_message
from saleor_cs_app.notify.variables import template_variables

KINDS = list(MESSAGE_KINDS)
OFFERS = list(OfferType)
CODE_OFFERS = (OfferType.GIFT_CARD, OfferType.FREE_SHIPPING_VOUCHER)
VOID = {"meta", "br", "img", "hr", "input", "link", "col", "area", "base", "wbr", "source"}


class _TagBalance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.hrefs += [value for name, value in attrs if name == "href"]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()


def assert_sound_html(html: str) -> _TagBalance:
    parser = _TagBalance()
    parser.feed(html)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    assert "script" not in parser.tags
    assert "<script" not in html.lower()
    for tag in ("html", "body", "table"):
        assert tag in parser.tags
    return parser


def day(d: date, language: str) -> str:
    return formatting.day(d, language)


def money(amount: Decimal, currency: str, language: str) -> str:
    return formatting.money(amount, currency, language)


# --- the full matrix -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
@pytest.mark.parametrize("kind, offer", [(kind, offer) for kind in KINDS for offer in offers_for(kind)])
def test_every_kind_offer_and_language_renders_a_complete_message(kind, offer, language):
    ctx = sample_context(kind, offer, language)
    msg = render_message(ctx)

    assert isinstance(msg, RenderedMessage)
    assert msg.language == language and msg.override_error is None
    assert msg.subject and "\n" not in msg.subject and ctx.order_number in msg.subject
    for body in (msg.text, msg.html):
        assert ctx.order_number in body
        assert ctx.shop_name in body
        assert "None" not in body and "{{" not in body and "{%" not in body
        if kind in (IncidentKind.LATE_SHIPMENT, IncidentKind.LATE_DELIVERY, IncidentKind.PICKUP_WAITING):
            assert day(ctx.promised_date, language) in body  # the broken promise is the news itself
        if offer in CODE_OFFERS:
            assert ctx.offer_code in body
            assert day(ctx.offer_expires_on, language) in body
        if offer is OfferType.GIFT_CARD:
            assert money(ctx.offer_amount, ctx.currency, language) in body
        if offer is OfferType.PARTIAL_REFUND:
            assert money(ctx.refund_amount, ctx.currency, language) in body
        if offer is OfferType.GIFT_PRODUCT:
            assert ctx.offer_product_name in body
        if kind is IncidentKind.WRONG_ITEM:
            assert ctx.expected_items[0] in body and ctx.sent_items[0] in body
    assert_sound_html(msg.html)
    assert f'<html lang="{language}">' in msg.html


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
@pytest.mark.parametrize("offer", offers_for(IncidentKind.LATE_SHIPMENT))
def test_the_shipped_now_follow_up_renders_in_every_language(language, offer):
    ctx = sample_context(IncidentKind.LATE_SHIPMENT, offer, language, shipped_now=True)
    msg = render_message(ctx)
    first = render_message(dataclasses.replace(ctx, shipped_now=False))

    assert msg.subject != first.subject and ctx.order_number in msg.subject
    for body in (msg.text, msg.html):
        assert ctx.tracking_number in body
        assert day(ctx.carrier_expected_date, language) in body  # the carrier's word before ours
        if offer in CODE_OFFERS:  # a reminder of the code the first message gave
            assert ctx.offer_code in body
    assert ctx.tracking_url in msg.text
    assert ctx.tracking_url in assert_sound_html(msg.html).hrefs


def test_the_same_paragraphs_exist_in_every_language():
    from saleor_cs_app.notify.builtin import _TEXT_ENV

    def macros(language):
        module = _TEXT_ENV.get_template(f"lang/{language}.j2").make_module(
            template_variables(sample_context("late_shipment", "gift_card", language))
        )
        return {name for name in dir(module) if not name.startswith("_")}

    assert all(macros(language) == macros("en") for language in SHIPPED_LANGUAGES)


def test_a_missing_first_name_gets_a_friendly_generic_greeting():
    for language in SHIPPED_LANGUAGES:
        ctx = dataclasses.replace(sample_context("late_shipment", "apology_only", language), customer_first_name=None)
        first_line = render_message(ctx).text.splitlines()[0]
        assert first_line.strip() and "None" not in first_line
    assert render_message(
        dataclasses.replace(sample_context("late_shipment", "apology_only", "en"), customer_first_name=None)
    ).text.startswith("Hello,")
    assert render_message(sample_context("late_shipment", "apology_only", "fi")).text.startswith("Hei Aino,")


def test_polish_and_lithuanian_never_put_the_first_name_in_a_greeting_that_needs_a_vocative():
    assert render_message(sample_context("late_shipment", "apology_only", "pl")).text.startswith("Dzień dobry,\n")
    assert render_message(sample_context("late_shipment", "apology_only", "lt")).text.startswith("Sveiki,\n")


def test_german_keeps_one_register_and_continues_in_lower_case_after_the_greeting():
    # "Sie" throughout; "Hallo Anna," with "Sie" is how German shops write now (native review de, round 1).
    text = render_message(sample_context("late_delivery", "apology_only", "de")).text
    assert text.startswith("Hallo Anna,\n\nleider ist Ihr Paket")
    assert " du " not in text and " dein" not in text.lower() and "Ihr" in text
    nameless = render_message(
        dataclasses.replace(sample_context("late_delivery", "apology_only", "de"), customer_first_name=None)
    ).text
    assert nameless.startswith("Guten Tag,\n\nleider")


def test_lithuanian_dates_at_the_end_of_a_sentence_are_not_followed_by_a_second_full_stop():
    for kind in KINDS:
        for offer in offers_for(kind):
            msg = render_message(sample_context(kind, offer, "lt"))
            assert "d.." not in msg.text


def test_a_wrong_item_without_known_items_leaves_the_item_lines_out():
    ctx = dataclasses.replace(sample_context("wrong_item", "apology_only", "en"), expected_items=(), sent_items=())
    text = render_message(ctx).text
    assert "You ordered" not in text and "We sent:" not in text


def test_no_new_expectation_and_no_promised_date_still_reads_as_a_message():
    for language in SHIPPED_LANGUAGES:
        # A heads-up always states the promise it warns about (watch/at_risk.py sets it): not without one.
        for kind in (k for k in KINDS if k is not IncidentKind.AT_RISK):
            ctx = dataclasses.replace(
                sample_context(kind, "apology_only", language), promised_date=None, new_expectation=None
            )
            msg = render_message(ctx)
            assert "None" not in msg.text and len(msg.text.split("\n\n")) >= 4


def test_the_next_step_is_one_link_when_there_is_a_self_service_page():
    ctx = dataclasses.replace(
        sample_context("late_delivery", "gift_card", "en"), support_url="https://shop.example/orders/1042?t=abc"
    )
    msg = render_message(ctx)
    hrefs = assert_sound_html(msg.html).hrefs
    assert "https://shop.example/orders/1042?t=abc" in hrefs
    assert msg.html.count('class="button"') == 1  # one next step, not two
    assert ctx.tracking_url in hrefs  # the parcel stays easy to follow, as a fact, not a second button
    assert "View your order" in msg.html


def test_a_link_that_is_not_http_never_becomes_an_href():
    ctx = dataclasses.replace(
        sample_context("late_delivery", "apology_only", "en"),
        support_url="javascript:alert(1)",
        tracking_url="data:text/html,x",
    )
    msg = render_message(ctx)
    assert "javascript:" not in msg.html and "data:text" not in msg.html
    assert "reply to this email" in msg.text


def test_customer_data_is_escaped_in_the_built_in_html():
    ctx = dataclasses.replace(
        sample_context("wrong_item", "gift_product", "en"),
        customer_first_name="<script>alert(1)</script>",
        offer_product_name='Mug "<b>"',
        sent_items=("<img src=x onerror=alert(1)>",),
    )
    msg = render_message(ctx)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in msg.html
    assert "<img" not in msg.html
    assert_sound_html(msg.html)
    assert "Hi <script>alert(1)</script>," in msg.text  # plain text is not HTML: nothing to escape


@pytest.mark.parametrize("offer", CODE_OFFERS)
@pytest.mark.parametrize("code", [None, "", "   "])
def test_an_offer_with_a_code_is_never_rendered_without_the_code(offer, code):
    ctx = dataclasses.replace(sample_context("late_shipment", offer, "en"), offer_code=code)
    with pytest.raises(ValueError, match="code"):
        render_message(ctx)


@pytest.mark.parametrize("offer", CODE_OFFERS)
def test_the_shipped_now_follow_up_without_a_code_simply_leaves_the_reminder_out(offer):
    ctx = dataclasses.replace(sample_context("late_shipment", offer, "en", shipped_now=True), offer_code=None)
    msg = render_message(ctx)
    assert "reminder" not in msg.text and "Code:" not in msg.text and "None" not in msg.text


def test_a_partial_refund_is_never_rendered_without_its_amount():
    with pytest.raises(ValueError, match="refund_amount"):
        render_message(dataclasses.replace(sample_context("late_delivery", "partial_refund", "fi"), refund_amount=None))


def test_a_gift_card_without_a_known_value_leaves_the_value_line_out():
    ctx = dataclasses.replace(sample_context("late_shipment", "gift_card", "en"), offer_amount=None)
    text = render_message(ctx).text
    assert "Value:" not in text and "GC-7Q4M-2XKD" in text


def test_a_language_that_is_not_shipped_is_refused():
    with pytest.raises(ValueError, match="pick_language"):
        render_message(dataclasses.replace(sample_context("late_shipment", "apology_only", "en"), language="nb"))


def test_the_context_accepts_plain_strings_for_kind_and_offer():
    ctx = MessageContext(
        shop_name="S",
        order_number="7",
        kind="late_shipment",
        offer_type="apology_only",
        language="sv",
        currency="SEK",
        expected_items=["a"],
    )
    assert ctx.kind is IncidentKind.LATE_SHIPMENT and ctx.expected_items == ("a",)
    assert "7" in render_message(ctx).subject


def test_preview_uses_sample_values():
    msg = preview("late_shipment", "fi", "gift_card")
    assert "GC-7Q4M-2XKD" in msg.text and msg.language == "fi"


def test_every_documented_variable_is_given_to_templates_and_nothing_else():
    variables = template_variables(sample_context("wrong_item", "reship", "de"))
    assert set(variables) == set(TEMPLATE_VARIABLES)
    for value in variables.values():
        assert value is None or isinstance(value, (str, int, bool, tuple))


# --- language --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order_language", "channel_default", "expected"),
    [
        ("FI", None, "fi"),
        ("FI_FI", "DE", "fi"),
        ("PL_PL", None, "pl"),
        ("EN_US", "FI", "en"),
        ("SV_SE", None, "sv"),
        ("SV_FI", "FI", "sv"),
        ("LT", None, "lt"),
        ("DE_AT", None, "de"),
        ("de-CH", None, "de"),
        ("NB", "FI", "fi"),  # Norwegian is not shipped: the channel's language
        ("NB", "SE", "sv"),  # the channel's default country
        ("SE", "LT", "lt"),  # as a language, SE is Northern Sami
        ("NB", "AT", "de"),
        ("NB", "PL_PL", "pl"),
        ("NB", "NO", "en"),
        (None, None, "en"),
        ("", "", "en"),
        ("ZH_HANS", None, "en"),
    ],
)
def test_language_comes_from_the_order_then_the_channel_then_english(order_language, channel_default, expected):
    assert pick_language(order_language, channel_default) == expected


# --- merchant overrides ----------------------------------------------------------------------------


def test_a_merchant_override_replaces_subject_text_and_html():
    override = {
        "subject": "{{ order_number }}: a little something from {{ shop_name }}",
        "text": "Hi {{ customer_first_name or 'there' }},\nyour code is {{ offer_code }}, worth {{ offer_amount }}.",
        "html": "<p>Hi {{ customer_first_name }}, your code is <b>{{ offer_code }}</b>.</p>",
    }
    msg = preview("late_shipment", "en", "gift_card", override)
    assert msg.override_error is None
    assert msg.subject == "1042: a little something from Northwind Goods"
    assert msg.text == "Hi Alex,\nyour code is GC-7Q4M-2XKD, worth £15.00.\n"
    assert "<b>GC-7Q4M-2XKD</b>" in msg.html
    assert_sound_html(msg.html)  # a body fragment goes inside the same layout


def test_a_text_only_override_gets_html_made_from_its_paragraphs():
    override = {"subject": "Sorry", "text": "Line one <b>\nline two\n\nTrack: {{ tracking_url }}"}
    msg = preview("late_delivery", "en", "apology_only", override)
    assert msg.override_error is None
    assert "Line one &lt;b&gt;<br>" in msg.html
    parser = assert_sound_html(msg.html)
    assert "https://tracking.example/RM123456785GB" in parser.hrefs


def test_an_override_can_loop_over_the_items_and_use_filters():
    override = {
        "subject": "{{ kind|upper }}",
        "text": "{% for item in expected_items %}- {{ item|upper }}\n{% endfor %}{{ sent_items|join(', ') }}",
    }
    msg = preview("wrong_item", "en", "reship", override)
    assert msg.override_error is None
    assert msg.subject == "WRONG_ITEM"
    assert "- LINEN SHIRT, BLUE, M" in msg.text


def test_an_html_override_escapes_a_script_in_a_variable():
    ctx = dataclasses.replace(
        sample_context("late_shipment", "apology_only", "en"), customer_first_name="<script>alert('x')</script>"
    )
    msg = render_message(
        ctx,
        {
            "subject": "Hi {{ customer_first_name }}",
            "text": "Hi {{ customer_first_name }}",
            "html": "<p>Hi {{ customer_first_name }}</p>",
        },
    )
    assert msg.override_error is None
    assert "&lt;script&gt;" in msg.html and "<script" not in msg.html.lower()
    assert_sound_html(msg.html)


def test_an_html_override_cannot_slip_script_through_with_the_safe_filter():
    ctx = dataclasses.replace(
        sample_context("late_shipment", "apology_only", "en"), customer_first_name="<script>alert(1)</script>"
    )
    msg = render_message(ctx, {"subject": "x", "text": "x", "html": "<p>{{ customer_first_name|safe }}</p>"})
    assert msg.override_error and "safe" in msg.override_error
    assert "<script" not in msg.html.lower()


def test_a_script_written_into_an_html_override_is_refused():
    msg = preview(
        "late_shipment",
        "en",
        "apology_only",
        {"subject": "x", "text": "x", "html": "<p>hi</p><SCRIPT>alert(1)</SCRIPT>"},
    )
    assert msg.override_error and "script" in msg.override_error
    assert "<script" not in msg.html.lower()


def test_a_newline_in_an_override_subject_cannot_inject_a_header():
    msg = preview("late_shipment", "en", "apology_only", {"subject": "Hello\nBcc: victim@example.com", "text": "x"})
    assert msg.subject == "Hello Bcc: victim@example.com"


SANDBOX_ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ self }}",
    "{% for item in expected_items %}{{ loop }}{% endfor %}",
    "{{ super }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__.os.popen('id').read() }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ config.items() }}",
    "{{ request.application.__globals__ }}",
    "{% for x in range(10**9) %}x{% endfor %}",
    "{{ 10**10**10 }}",
    "{{ 'x' * 1000000000 }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ 'x'|center(999999999) }}",
    "{{ 'x'|indent(999999999) }}",
    "{{ offer_code|attr('__class__') }}",
    "{{ offer_code['__class__'] }}",
    "{{ offer_code.upper() }}",
    "{{ expected_items|map(attribute='__class__')|list }}",
    "{% macro f(n) %}{{ f(n) }}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "{% for a in expected_items %}{% for b in expected_items %}{% endfor %}{% endfor %}",
    "{% set expected_items = 'x' %}{% for a in expected_items %}{% endfor %}",
    "{% for a in 'xxxxxxxxxxxx' %}{{ a }}{% endfor %}",
    "{% include '/etc/passwd' %}",
    "{% extends 'layout.html.j2' %}",
    "{% import 'lang/en.j2' as m %}",
    "{% autoescape false %}{{ customer_first_name }}{% endautoescape %}",
    "{{ unknown_variable }}",
    "{% if %}",
    "{{ '" + "a" * 9_000 + "'|join('" + "b" * 9_000 + "') }}",  # 81 million characters if allowed
    "x" * (MAX_TEMPLATE_CHARS + 1),
]


@pytest.mark.parametrize("payload", SANDBOX_ESCAPES)
@pytest.mark.parametrize("part", ["subject", "text", "html"])
def test_sandbox_escape_payloads_render_nothing_and_fall_back_to_the_built_in_message(payload, part):
    override = {"subject": "Hello", "text": "Hello", "html": "<p>Hello</p>", part: payload}
    started = time.monotonic()
    msg = preview("late_shipment", "en", "gift_card", override)
    assert time.monotonic() - started < 2

    builtin = preview("late_shipment", "en", "gift_card")
    assert msg.override_error, payload
    assert part in msg.override_error
    assert (msg.subject, msg.text, msg.html) == (builtin.subject, builtin.text, builtin.html)
    for body in (msg.subject, msg.text, msg.html):
        assert "<class" not in body and "__" not in body and "Hello" not in body


@pytest.mark.parametrize(
    "override",
    [
        {"subject": "x"},
        {"text": "x"},
        {"subject": "", "text": "x"},
        {"subject": "x", "text": "x", "htm": "x"},
        {"subject": "x", "text": 5},
        "not a mapping",
        {"subject": "{{ '' }}", "text": "x"},
        {"subject": "x", "text": "{% if false %}x{% endif %}"},
    ],
)
def test_an_incomplete_override_falls_back_with_a_clear_error(override):
    msg = preview("late_shipment", "en", "apology_only", override)
    assert msg.override_error
    assert msg.subject == preview("late_shipment", "en", "apology_only").subject


def test_a_failing_override_reports_where_it_failed():
    msg = preview("late_shipment", "en", "apology_only", {"subject": "x", "text": "line\n{{ nope }}"})
    assert msg.override_error == "text: 'nope' is not a documented variable"
    msg = preview(
        "late_shipment",
        "en",
        "apology_only",
        {"subject": "x", "text": "{% for i in sent_items %}{% set later = 1 %}{% endfor %}{{ later }}"},
    )
    assert msg.override_error == "text: 'later' is undefined"
    msg = preview("late_shipment", "en", "apology_only", {"subject": "x", "text": "a\n{% if %}"})
    assert msg.override_error.startswith("text: line 2:")
