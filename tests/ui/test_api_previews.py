"""Message previews from the shop itself, and the override editor starting from the built-in text."""

from __future__ import annotations

import re

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
