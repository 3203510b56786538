"""POST /graphql only answers dashboard users of a Saleor that installed the app, holding MANAGE_ORDERS."""

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.ui.conftest import track_order

POLICY = "{ policy { version document } }"
SAVE = "mutation { updatePolicy(policy: {rules: []}) { ok policy { version } } }"


def assert_refused(response, words: str):
    assert response.status_code == 401, response.get_data(as_text=True)
    body = response.get_json()
    assert body["data"] is None, "a refused caller gets no data at all"
    (error,) = body["errors"]
    assert words in error["message"] and error["extensions"]["code"] == "UNAUTHENTICATED"


def live_version(api) -> int:
    return api(POLICY)["policy"]["version"]


def test_a_dashboard_user_with_manage_orders_reads_the_policy(api):
    data = api(POLICY)
    assert data["policy"]["version"] == 1 and data["policy"]["document"]["rules"]


def test_without_a_token_the_caller_gets_nothing(api):
    assert_refused(api.post(POLICY, token=None), "Missing authorization-bearer")


def test_without_the_saleor_api_url_header_the_caller_gets_nothing(api, installed):
    assert_refused(api.post(POLICY, headers={"saleor-api-url": ""}), "Missing saleor-api-url")


def test_an_expired_token_is_refused(api, installed):
    assert_refused(api.post(POLICY, token=installed.dashboard_token(expires_in=-60)), "expired")


def test_a_token_expires_on_the_apps_clock_not_the_machines(api, installed, clock):
    token = installed.dashboard_token(expires_in=300)
    clock.advance(seconds=299)
    assert api(POLICY, token=token)["policy"]["version"] == 1
    clock.advance(seconds=1)
    assert_refused(api.post(POLICY, token=token), "expired")


def test_a_token_issued_after_the_apps_now_is_refused(api, installed, clock):
    token = installed.dashboard_token(extra_claims={"iat": int(clock.now.timestamp()) + 60})
    assert_refused(api.post(POLICY, token=token), "not signed by this Saleor")


def test_a_token_of_a_user_without_manage_orders_is_refused_and_saves_nothing(api, installed):
    token = installed.dashboard_token(user_permissions=("MANAGE_PRODUCTS", "MANAGE_GIFT_CARD"))
    assert_refused(api.post(POLICY, token=token), "MANAGE_ORDERS")
    assert_refused(api.post(SAVE, token=token), "MANAGE_ORDERS")
    assert live_version(api) == 1


def test_a_token_issued_for_another_app_is_refused(api, installed):
    token = installed.dashboard_token(app_id="QXBwOjQy")  # App:42, signed by the same Saleor
    assert_refused(api.post(SAVE, token=token), "another app")
    assert live_version(api) == 1


def test_a_token_signed_with_a_key_saleor_does_not_have_is_refused(api, installed):
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert_refused(api.post(POLICY, token=installed.dashboard_token(key=forger)), "not signed by this Saleor")


def test_a_saleor_that_did_not_install_the_app_is_refused(api, installed):
    assert_refused(api.post(POLICY, api_url="http://127.0.0.1:1/graphql/"), "has not installed")


@pytest.fixture
def other_saleor(installed, app_server, runtime, clock):
    from tests.saleor_stand_in import SaleorStandIn

    with SaleorStandIn(clock=clock) as other:
        assert other.install(f"{app_server.url}/api/manifest").status_code == 200
        runtime.jobs.drain()
        yield other


def test_another_tenants_token_does_not_open_this_tenants_data(api, installed, other_saleor, runtime):
    from tests.ui.conftest import report_wrong_item

    report_wrong_item(api, runtime, track_order(installed, runtime))
    foreign = other_saleor.dashboard_token()
    assert_refused(api.post(POLICY, token=foreign), "not signed by this Saleor")
    assert_refused(api.post(SAVE, token=foreign), "not signed by this Saleor")
    assert live_version(api) == 1
    # With its own Saleor API URL the same token is fine, and sees its own (empty) incident list only.
    own = api("{ incidents { totalCount items { id } } }", token=foreign, api_url=other_saleor.api_url)
    assert own["incidents"] == {"totalCount": 0, "items": []}
    assert api("{ incidents { totalCount } }")["incidents"]["totalCount"] == 1


def test_an_uninstalled_tenant_is_refused(api, installed, runtime):
    token = installed.dashboard_token()
    response = installed.send_webhook(
        "APP_DELETED", {"issuedAt": "2026-11-27T10:00:00+00:00", "app": {"id": installed.app_id}}
    )
    assert response.status_code == 200
    runtime.jobs.drain()
    assert_refused(api.post(POLICY, token=token), "has not installed")


def test_errors_inside_the_api_are_graphql_errors_with_a_clear_message(api):
    body = api.post("{ incident(id: 1) { id } nope }").get_json()
    assert body["data"] is None and "Cannot query field 'nope'" in body["errors"][0]["message"]
    body = api.post('mutation { approveIncident(id: "missing") { id } }').get_json()
    assert body["errors"][0]["message"] == "No such incident" and body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
