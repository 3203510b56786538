"""Who may install the app (issue 12 §3): nobody but a local trial by default, `*` for anyone on the
public internet, private addresses only when the operator names them, and no DNS-rebinding way round.

The stand-in Saleor runs on 127.0.0.1. A Saleor "on the internet" is the same stand-in behind a fake
resolver and a fake NAT (the network boundary we cannot run here): a name resolves to a public
address, and a connection to that address reaches the stand-in.
"""

import socket

import pytest
import urllib3.util.connection
from sqlalchemy import select

from saleor_cs_app.saleor.admission import NOT_ALLOWED, NOT_PUBLIC, Addresses
from saleor_cs_app.saleor.client import SaleorClient, SaleorUnavailable
from saleor_cs_app.store.models import Tenant

PUBLIC_APP_URL = "https://care.operator.example"
PUBLIC_ADDRESS = "93.184.215.14"


class FakeInternet:
    """`answers[name]`: the addresses each lookup returns, in turn (the last one repeats)."""

    def __init__(self):
        self.answers: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []
        self.connected: list[str] = []


@pytest.fixture
def internet(monkeypatch):
    net = FakeInternet()
    real_getaddrinfo, real_connect = socket.getaddrinfo, urllib3.util.connection.create_connection

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in net.answers:
            return real_getaddrinfo(host, port, *args, **kwargs)
        net.lookups.append(host)
        turns = net.answers[host]
        addresses = turns.pop(0) if len(turns) > 1 else turns[0]
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (a, port, 0, 0))
            if ":" in a
            else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in addresses
        ]

    def create_connection(address, *args, **kwargs):
        host, port = address
        net.connected.append(host)
        return real_connect(("127.0.0.1" if host == PUBLIC_ADDRESS else host, port), *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(urllib3.util.connection, "create_connection", create_connection)
    return net


def register(client, api_url, token, remote_addr="127.0.0.1"):
    return client.post(
        "/api/register",
        json={"auth_token": token},
        headers={"Saleor-Api-Url": api_url},
        environ_base={"REMOTE_ADDR": remote_addr},
    )


def allow(runtime, *, app_url=PUBLIC_APP_URL, allowed=()):
    runtime.settings = runtime.settings.with_changes(app_url=app_url, allowed_saleor_urls=tuple(allowed))


def tenants(runtime):
    with runtime.db.read() as session:
        return session.scalars(select(Tenant.saleor_api_url)).all()


def assert_refused(response, saleor, runtime, *words):
    assert response.status_code == 403, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert response.get_json()["success"] is False and error["code"] == "SALEOR_URL_PROHIBITED"
    assert "ALLOWED_SALEOR_URLS" in error["message"] and len(error["message"]) < 255
    for word in words:
        assert word in error["message"]
    assert saleor.requests == [] and saleor.jwks_requests == 0, "the app called the refused Saleor"
    assert tenants(runtime) == [], "a refusal stores nothing"


def public_saleor(saleor, internet, *answers):
    """The stand-in under a public name; `answers`: what each lookup of that name returns."""
    name = "shop.saleor.example"
    internet.answers[name] = [list(a) for a in answers] or [[PUBLIC_ADDRESS]]
    return f"http://{name}:{saleor.domain.rpartition(':')[2]}/graphql/"


def test_by_default_a_strangers_saleor_is_refused_with_the_setting_named(saleor, client, runtime):
    allow(runtime)  # a deployed app: APP_URL public, ALLOWED_SALEOR_URLS unset
    response = register(client, saleor.api_url, saleor.create_app())
    assert_refused(response, saleor, runtime, NOT_ALLOWED)


def test_by_default_a_public_saleor_is_refused_too(saleor, client, runtime, internet):
    allow(runtime)
    response = register(client, public_saleor(saleor, internet), saleor.create_app())
    assert_refused(response, saleor, runtime, NOT_ALLOWED)
    assert internet.lookups == [] and internet.connected == [], "refused before any lookup"


def test_the_local_trial_is_refused_when_the_register_comes_from_another_machine(saleor, client, runtime):
    # APP_URL and the Saleor share 127.0.0.1 (the local trial), but this caller is on the network.
    response = register(client, saleor.api_url, saleor.create_app(), remote_addr="192.0.2.7")
    assert_refused(response, saleor, runtime, NOT_ALLOWED)


def test_the_local_trial_installs_a_saleor_on_the_app_host(saleor, client, runtime):
    response = register(client, saleor.api_url, saleor.create_app())
    assert response.status_code == 200, response.get_data(as_text=True)
    assert tenants(runtime) == [saleor.api_url]


def test_star_lets_any_saleor_on_a_public_address_install(saleor, client, runtime, internet):
    allow(runtime, allowed=["*"])
    api_url = public_saleor(saleor, internet)
    response = register(client, api_url, saleor.create_app())
    assert response.status_code == 200, response.get_data(as_text=True)
    assert tenants(runtime) == [api_url]
    assert set(internet.connected) == {PUBLIC_ADDRESS}, "connections go to the address that was checked"


@pytest.mark.parametrize(
    "addresses",
    [
        ["10.0.0.5"],
        ["169.254.169.254"],  # cloud metadata
        ["100.64.0.1"],  # carrier-grade NAT
        ["0.0.0.0"],
        ["224.0.1.1"],
        ["::ffff:127.0.0.1"],
        ["fd00::2"],
        ["fe80::1"],
        [PUBLIC_ADDRESS, "192.168.1.1"],  # every address counts, not just the first
    ],
)
def test_star_does_not_let_a_saleor_on_a_private_address_install(saleor, client, runtime, internet, addresses):
    allow(runtime, allowed=["*"])
    response = register(client, public_saleor(saleor, internet, addresses), saleor.create_app())
    assert_refused(response, saleor, runtime, NOT_PUBLIC)
    assert internet.connected == []


def test_star_does_not_let_the_loopback_stand_in_install(saleor, client, runtime):
    allow(runtime, allowed=["*", "http://*/graphql/"])  # a pattern with a wildcard host names nobody
    response = register(client, saleor.api_url, saleor.create_app())
    assert_refused(response, saleor, runtime, NOT_PUBLIC)


@pytest.mark.parametrize("entry", ["{url}", "http://127.0.0.1:*/graphql/"])
def test_a_private_saleor_the_operator_names_installs(saleor, client, runtime, entry):
    allow(runtime, allowed=["*", entry.format(url=saleor.api_url)])
    response = register(client, saleor.api_url, saleor.create_app())
    assert response.status_code == 200, response.get_data(as_text=True)
    assert tenants(runtime) == [saleor.api_url]


def test_a_name_that_rebinds_to_loopback_after_the_check_is_never_called(saleor, client, runtime, internet):
    allow(runtime, allowed=["*"])
    # The first lookup (the check) answers a public address, every later one this machine.
    api_url = public_saleor(saleor, internet, [PUBLIC_ADDRESS], ["127.0.0.1"])
    response = register(client, api_url, saleor.create_app())
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "UNKNOWN_APP_ID"
    assert saleor.requests == [] and internet.connected == [], "no connection to the rebound address"
    assert tenants(runtime) == []


def test_the_saleor_client_checks_the_address_on_every_connection(saleor, internet):
    token = saleor.create_app()
    api_url = public_saleor(saleor, internet, [PUBLIC_ADDRESS], ["10.0.0.5"])
    client = SaleorClient(api_url, token, timeout=5, attempts=1, addresses=Addresses.PUBLIC)
    assert client.execute("AppId") == {"app": {"id": saleor.app_id}}
    with pytest.raises(SaleorUnavailable):
        SaleorClient(api_url, token, timeout=5, attempts=1, addresses=Addresses.PUBLIC).execute("AppId")
    assert internet.connected == [PUBLIC_ADDRESS] and len(saleor.requests) == 1


def test_a_proxy_in_the_environment_is_not_used_so_the_check_is_of_saleors_own_address(saleor, internet, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://93.184.215.99:3128")  # through it, the proxy would resolve the name
    token = saleor.create_app()
    client = SaleorClient(public_saleor(saleor, internet), token, timeout=5, attempts=1, addresses=Addresses.PUBLIC)
    assert client.execute("AppId") == {"app": {"id": saleor.app_id}}
    assert internet.connected == [PUBLIC_ADDRESS]
