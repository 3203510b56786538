"""Message previews from the shop itself, and the override editor starting from the built-in text."""

from __future__ import annotations

import re

from saleor_cs_app.care import situations
from saleor_cs_app.care.model import IncidentKind, OfferType
from tests.ui.conftest import track_order

PREVIEW = """mutation($o: JSON, $c: String) {
  previewMessage(kind: LATE_SHIPMENT, language: "en", offer: GIFT_CARD, override: $o, currency: $c) { subject text } }"""
CATALOG = "{ messageCatalog { shopName currencies sampleOrder sampleCurrency } }"
BUILTIN = """{ builtinMessage(kind: LATE_SHIPMENT, language: "en", offer: GIFT_CARD) { subject text } }"""


def test_previews_use_the_shops_name_currencies_and_latest_order(api, installed, runtime):
    order = track_order(installed, runtime, channel="channel-pln")
    catalog = api(CATALOG)["messageCatalog"]
    assert catalog["shopName"] == "Saleor e-commerce"
    assert set(catalog["currencies"]) == {c["currencyCode"] for c in installed.channels.values()}
    assert catalog["sampleOrder"] == order["number"]
    assert catalog["sampleCurrency"] == "PLN", "the editor's default currency"

    message = api(PREVIEW)["previewMessage"]
    assert f"#{order['number']}" in message["subject"] or order["number"] in message["subject"]
    assert "Saleor e-commerce" in message["text"] and "Northwind" not in message["text"]
    assert "PLN\u00a0" in message["text"], "the latest order's currency, its code spaced from the amount"
    assert not re.search(r"PLN\d", message["text"]), "as Intl writes it: 'PLN 15.00', not 'PLN15.00'"
    assert "$" in api(PREVIEW, {"c": "USD"})["previewMessage"]["text"], "a currency picked in the editor"
    assert "2025" not in message["text"], "dates follow today's clock"


def test_without_orders_the_preview_keeps_the_sample_order_but_the_shops_name(api, installed):
    message = api(PREVIEW)["previewMessage"]
    assert "1042" in message["subject"] and "Saleor e-commerce" in message["text"]


def test_the_built_in_text_as_an_override_renders_the_built_in_message(api, installed):
    builtin = api(BUILTIN)["builtinMessage"]
    assert "{{ order_number }}" in builtin["subject"] and "{{ shop_name }}" in builtin["text"]
    as_override = api(PREVIEW, {"o": builtin})["previewMessage"]
    assert as_override == api(PREVIEW)["previewMessage"]


def test_every_pair_the_picker_offers_renders_and_an_unfit_pair_is_refused_with_the_reason(api, installed):
    data = api("{ messageCatalog { kinds } policy { offerFit { kind offers } } }")
    offered = {f["kind"]: f["offers"] for f in data["policy"]["offerFit"]}
    pair = """mutation($k: IncidentKind!, $o: OfferType!) {
      previewMessage(kind: $k, language: "en", offer: $o) { subject text } }"""
    for kind in data["messageCatalog"]["kinds"]:
        for offer in offered[kind]:
            message = api(pair, {"k": kind.upper(), "o": offer.upper()})["previewMessage"]
            assert message["subject"] and message["text"], (kind, offer)

    body = api.post(pair, {"k": "LATE_SHIPMENT", "o": "RESHIP"}).get_json()
    reason = situations.why_unfit(IncidentKind.LATE_SHIPMENT, OfferType.RESHIP)
    assert [e["message"] for e in body["errors"]] == [f"There is no message for this offer: {reason}"]
    builtin = """{ builtinMessage(kind: LOST, language: "en", offer: PARTIAL_REFUND) { subject } }"""
    assert reason_of(api.post(builtin).get_json()) == situations.why_unfit(IncidentKind.LOST, OfferType.PARTIAL_REFUND)


def reason_of(body: dict) -> str:
    (error,) = body["errors"]
    return error["message"].removeprefix("There is no message for this offer: ")
