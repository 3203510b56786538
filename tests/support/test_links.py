"""Signed support links: bound to the shop and the order, expiring, refused kindly when tampered with."""

from __future__ import annotations

import re
from html import unescape

from datetime import timedelta

import pytest

from saleor_cs_app.links import LinkExpired, LinkInvalid, make_token, verify_token
from saleor_cs_app.signing import b64, unb64
from saleor_cs_app.store.models import Incident, SupportReport
from tests.flows import rows

SECRET = "test-secret-key-0123456789abcdef"
SHOP = "https://shop.example/graphql/"


def token_for(now, **changes):
    fields = {
        "tenant_id": 7,
        "saleor_api_url": SHOP,
        "order_id": "T3JkZXI6MQ==",
        "expires_at": now + timedelta(days=60),
    }
    return make_token(SECRET, **{**fields, **changes})


def test_a_link_verifies_for_its_shop_and_order_until_it_expires(clock):
    link = verify_token(SECRET, token_for(clock.now), lambda tenant_id: SHOP if tenant_id == 7 else None, clock.now)
    assert (link.tenant_id, link.order_id) == (7, "T3JkZXI6MQ==")
    with pytest.raises(LinkExpired):
        verify_token(SECRET, token_for(clock.now), lambda _: SHOP, clock.now + timedelta(days=60))


def test_a_link_for_another_saleor_or_under_another_key_does_not_verify(clock):
    token = token_for(clock.now)
    with pytest.raises(LinkInvalid):
        verify_token(SECRET, token, lambda _: "https://other.example/graphql/", clock.now)
    with pytest.raises(LinkInvalid):
        verify_token("another-secret-key-0123456789", token, lambda _: SHOP, clock.now)
    with pytest.raises(LinkInvalid):
        verify_token(SECRET, token, lambda _: None, clock.now)  # the shop uninstalled the app


@pytest.mark.parametrize("part", ["order", "tenant", "expiry", "signature", "garbage"])
def test_a_tampered_link_does_not_verify(clock, part):
    token = token_for(clock.now)
    payload, signature = token.split(".")
    import json

    tenant_id, order_id, expires = json.loads(unb64(payload))
    changed = {
        "order": [tenant_id, "T3JkZXI6Mg==", expires],
        "tenant": [8, order_id, expires],
        "expiry": [tenant_id, order_id, expires + 86400 * 365],
    }
    if part in changed:
        token = f"{b64(json.dumps(changed[part], separators=(',', ':')).encode())}.{signature}"
    elif part == "signature":
        token = f"{payload}.{signature[:-2]}AA"
    else:
        token = "not-a-token"
    with pytest.raises(LinkInvalid):
        verify_token(SECRET, token, lambda _: SHOP, clock.now)


def test_a_tampered_link_gets_a_friendly_page_and_changes_nothing(client, link, order):
    payload, signature = link.rsplit("/", 1)[1].split(".")
    page = client.get(f"/support/o/{payload}.{signature[::-1]}")
    assert page.status_code == 404
    assert "This link doesn't work" in unescape(page.get_data(as_text=True))
    posted = client.post(f"/support/o/{payload}.{signature[::-1]}/report", data={"problem": "damaged"})
    assert posted.status_code == 404
    assert rows(client.application.extensions["runtime"], SupportReport) == []


def test_an_expired_link_says_so_and_offers_the_order_lookup_right_below(client, link, clock, runtime, order):
    from tests.support.conftest import csrf_of

    clock.advance(days=61)
    page = client.get(link)
    assert page.status_code == 410
    body = unescape(page.get_data(as_text=True))
    assert "This link has expired. Find your order below" in body
    assert rows(runtime, Incident) == []
    # "below" is true: the look-up form is on this page, and it works from here (its CSRF token included).
    action = re.search(r'<form method="post" action="(/support/find/[^"]+)"', body).group(1)
    assert 'name="number"' in body and 'name="email"' in body
    found = client.post(action, data={"csrf": csrf_of(body), "number": order["number"], "email": order["userEmail"]})
    assert found.status_code == 303 and found.headers["Location"].startswith("/support/o/")
    assert client.get(found.headers["Location"]).status_code == 200, "a fresh link, valid again"


# How each language says "below" on the error page: only where the look-up form is there to be below.
BELOW = {
    "en": "below", "de": "unten", "es": "abajo", "et": "allpool", "fi": "alta", "fr": "ci-dessous",
    "it": "qui sotto", "lt": "žemiau", "lv": "zemāk", "nl": "hieronder", "pl": "poniżej", "sv": "nedan",
}  # fmt: skip


@pytest.mark.parametrize("language", sorted(BELOW))
def test_a_broken_link_points_to_nothing_below_it(client, language):
    from saleor_cs_app.support.i18n import strings

    assert BELOW[language] in strings(language)["link_expired"], "the expired page's form is below its words"
    page = client.get("/support/o/not-a-token", headers={"Accept-Language": language})
    body = unescape(page.get_data(as_text=True))
    assert page.status_code == 404 and strings(language)["link_invalid"] in body
    assert "<form" not in body, "a broken link names no shop, so there is no look-up to offer"
    assert BELOW[language] not in strings(language)["link_invalid"]


def test_the_page_speaks_the_orders_language(installed, runtime, client):
    from tests.support.conftest import link_path

    placed = installed.add_order(languageCodeEnum="FI")
    installed.send_webhook("ORDER_CREATED", order_id=placed["id"])
    runtime.jobs.drain()
    page = client.get(link_path(runtime, installed, placed["id"]))
    assert page.status_code == 200
    body = unescape(page.get_data(as_text=True))
    assert '<html lang="fi">' in body and f"Tilaus nro {placed['number']}" in body
