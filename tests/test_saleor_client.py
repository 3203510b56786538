"""The gql client: typed errors that keep partial data, retries for queries only, timeouts."""

import pytest

from saleor_cs_app.saleor.admission import Addresses
from saleor_cs_app.saleor.client import SaleorClient, SaleorGraphQLError, SaleorRejected, SaleorUnavailable


def client_for(saleor, token=None, **options):
    return SaleorClient(
        saleor.api_url, token or saleor.app_token, timeout=5, backoff_seconds=0.01, addresses=Addresses.LOOPBACK, **options
    )


def test_a_query_is_answered_with_its_data(installed):
    assert client_for(installed).execute("AppId") == {"app": {"id": installed.app_id}}


def test_permission_errors_are_typed_and_keep_partial_data(installed):
    installed.uninstall()
    with pytest.raises(SaleorGraphQLError) as error:
        client_for(installed).execute("AppId")
    assert error.value.is_permission_denied
    assert error.value.data == {"app": None}


def test_queries_are_retried_with_backoff_on_5xx(installed):
    installed.fail_next("app", times=2, status=502)
    assert client_for(installed, attempts=3).execute("AppId")["app"]["id"] == installed.app_id


def test_mutations_are_not_retried_by_the_client(installed):
    installed.fail_next("orderNoteAdd", times=1, status=503)
    order = installed.add_order()
    with pytest.raises(SaleorUnavailable):
        client_for(installed).execute("OrderNoteAdd", {"order": order["id"], "message": "hello"})
    assert installed.notes[order["id"]] == [], "the failed attempt did nothing, and nothing retried it"


def test_an_unreachable_saleor_is_unavailable_not_a_crash():
    with pytest.raises(SaleorUnavailable):
        SaleorClient(
            "http://127.0.0.1:9/graphql/", "t" * 30, timeout=1, attempts=1, addresses=Addresses.LOOPBACK
        ).execute("AppId")


def test_the_token_never_shows_in_the_clients_repr(installed):
    assert installed.app_token not in repr(client_for(installed))


def test_an_invalid_request_is_rejected_not_retried(installed):
    with pytest.raises((SaleorRejected, SaleorGraphQLError)):
        client_for(installed).execute("OrderNoteAdd", {"order": None, "message": None})
