"""The shop's brand: set in the dashboard (name, logo, accent colour, contacts), checked, and heading the
customer's order page and the HTML e-mails."""

from __future__ import annotations

import base64
import io
from html import unescape
from urllib.parse import urlsplit

from PIL import Image

from saleor_cs_app.care.brand import accent_refusal, contrast, normal_hex
from saleor_cs_app.store.models import OutboxMessage
from tests.flows import rows
from tests.support.conftest import CUSTOMER_POLICY, jpeg_with_gps, link_path
from tests.flows import use_policy

FIELDS = "name saleorName accent logoUrl email phone url"
BRAND = f"query {{ brand {{ {FIELDS} }} }}"
UPDATE = f"""mutation B($name: String, $accent: String, $email: String, $phone: String, $url: String) {{
  updateBrand(name: $name, accent: $accent, email: $email, phone: $phone, url: $url) {{
    ok errors {{ field message }} brand {{ {FIELDS} }} }} }}"""
LOGO = f"""mutation L($image: String) {{ setBrandLogo(imageBase64: $image) {{ ok errors {{ field message }}
  brand {{ {FIELDS} }} }} }}"""


def test_contrast_is_the_wcag_ratio_and_an_accent_below_aa_is_refused_with_it():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert normal_hex("0B5") == "#00bb55" and normal_hex("blue") is None
    assert accent_refusal("#0b57d0") is None
    refusal = accent_refusal("#ffcc00")
    assert "1.5:1" in refusal and "4.5:1" in refusal
    assert "not a colour" in accent_refusal("blue")


def test_the_name_defaults_to_saleors_shop_name(api):
    brand = api(BRAND)["brand"]
    assert brand["name"] is None and brand["saleorName"]


def test_a_light_accent_and_a_bad_address_are_refused_with_reasons_and_nothing_changes(api):
    result = api(UPDATE, {"accent": "#ffcc00", "email": "not-an-address", "name": "Northwind"})["updateBrand"]
    assert not result["ok"]
    by_field = {e["field"]: e["message"] for e in result["errors"]}
    assert "4.5:1" in by_field["accent"] and by_field["email"] == "Not an e-mail address."
    assert result["brand"]["name"] is None


def test_the_logo_is_re_encoded_like_the_customers_photos(api, client):
    result = api(LOGO, {"image": base64.b64encode(jpeg_with_gps((1200, 600))).decode()})["setBrandLogo"]
    assert result["ok"], result
    served = client.get(urlsplit(result["brand"]["logoUrl"]).path)
    assert served.status_code == 200 and served.headers["Cache-Control"].startswith("public")
    with Image.open(io.BytesIO(served.get_data())) as image:
        assert max(image.size) == 400 and not image.getexif(), "resized, GPS and EXIF gone"
    refused = api(LOGO, {"image": base64.b64encode(b"%PDF-1.4 not an image").decode()})["setBrandLogo"]
    assert not refused["ok"] and refused["errors"][0]["field"] == "logo"
    assert refused["brand"]["logoUrl"] == result["brand"]["logoUrl"], "the old logo stays"


def test_the_brand_heads_the_order_page_and_the_emails(api, installed, runtime, client):
    saved = api(UPDATE, {"name": "Northwind Goods", "accent": "#1a5e3a", "email": "help@northwind.example",
                         "phone": "+358 40 123 4567", "url": "https://northwind.example/help"})["updateBrand"]  # fmt: skip
    assert saved["ok"], saved
    api(LOGO, {"image": base64.b64encode(jpeg_with_gps()).decode()})
    use_policy(runtime, installed, CUSTOMER_POLICY)
    order = installed.add_order()
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    fulfilment = installed.add_fulfillment(order["id"], tracking_number="TRK-LOST")
    fulfilment["metadata"] = [{"key": "delivery.status", "value": "lost"}]
    installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfilment["id"])
    runtime.jobs.drain()

    html = unescape(client.get(link_path(runtime, installed, order["id"])).get_data(as_text=True))
    header = html[html.index('<header class="bar">') : html.index("</header>")]
    assert "Northwind Goods" in header and "/logo" in header
    css_path = next(part.split('"')[0] for part in html.split('href="')[1:] if "accent.css" in part.split('"')[0])
    assert client.get(css_path).get_data(as_text=True).startswith(":root { --accent: #1a5e3a; }")
    assert "mailto:help@northwind.example" in html and "tel:+358401234567" in html

    (mail,) = rows(runtime, OutboxMessage)
    assert "Northwind Goods" in mail.html and "border-top:6px solid #1a5e3a" in mail.html
    assert '/logo" alt=""' in mail.html


def test_the_message_preview_carries_the_brand(api):
    preview = """mutation { previewMessage(kind: LATE_SHIPMENT, language: "en", offer: GIFT_CARD) { html } }"""
    assert "Northwind Goods" not in api(preview)["previewMessage"]["html"]
    assert api(UPDATE, {"name": "Northwind Goods", "accent": "#1a5e3a"})["updateBrand"]["ok"]
    html = api(preview)["previewMessage"]["html"]
    assert "Northwind Goods" in html and "border-top:6px solid #1a5e3a" in html


def test_saleors_shop_name_heads_the_page_once_the_dashboard_has_read_it(api, installed, runtime, client):
    api("query { messageCatalog { shopName } }")
    order = installed.add_order()
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    runtime.jobs.drain()
    html = unescape(client.get(link_path(runtime, installed, order["id"])).get_data(as_text=True))
    assert '<span class="shop">Saleor e-commerce</span>' in html
