"""The customer's order page: where each parcel is (a progress line, the expected date and where it comes
from, every scan newest first), a split order as parcels with their items, the items with Saleor's pictures
and prices in the customer's locale, the e-mail's own words, and the page's weight."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest

from saleor_cs_app.care.progress import progress
from tests.aftership_stand_in import AfterShipStandIn
from tests.support.conftest import link_path
from tests.support.order_page_fixtures import (
    MEDIA,
    SIX_SCANS,
    aftership_hook,
    in_transit_with_six_scans,
    placed,
    scan,
    shipped,
)


@pytest.fixture
def aftership(runtime):
    with AfterShipStandIn() as stand_in:
        runtime.settings = runtime.settings.with_changes(aftership_api_url=stand_in.url)
        yield stand_in


@pytest.fixture
def hook(runtime, installed, aftership):
    return aftership_hook(runtime, installed, aftership)


def page_of(client, runtime, installed, order, lang=None):
    path = link_path(runtime, installed, order["id"]) + (f"?lang={lang}" if lang else "")
    response = client.get(path)
    assert response.status_code == 200
    return response, unescape(response.get_data(as_text=True))


def current_step(html: str) -> list[str]:
    return re.findall(r'<li class="current" aria-current="step">([^<]*)</li>', html)


# -- the progress line, pure ---------------------------------------------------------------------------------
def test_the_progress_line_reaches_a_step_only_on_evidence():
    assert progress(None, None).current == "ordered"
    assert progress("FULFILLED", None).current == "shipped"
    assert progress("FULFILLED", "info_received").current == "packed"
    assert progress("FULFILLED", "in_transit").current == "in_transit"
    assert progress("FULFILLED", "delivered").current == "delivered"
    line = progress("FULFILLED", "available_for_pickup")
    assert line.steps[-1] == "pickup" and line.current == "pickup"
    assert line.steps == ("ordered", "packed", "shipped", "in_transit", "pickup"), "no 'out for delivery' without a scan"
    assert not progress("FULFILLED", "in_transit", pickup_point=True).done("pickup")
    assert progress("FULFILLED", None, pickup_point=True).steps[-1] == "pickup"
    assert progress("FULFILLED", "lost").current == "shipped", "a lost parcel is not shown further on its way"
    assert progress("FULFILLED", "out_for_delivery").done("in_transit")


# -- through the app -----------------------------------------------------------------------------------------
def test_a_parcel_in_transit_shows_every_scan_newest_first_with_its_place_and_the_carriers_date(
    installed, runtime, clock, aftership, hook, client
):
    order = in_transit_with_six_scans(installed, runtime, clock, aftership, hook)
    response, html = page_of(client, runtime, installed, order)
    assert current_step(html) == ["Out for delivery"]
    said = [message for _, message, _ in SIX_SCANS]
    positions = [html.index(message) for message in reversed(said)]
    assert positions == sorted(positions), "newest first"
    assert "Tampere, FI" in html and "Vantaa, FI" in html
    # The stand-in's channel is in the US: American English, the shop's time zone (New York) named.
    assert "Friday, September 17" in html and "The carrier's estimate" in html
    assert "Times shown are New York time." in html
    assert "Sep 14, 2027, 10:00\u202fPM" in html or "Sep 14, 2027, 10:00 PM" in html
    replay = in_transit_scans_count(runtime)
    scan(runtime, aftership, hook, "JJD000111222333", "OutForDelivery", "Out for delivery", "Tampere, FI",
         clock.now - timedelta(hours=5))  # fmt: skip
    assert in_transit_scans_count(runtime) == replay + 0, "a scan sent again is kept once"


def in_transit_scans_count(runtime) -> int:
    from sqlalchemy import func, select

    from saleor_cs_app.store.tracking_models import CarrierScan

    with runtime.db.read() as session:
        return session.scalar(select(func.count()).select_from(CarrierScan))


def test_a_split_order_shows_each_parcel_with_its_items_and_what_is_not_sent_yet(installed, runtime, client):
    order = placed(installed, runtime)
    tshirt, mug = order["lines"]
    shipped(installed, runtime, order, "TRK-A", [(tshirt["id"], 1)])
    shipped(installed, runtime, order, "TRK-B", [(mug["id"], 1)])
    _, html = page_of(client, runtime, installed, order)
    first, second = html.index("Parcel 1"), html.index("Parcel 2")
    # Other parcels have left: the heading speaks of these items, not of the whole order.
    unsent = html.index("<h3>These items haven't been dispatched yet</h3>")
    assert "Not dispatched yet" not in html
    assert "TRK-A" in html[first:second] and "Saleor T-shirt" in html[first:second]
    assert "Saleor Mug" in html[second:unsent] and "Saleor T-shirt" not in html[second:unsent]
    assert "Saleor T-shirt" in html[unsent:html.index('id="order-h"')], "the second T-shirt is not sent yet"
    assert current_step(html) == ["Dispatched", "Dispatched", "Ordered"]
    # No carrier date: the shop's own promise for the parcel, said as such.
    assert "Delivery by" in html and "The date we promised for your delivery option" in html


def test_an_order_with_nothing_sent_yet_is_headed_as_a_whole(installed, runtime, client):
    order = placed(installed, runtime)
    _, html = page_of(client, runtime, installed, order)
    assert "<h3>Not dispatched yet</h3>" in html, "a heading, without a full stop"
    assert "These items" not in html


def test_items_show_saleors_pictures_variant_names_and_prices_in_the_customers_locale(installed, runtime, client):
    order = placed(installed, runtime, channel="channel-pln", languageCodeEnum="PL_PL")
    response, html = page_of(client, runtime, installed, order)
    assert f'<img src="{MEDIA}/thumbnails/tshirt.webp"' in html
    assert f"img-src 'self' data: {MEDIA};" in response.headers["Content-Security-Policy"]
    assert "Saleor T-shirt" in html and ">M<" in html, "the variant name beside the product's"
    assert re.search(r"80,00\xa0zł / szt\.", html), "Polish money, the order's currency"


def test_dates_follow_the_customers_locale(installed, runtime, client):
    order = placed(installed, runtime, languageCodeEnum="FI")
    _, html = page_of(client, runtime, installed, order)
    assert "Lähetys viimeistään" in html
    weekday = r"(maanantai|tiistai|keskiviikko|torstai|perjantai)"
    assert re.search(weekday + r" \d{1,2}\.\xa0\w+kuuta\b", html), "Finnish weekday in full, and month"


def test_the_page_says_the_situation_in_the_emails_own_words(installed, runtime, client):
    order = placed(installed, runtime)
    fulfilment = installed.add_fulfillment(order["id"], tracking_number="TRK-LOST")
    fulfilment["metadata"] = [{"key": "delivery.status", "value": "lost"}]
    installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfilment["id"])
    runtime.jobs.drain()
    _, html = page_of(client, runtime, installed, order)
    from sqlalchemy import select

    from saleor_cs_app.store.models import OutboxMessage

    with runtime.db.read() as session:
        (text,) = session.scalars(select(OutboxMessage.text)).all()
    paragraphs = [p.strip() for p in text.split("\n\n")][1:-1]  # without the greeting and the sign-off
    shown = [p for p in paragraphs if p.splitlines()[0] in html]
    assert len(shown) >= 2, (paragraphs, "on the page")


def test_the_order_page_weighs_under_50_kb_before_images(installed, runtime, clock, aftership, hook, client):
    order = in_transit_with_six_scans(installed, runtime, clock, aftership, hook)
    response, html = page_of(client, runtime, installed, order)
    assets = re.findall(r'(?:href|src)="(/support/static/[^"]+)"', html)
    weight = len(response.get_data()) + sum(len(client.get(a).get_data()) for a in assets)
    print(f"order page: {len(response.get_data())} bytes HTML + assets = {weight} bytes")
    assert set(assets) == {"/support/static/support.css", "/support/static/support.js"}
    assert weight < 50 * 1024
    # No request but to the app and Saleor's media: everything the page loads (not the links it offers).
    loaded = re.findall(r'<(?:img|script)[^>]* src="([^"]+)"|<link[^>]* href="([^"]+)"', html)
    loaded = [src or href for src, href in loaded]
    assert len(loaded) >= 4 and all(u.startswith(("/support/static/", f"{MEDIA}/", "data:")) for u in loaded), loaded


def test_an_offer_waiting_for_approval_is_not_told_on_the_page_before_it_is_given(installed, runtime, client):
    from saleor_cs_app.store.models import Incident

    order = placed(installed, runtime)
    fulfilment = installed.add_fulfillment(order["id"], tracking_number="TRK-LOST")
    fulfilment["metadata"] = [{"key": "delivery.status", "value": "lost"}]
    installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfilment["id"])
    runtime.jobs.drain()
    with runtime.db.transaction() as session:
        (incident,) = session.query(Incident).all()
        incident.state = "pending_approval"
    _, html = page_of(client, runtime, installed, order)
    assert "Parcel lost by the carrier" in html, "the situation is named"
    assert '<div class="box">' not in html, "nothing the shop has not carried out yet"


def test_the_locale_takes_the_customers_region_else_the_channels_else_the_languages_own():
    from saleor_cs_app.support.formats import day, page_locale

    assert str(page_locale("en", "EN_GB", "US")) == "en_GB"
    assert str(page_locale("en", "EN", "US")) == "en_US"
    assert str(page_locale("en", None, "FI")) == "en_FI", "CLDR's English as written in Finland"
    assert str(page_locale("en", None, None)) == "en_GB", "no region known: the page's British English"
    assert str(page_locale("fr", "FR_BE", None)) == "fr_BE"
    assert day("2027-09-15", page_locale("en", "EN_GB", None)) == "15 September 2027"
    assert day("2027-09-15", page_locale("de", "DE", "AT")) == "15.\u00a0September 2027"  # the day kept with its month


def test_dhl_events_become_scans_with_their_place():
    from saleor_cs_app.tracking.dhl.reading import report_from

    shipment = {
        "status": {"statusCode": "transit", "timestamp": "2027-09-15T08:00:00Z", "description": "Arrived"},
        "events": [
            {"statusCode": "transit", "timestamp": "2027-09-15T08:00:00Z", "description": "Arrived",
             "location": {"address": {"addressLocality": "Leipzig"}}},
            {"statusCode": "pre-transit", "timestamp": "2027-09-14T18:00:00Z", "description": "Label created"},
        ],
    }  # fmt: skip
    scans = report_from(shipment, "F1", "JJD1").all_scans()
    assert [(s.words, s.place, getattr(s.state, "value", None)) for s in scans] == [
        ("Arrived", "Leipzig", "in_transit"), ("Label created", None, "info_received"),
    ]  # fmt: skip


def test_the_page_names_the_shop_by_its_saleor_name_never_by_an_english_placeholder(installed, runtime, client):
    order = placed(installed, runtime, languageCodeEnum="PL_PL")
    _, html = page_of(client, runtime, installed, order)
    assert "Customer care" not in html
    runtime.jobs.drain()  # the install's reconciliation has read shop { name }
    _, html = page_of(client, runtime, installed, order)
    assert '<span class="shop">Saleor e-commerce</span>' in html


def test_a_big_date_spells_its_weekday_out_in_the_locales_own_order():
    from datetime import date

    from babel import Locale

    from saleor_cs_app.support.formats import big_day

    day = date(2027, 9, 22)
    assert big_day(day, Locale.parse("pl_PL")) == "środa, 22 września"
    assert big_day(day, Locale.parse("es_ES")) == "miércoles, 22 de septiembre"
    assert big_day(day, Locale.parse("en_GB")) == "Wednesday 22 September"
    assert big_day(day, Locale.parse("lt_LT")) == "rugsėjo 22 d., trečiadienis"
    assert big_day(day, Locale.parse("fi_FI")) == "keskiviikko 22.\u00a0syyskuuta", "no line break after '22.'"


def test_a_polish_page_writes_r_after_the_year_as_its_emails_do():
    from babel import Locale

    from saleor_cs_app.notify.formatting import day as email_day
    from saleor_cs_app.support.formats import day

    value = date(2027, 9, 15)
    assert day(value, Locale.parse("pl_PL")) == "15 września 2027\u00a0r." == email_day(value, "pl")
    assert day(value, Locale.parse("en_GB")) == "15 September 2027"


def test_french_and_italian_pages_write_the_first_of_the_month_as_an_ordinal():
    from babel import Locale

    from saleor_cs_app.support.formats import big_day, day

    first, second = date(2027, 9, 1), date(2027, 9, 2)
    assert big_day(first, Locale.parse("fr_FR")) == "mercredi 1er septembre"
    assert day(first, Locale.parse("it_IT")) == "1º settembre 2027"
    assert big_day(second, Locale.parse("fr_FR")) == "jeudi 2 septembre"  # only the first
    assert day(first, Locale.parse("de_DE")) == "1.\u00a0September 2027"  # only French and Italian


def test_a_french_scan_time_on_the_first_of_the_month_reads_1er():
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from babel import Locale

    from saleor_cs_app.support.formats import moment

    paris, french = ZoneInfo("Europe/Paris"), Locale.parse("fr_FR")
    assert moment(datetime(2027, 10, 1, 8, 5, tzinfo=timezone.utc), paris, french) == "1er oct. 2027, 10:05"
    assert moment(datetime(2027, 10, 2, 8, 5, tzinfo=timezone.utc), paris, french) == "2 oct. 2027, 10:05"


def test_a_finnish_scan_time_reads_date_klo_time():
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from babel import Locale

    from saleor_cs_app.support.formats import moment

    at = datetime(2027, 9, 20, 7, 0, tzinfo=timezone.utc)
    assert moment(at, ZoneInfo("Europe/Helsinki"), Locale.parse("fi_FI")) == "20.9.2027 klo 10.00"
    assert "klo" not in moment(at, ZoneInfo("Europe/Helsinki"), Locale.parse("sv_FI"))


def test_page_money_is_written_as_the_emails_write_it():
    from decimal import Decimal

    from babel import Locale

    from saleor_cs_app.notify.formatting import money as email_money
    from saleor_cs_app.support.formats import money

    assert money("199", "SEK", Locale.parse("sv_SE")) == email_money(Decimal("199"), "SEK", "sv") == "199\xa0kr"
    assert money("199.50", "SEK", Locale.parse("sv_SE")) == "199,50\xa0kr"
    assert money("20", "EUR", Locale.parse("fi_FI")) == "20,00\xa0€"


def test_a_label_and_its_value_are_joined_as_the_language_writes_it(installed, runtime, client):
    order = placed(installed, runtime, languageCodeEnum="FR")
    (line, *_) = order["lines"]
    shipped(installed, runtime, order, "TRK-FR", [(line["id"], 1)])
    _, html = page_of(client, runtime, installed, order)
    assert "Numéro de suivi\xa0: " in html, "French: a no-break space before the colon"


def test_the_timeline_says_what_was_given_as_far_as_it_went(installed, runtime, clock, client):
    from tests.flows import late_order

    order = late_order(installed, runtime, clock)  # a late dispatch: a free-delivery code, then the e-mail
    _, html = page_of(client, runtime, installed, order)
    timeline = re.findall(r"</time> ([^<]*)</li>", html)
    assert timeline == ["We created your free-delivery code.", "We emailed you."]


@pytest.mark.parametrize("offer", ["gift_card", "free_shipping_voucher", "gift_product", "reship", "partial_refund"])
def test_a_remedy_created_in_saleor_is_told_as_created_not_as_sent(offer):
    from types import SimpleNamespace

    from saleor_cs_app.support.i18n import LANGUAGES, strings
    from saleor_cs_app.support.order_view import _goodwill_words

    incident = SimpleNamespace(decision={"offer": {"type": offer}}, offer_type=offer)
    key = _goodwill_words(incident)
    # A parcel or a gift is an order in Saleor, a refund is granted: nothing has been dispatched or paid out yet.
    assert "sent" not in strings("en")[key] and all(strings(language)[key] for language in LANGUAGES)
    assert _goodwill_words(SimpleNamespace(decision={}, offer_type="apology_only")) is None
