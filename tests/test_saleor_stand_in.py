"""The Saleor stand-in behaves like Saleor 3.23 at the boundary the app sees."""

from __future__ import annotations

import datetime as dt
import json
import threading

import jwt
import pytest
import requests
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

from tests.conftest import TEST_START
from tests.saleor_stand_in import ManifestInvalid, SaleorStandIn

ORDER_SUBSCRIPTION = """
subscription {
  event {
    issuedAt version
    issuingPrincipal { ... on App { id } ... on User { id email } }
    recipient { id }
    ... on OrderCreated { order { id number userEmail lines { productSku quantity } privateMetadata { key value } } }
    ... on OrderUpdated { order { id } }
  }
}"""
FULFILLMENT_SUBSCRIPTION = """
subscription { event { ... on FulfillmentCreated { notifyCustomer fulfillment { id trackingNumber } order { id } } } }"""


class FakeApp:
    """Just enough of a Saleor app to be installed and to receive webhooks."""

    def __init__(self):
        self.received: list[dict] = []
        self.register_calls: list[dict] = []
        self.register_status = 200
        flask_app = Flask("fake-app")
        flask_app.add_url_rule("/api/manifest", view_func=lambda: jsonify(self.manifest))
        flask_app.add_url_rule("/api/register", view_func=self._register, methods=["POST"])
        flask_app.add_url_rule("/api/webhooks/<name>", view_func=self._webhook, methods=["POST"])
        self.server = make_server("127.0.0.1", 0, flask_app, threaded=True)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.manifest = {
            "id": "saleor.cs.test",
            "version": "1.0.0",
            "name": "CS test",
            "requiredSaleorVersion": ">=3.20 <4",
            "permissions": ["MANAGE_ORDERS", "MANAGE_GIFT_CARD", "MANAGE_DISCOUNTS"],
            "appUrl": f"{self.base}/app",
            "tokenTargetUrl": f"{self.base}/api/register",
            "extensions": [
                {
                    "label": "Care",
                    "mount": "ORDER_DETAILS_MORE_ACTIONS",
                    "url": "/care",
                    "permissions": ["MANAGE_ORDERS"],
                }
            ],
            "webhooks": [
                {
                    "name": "order-events",
                    "targetUrl": f"{self.base}/api/webhooks/order",
                    "asyncEvents": ["ORDER_CREATED", "ORDER_UPDATED"],
                    "query": ORDER_SUBSCRIPTION,
                },
                {
                    "name": "fulfillment-created",
                    "targetUrl": f"{self.base}/api/webhooks/fulfillment",
                    "query": FULFILLMENT_SUBSCRIPTION,
                },
            ],
        }
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def _register(self):
        api_url = request.headers["Saleor-Api-Url"]
        token = request.get_json()["auth_token"]
        app = requests.post(
            api_url, json={"query": "{ app { id } }"}, headers={"Authorization": f"Bearer {token}"}, timeout=5
        ).json()
        jwks = requests.get(api_url.replace("/graphql/", "/.well-known/jwks.json"), timeout=5).json()
        self.register_calls.append({"headers": dict(request.headers), "token": token, "app": app, "jwks": jwks})
        return jsonify(success=self.register_status == 200), self.register_status

    def _webhook(self, name):
        self.received.append({"name": name, "headers": dict(request.headers), "body": request.get_data()})
        return "", 200


@pytest.fixture(scope="module")
def fake_app():
    app = FakeApp()
    yield app
    app.server.shutdown()


@pytest.fixture
def saleor(clock):
    with SaleorStandIn(clock=clock) as stand_in:
        yield stand_in


@pytest.fixture
def installed(saleor, fake_app):
    fake_app.received.clear()
    saleor.install(fake_app.base + "/api/manifest")
    return saleor


def gql(saleor, query, variables=None, token="app"):
    headers = {}
    if token == "app":
        token = saleor.app_token
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(
        saleor.api_url, json={"query": query, "variables": variables or {}}, headers=headers, timeout=5
    )


def verify(signature: str, body: bytes, jwks: dict) -> dict:
    kid = jwt.get_unverified_header(signature)["kid"]
    key = jwt.PyJWKSet.from_dict(jwks)[kid].key
    return jwt.api_jws.decode_complete(signature, key=key, algorithms=["RS256"], detached_payload=body)


# --------------------------------------------------------------------- install


def test_install_posts_the_token_with_saleor_headers_and_the_token_works_during_the_handshake(installed, fake_app):
    call = fake_app.register_calls[-1]
    assert call["headers"]["Saleor-Domain"] == installed.domain
    assert call["headers"]["X-Saleor-Domain"] == installed.domain
    assert call["headers"]["Saleor-Api-Url"] == installed.api_url
    assert call["headers"]["Saleor-Schema-Version"] == "3.23"
    assert call["headers"]["User-Agent"] == "Saleor/3.23"
    assert len(call["token"]) == 30 and call["token"] == installed.app_token
    assert call["app"] == {"data": {"app": {"id": installed.app_id}}, "extensions": call["app"]["extensions"]}
    assert call["jwks"] == installed.jwks
    assert installed.webhooks["fulfillment-created"]["events"] == ["FULFILLMENT_CREATED"]
    body = gql(installed, "{ app { id identifier permissions { code } } shop { version schemaVersion } }").json()
    assert body["data"]["app"]["identifier"] == "saleor.cs.test"
    assert {p["code"] for p in body["data"]["app"]["permissions"]} == {
        "MANAGE_ORDERS",
        "MANAGE_GIFT_CARD",
        "MANAGE_DISCOUNTS",
    }
    assert body["data"]["shop"] == {"version": "3.23.28", "schemaVersion": "3.23"}


@pytest.mark.parametrize(
    "change, code",
    [
        ({"permissions": ["MANAGE_EVERYTHING"]}, "INVALID_PERMISSION"),
        ({"requiredSaleorVersion": ">=3.24"}, "UNSUPPORTED_SALEOR_VERSION"),
        (
            {"webhooks": [{"name": "x", "targetUrl": "http://h/x", "query": "subscription { event { nope } }"}]},
            "INVALID",
        ),
        (
            {
                "webhooks": [
                    {
                        "name": "x",
                        "targetUrl": "http://h/x",
                        "asyncEvents": ["order_created"],
                        "query": ORDER_SUBSCRIPTION,
                    }
                ]
            },
            "INVALID",
        ),
        (
            {
                "extensions": [
                    {"label": "x", "url": "/x", "mount": "NAVIGATION_ORDERS", "permissions": ["MANAGE_USERS"]}
                ]
            },
            "OUT_OF_SCOPE_PERMISSION",
        ),
    ],
)
def test_install_rejects_manifests_saleor_would_reject(saleor, fake_app, change, code):
    original = dict(fake_app.manifest)
    fake_app.manifest.update(change)
    try:
        with pytest.raises(ManifestInvalid) as caught:
            saleor.install(fake_app.base + "/api/manifest")
    finally:
        fake_app.manifest.clear()
        fake_app.manifest.update(original)
    assert code in [c for _, _, c in caught.value.errors]


def test_a_failed_register_deletes_the_app_so_its_token_is_anonymous(saleor, fake_app):
    fake_app.register_status = 500
    try:
        response = saleor.install(fake_app.base + "/api/manifest")
    finally:
        fake_app.register_status = 200
    assert response.status_code == 500
    assert gql(saleor, "{ app { id } }").json()["data"]["app"] is None


# ------------------------------------------------------------------ signatures


def test_webhook_signature_verifies_with_pyjwt_against_the_served_jwks_over_the_raw_body(installed, fake_app):
    order = installed.add_order()
    response = installed.send_webhook("ORDER_CREATED", order_id=order["id"], issuing_principal="staff")
    assert response.status_code == 200
    got = fake_app.received[-1]
    headers = got["headers"]
    assert headers["Saleor-Event"] == headers["X-Saleor-Event"] == "order_created"
    assert headers["Saleor-Api-Url"] == installed.api_url and headers["Saleor-Domain"] == installed.domain
    served = requests.get(f"http://{installed.domain}/.well-known/jwks.json", timeout=5).json()
    decoded = verify(headers["Saleor-Signature"], got["body"], served)
    assert decoded["header"]["b64"] is False and decoded["header"]["crit"] == ["b64"]
    assert headers["Saleor-Signature"].split(".")[1] == ""
    with pytest.raises(jwt.InvalidSignatureError):
        verify(headers["Saleor-Signature"], got["body"] + b" ", served)
    payload = json.loads(got["body"])
    assert payload["order"]["id"] == order["id"] and payload["version"] == "3.23.28"
    assert payload["issuingPrincipal"]["email"] == "staff@example.com"
    assert payload["recipient"] == {"id": installed.app_id}
    assert payload["order"]["privateMetadata"] == []


def test_rotating_the_key_changes_the_kid_and_counts_jwks_fetches(saleor):
    old_kid, body = saleor.kid, b'{"a": 1}'
    old_signature = saleor.sign(body)
    new_kid = saleor.rotate_key()
    assert new_kid != old_kid and [k["kid"] for k in saleor.jwks["keys"]] == [new_kid]
    assert jwt.get_unverified_header(saleor.sign(body))["kid"] == new_kid
    with pytest.raises(KeyError):
        verify(old_signature, body, saleor.jwks)
    saleor.rotate_key(keep_old=True)
    assert len(saleor.jwks["keys"]) == 2
    before = saleor.jwks_requests
    requests.get(f"http://{saleor.domain}/.well-known/jwks.json", timeout=5)
    assert saleor.jwks_requests == before + 1


def test_dashboard_token_carries_saleor_claims_and_verifies_against_the_jwks(installed, clock):
    token = installed.dashboard_token(user_permissions=("MANAGE_ORDERS", "MANAGE_USERS"))
    key = jwt.PyJWKSet.from_dict(installed.jwks)[installed.kid].key
    # PyJWT would check the times on the machine's clock; the token is stamped by the test clock.
    claims = jwt.decode(token, key, algorithms=["RS256"], options={"verify_exp": False, "verify_iat": False})
    assert claims["iat"] == int(clock().timestamp())
    assert claims["app"] == installed.app_id and claims["iss"] == installed.api_url
    assert claims["type"] == "thirdparty" and claims["owner"] == "saleor" and claims["is_staff"] is True
    assert claims["permissions"] == ["MANAGE_ORDERS"] and claims["exp"] - claims["iat"] == 300


# --------------------------------------------------------------- graphql errors


def test_invalid_documents_get_http_400_with_saleors_error_shape(installed):
    response = gql(installed, "{ shop { nope } }")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"] == {"exception": {"code": "GraphQLError"}} and "data" not in response.json()
    assert gql(installed, "{ shop { ").status_code == 400
    missing_transaction = 'mutation { orderGrantRefundCreate(id: "x", input: {amount: 1}) { errors { code } } }'
    assert gql(installed, missing_transaction).status_code == 400
    assert gql(installed, "query($id: ID!) { order(id: $id) { id } }").status_code == 400


def test_after_uninstall_the_token_runs_as_anonymous_and_gets_permission_errors(installed):
    query = "{ orders(first: 5) { edges { node { id } } } }"
    assert gql(installed, query).json()["data"]["orders"]["edges"] == []
    installed.uninstall()
    response = gql(installed, query)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"orders": None}
    assert body["errors"][0]["message"].endswith("you need one of the following permissions: MANAGE_ORDERS")
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert gql(installed, "{ app { id } }").json()["data"]["app"] is None


# ------------------------------------------------------------------- mutations

GIFT_CARD = """mutation($input: GiftCardCreateInput!) {
  giftCardCreate(input: $input) { giftCard { id code tags { name } initialBalance { amount currency } }
                                  errors { field code message } } }"""


@pytest.mark.parametrize(
    "change, field, code",
    [
        ({"balance": {"amount": 0, "currency": "USD"}}, "balance", "INVALID"),
        ({"balance": {"amount": -5, "currency": "USD"}}, "balance", "INVALID"),
        ({"expiryDate": str(TEST_START.date() - dt.timedelta(days=1))}, "expiryDate", "INVALID"),  # yesterday
        ({"userEmail": "someone@example.com"}, "channel", "REQUIRED"),
    ],
)
def test_gift_card_create_applies_saleors_validation_rules(installed, change, field, code):
    card_input = {"balance": {"amount": 25, "currency": "USD"}, "isActive": True, **change}
    result = gql(installed, GIFT_CARD, {"input": card_input}).json()["data"]["giftCardCreate"]
    assert result["giftCard"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [(field, code)]
    assert installed.gift_cards == {}


def test_gift_card_create_lowercases_tags_and_filters_by_exact_tag(installed):
    card_input = {
        "balance": {"amount": 25, "currency": "USD"},
        "isActive": True,
        "addTags": ["CS-Goodwill"],
        "userEmail": "c@example.com",
        "channel": "default-channel",
    }
    card = gql(installed, GIFT_CARD, {"input": card_input}).json()["data"]["giftCardCreate"]["giftCard"]
    assert card["tags"] == [{"name": "cs-goodwill"}]
    assert len(card["code"]) == 14 and card["code"].count("-") == 2
    found = "query($t: [String!]) { giftCards(first: 5, filter: {tags: $t}) { edges { node { id } } } }"
    assert len(gql(installed, found, {"t": ["cs-goodwill"]}).json()["data"]["giftCards"]["edges"]) == 1
    assert gql(installed, found, {"t": ["CS-Goodwill"]}).json()["data"]["giftCards"]["edges"] == []
    assert installed.mutations[-1].field == "giftCardCreate"
    assert installed.mutations[-1].variables["input"]["addTags"] == ["CS-Goodwill"]
    assert [e["event"] for e in installed.events[-2:]] == ["GIFT_CARD_CREATED", "GIFT_CARD_SENT"]


def test_voucher_create_needs_add_codes_and_rejects_duplicates(installed):
    query = """mutation($input: VoucherInput!) { voucherCreate(input: $input) {
        voucher { id type singleUse usageLimit codes(first: 5) { edges { node { code } } } } errors { field code } } }"""
    result = gql(installed, query, {"input": {"type": "SHIPPING"}}).json()["data"]["voucherCreate"]
    assert result["errors"] == [{"field": None, "code": "GRAPHQL_ERROR"}]
    ok = gql(
        installed,
        query,
        {"input": {"type": "SHIPPING", "addCodes": ["FREESHIP-1"], "singleUse": True, "usageLimit": 1}},
    ).json()["data"]["voucherCreate"]
    assert ok["voucher"]["codes"]["edges"][0]["node"]["code"] == "FREESHIP-1" and ok["voucher"]["singleUse"] is True
    dup = gql(installed, query, {"input": {"addCodes": ["FREESHIP-1"]}}).json()["data"]["voucherCreate"]
    assert dup["errors"] == [{"field": "codes", "code": "ALREADY_EXISTS"}]


def test_draft_order_complete_makes_a_free_paid_order_and_grant_refund_caps_at_charged(installed):
    variant = installed.variant_by_sku("SKU-MUG")
    create = """mutation($input: DraftOrderCreateInput!) { draftOrderCreate(input: $input) { order { id status } errors { field code } } }"""
    address = {
        "firstName": "A",
        "lastName": "B",
        "streetAddress1": "1 Main St",
        "city": "New York",
        "postalCode": "10001",
        "country": "US",
        "countryArea": "NY",
    }
    draft = gql(
        installed,
        create,
        {
            "input": {
                "channelId": installed.default_channel["id"],
                "userEmail": "c@example.com",
                "lines": [{"variantId": variant["id"], "quantity": 1, "price": 0}],
                "shippingAddress": address,
                "billingAddress": address,
                "shippingMethod": next(iter(installed.shipping_methods)),
            }
        },
    ).json()["data"]["draftOrderCreate"]["order"]
    assert draft["status"] == "DRAFT"
    installed.orders[draft["id"]]["shippingPrice"]["gross"]["amount"] = 0
    installed.orders[draft["id"]]["total"]["gross"]["amount"] = 0
    complete = "mutation($id: ID!) { draftOrderComplete(id: $id) { order { status origin isPaid chargeStatus } errors { code } } }"
    done = gql(installed, complete, {"id": draft["id"]}).json()["data"]["draftOrderComplete"]["order"]
    assert done == {"status": "UNFULFILLED", "origin": "DRAFT", "isPaid": True, "chargeStatus": "NONE"}
    order = installed.add_order()
    grant = """mutation($id: ID!, $t: ID!, $a: Decimal) { orderGrantRefundCreate(id: $id,
        input: {amount: $a, transactionId: $t}) { grantedRefund { amount { amount } } errors { field code } } }"""
    too_much = {"id": order["id"], "t": order["transactions"][0]["id"], "a": 10_000}
    assert gql(installed, grant, too_much).json()["data"]["orderGrantRefundCreate"]["errors"] == [
        {"field": "amount", "code": "AMOUNT_GREATER_THAN_AVAILABLE"}
    ]
    ok = gql(installed, grant, {**too_much, "a": 5}).json()["data"]["orderGrantRefundCreate"]
    assert ok["grantedRefund"]["amount"]["amount"] == 5


def test_note_and_metadata_mutations_record_state_and_echo_events(installed, fake_app):
    order = installed.add_order()
    note = 'mutation($id: ID!) { orderNoteAdd(order: $id, input: {message: "Called customer"}) { errors { code } } }'
    meta = 'mutation($id: ID!) { updatePrivateMetadata(id: $id, input: [{key: "cs", value: "1"}]) { item { privateMetadata { key value } } } }'
    assert gql(installed, note, {"id": order["id"]}).json()["data"]["orderNoteAdd"]["errors"] == []
    item = gql(installed, meta, {"id": order["id"]}).json()["data"]["updatePrivateMetadata"]["item"]
    assert item["privateMetadata"] == [{"key": "cs", "value": "1"}]
    assert installed.notes[order["id"]] == ["Called customer"]
    assert [m.field for m in installed.mutations] == ["orderNoteAdd", "updatePrivateMetadata"]
    responses = installed.deliver_events()  # ORDER_UPDATED goes to the app; ORDER_METADATA_UPDATED has no webhook
    assert [r.status_code for r in responses] == [200]
    echo = json.loads(fake_app.received[-1]["body"])
    assert echo["issuingPrincipal"] == {"id": installed.app_id} and echo["order"] == {"id": order["id"]}


# ------------------------------------------------------------ queries, failures


def test_orders_paginate_newest_first_with_opaque_cursors_and_filter_by_status(installed):
    ids = [installed.add_order()["id"] for _ in range(5)]
    installed.add_order(fulfilled=True)
    query = """query($after: String, $filter: OrderFilterInput) { orders(first: 2, after: $after, filter: $filter) {
        totalCount edges { cursor node { id number status } } pageInfo { hasNextPage endCursor } } }"""
    seen, after = [], None
    while True:
        page = gql(installed, query, {"after": after, "filter": {"status": ["UNFULFILLED"]}}).json()["data"]["orders"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == ids[::-1] and page["totalCount"] == 5
    assert "Order" not in after and after != ids[3]
    too_many = gql(installed, "{ orders(first: 101) { edges { node { id } } } }").json()
    assert too_many["data"]["orders"] is None and "exceeds the `first` limit of 100" in too_many["errors"][0]["message"]


def test_fail_next_answers_before_executing_and_fail_after_next_executes_then_fails(installed):
    order = installed.add_order()
    note = 'mutation($id: ID!) { orderNoteAdd(order: $id, input: {message: "hi"}) { errors { code } } }'
    installed.fail_next("orderNoteAdd", status=503)
    assert gql(installed, note, {"id": order["id"]}).status_code == 503
    assert installed.notes[order["id"]] == []
    installed.fail_after_next("orderNoteAdd")
    assert gql(installed, note, {"id": order["id"]}).status_code == 502
    assert installed.notes[order["id"]] == ["hi"]
    assert gql(installed, note, {"id": order["id"]}).status_code == 200


def test_subscription_payloads_are_exactly_what_the_query_asked_for(installed):
    order = installed.add_order(lines=[{"sku": "SKU-HOODIE-L", "quantity": 1}])
    fulfillment = installed.add_fulfillment(order["id"], tracking_number="TRACK-1")
    payload = installed.webhook_payload("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
    assert payload == {
        "notifyCustomer": False,
        "fulfillment": {"id": fulfillment["id"], "trackingNumber": "TRACK-1"},
        "order": {"id": order["id"]},
    }
    top_level = "subscription { orderCreated { order { id status } } }"
    assert installed.render_subscription(top_level, "ORDER_CREATED", order["id"]) == {
        "data": {"orderCreated": {"order": {"id": order["id"], "status": "FULFILLED"}}}
    }
    shipping = installed.render_subscription(
        "subscription { event { ... on OrderCreated { order { deliveryMethod { ... on ShippingMethod "
        "{ minimumDeliveryDays maximumDeliveryDays } } } } } }",
        "ORDER_CREATED",
        order["id"],
    )
    assert shipping["order"]["deliveryMethod"] == {"minimumDeliveryDays": 3, "maximumDeliveryDays": 5}


def test_every_time_saleor_stamps_comes_from_the_clock_it_was_given():
    from tests.conftest import Clock

    clock = Clock(dt.datetime(2031, 2, 3, 4, 5, tzinfo=dt.timezone.utc))
    with SaleorStandIn(clock=clock) as saleor:
        order = saleor.add_order()
        clock.advance(days=2)
        fulfillment = saleor.add_fulfillment(order["id"], tracking_number="T-1")
        earlier = saleor.add_fulfillment(
            saleor.add_order()["id"], created=clock.now - dt.timedelta(hours=1)
        )
        event = saleor.render_subscription(ORDER_SUBSCRIPTION, "ORDER_UPDATED", order["id"])
        token = saleor.dashboard_token(expires_in=300)
    assert order["created"] == "2031-02-03T04:00:00+00:00", "placed five minutes before the clock"
    assert fulfillment["created"] == order["updatedAt"] == "2031-02-05T04:05:00+00:00"
    assert earlier["created"] == "2031-02-05T03:05:00+00:00"
    assert event["issuedAt"] == "2031-02-05T04:05:00+00:00"
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["iat"] == int(clock.now.timestamp()) and claims["exp"] == claims["iat"] + 300
    assert saleor.customer["dateJoined"] == "2030-11-05T04:05:00+00:00"


DRAFT_CREATE = """mutation($input: DraftOrderCreateInput!) {
  draftOrderCreate(input: $input) { order { id } errors { field code } } }"""
DRAFT_COMPLETE = """mutation($id: ID!) {
  draftOrderComplete(id: $id) { order { status } errors { field code message variants } } }"""


def draft_input(saleor, sku="SKU-MUG", quantity=1, **extra) -> dict:
    address = {"firstName": "A", "lastName": "B", "streetAddress1": "1 Main St", "city": "New York",
               "postalCode": "10001", "country": "US", "countryArea": "NY"}  # fmt: skip
    return {
        "channelId": saleor.default_channel["id"],
        "userEmail": "c@example.com",
        "lines": [{"variantId": saleor.variant_by_sku(sku)["id"], "quantity": quantity}],
        "shippingAddress": address,
        "billingAddress": address,
        "shippingMethod": next(iter(saleor.shipping_methods)),
        **extra,
    }


def free_shipping_code(saleor, code: str, **limits) -> None:
    create = """mutation($input: VoucherInput!) { voucherCreate(input: $input) { voucher { id } errors { code } } }"""
    voucher = gql(saleor, create, {"input": {"type": "SHIPPING", "discountValueType": "PERCENTAGE",
                                             "addCodes": [code], **limits}}).json()  # fmt: skip
    listing = """mutation($id: ID!, $input: VoucherChannelListingInput!) {
      voucherChannelListingUpdate(id: $id, input: $input) { errors { code } } }"""
    channels = {"addChannels": [{"channelId": saleor.default_channel["id"], "discountValue": 100}]}
    voucher_id = voucher["data"]["voucherCreate"]["voucher"]["id"]
    assert gql(saleor, listing, {"id": voucher_id, "input": channels}).json()["data"]["voucherChannelListingUpdate"][
        "errors"
    ] == []


def place_draft(saleor, **input_fields) -> dict:
    created = gql(saleor, DRAFT_CREATE, {"input": draft_input(saleor, **input_fields)}).json()["data"]
    if created["draftOrderCreate"]["errors"]:
        return created["draftOrderCreate"]
    order_id = created["draftOrderCreate"]["order"]["id"]
    return gql(saleor, DRAFT_COMPLETE, {"id": order_id}).json()["data"]["draftOrderComplete"]


@pytest.mark.parametrize("limits", [{"singleUse": True}, {"usageLimit": 1}])
def test_a_voucher_code_used_up_by_one_order_is_refused_for_the_next(installed, limits):
    free_shipping_code(installed, "FREESHIP-ONCE", **limits)
    assert place_draft(installed, voucherCode="FREESHIP-ONCE")["order"]["status"] == "UNFULFILLED"
    again = place_draft(installed, voucherCode="FREESHIP-ONCE")
    expected = "INVALID_VOUCHER_CODE" if limits.get("singleUse") else "INVALID_VOUCHER"
    assert again["errors"] == [{"field": "voucherCode", "code": expected}]


def test_draft_order_complete_takes_stock_and_refuses_what_is_not_there(installed):
    installed.add_variant("SKU-LAST-TWO", 15, stock=2)
    assert place_draft(installed, sku="SKU-LAST-TWO", quantity=2)["order"]["status"] == "UNFULFILLED"
    refused = place_draft(installed, sku="SKU-LAST-TWO", quantity=1)
    (error,) = refused["errors"]
    assert (error["field"], error["code"]) == ("lines", "INSUFFICIENT_STOCK") and refused["order"] is None
    assert error["variants"] == [installed.variant_by_sku("SKU-LAST-TWO")["id"]]


def test_a_query_over_saleors_cost_limit_is_refused_before_it_runs(installed):
    nested = "orders(first: 100) { edges { node { lines { id productSku quantity } id number } } }"
    cheap = gql(installed, "{ " + nested + " }")
    assert cheap.status_code == 200 and cheap.json()["extensions"]["cost"]["requestedQueryCost"] == 1 + 100 * 8
    costly = gql(installed, "{ " + " ".join(f"o{i}: {nested}" for i in range(70)) + " }")
    assert costly.status_code == 400 and "data" not in costly.json()
    (error,) = costly.json()["errors"]
    assert error["message"] == "The query exceeds the maximum cost of 50000. Actual cost is 56070"
    assert costly.json()["extensions"]["cost"] == {"requestedQueryCost": 56070, "maximumAvailable": 50000}
