"""The admission rules as pure functions: who may install, and where their host name may point."""

import ipaddress

import pytest

from saleor_cs_app.saleor.admission import Addresses, address_allowed, admit, describe, is_public

LOCAL_APP = "http://127.0.0.1:8000"
PUBLIC_APP = "https://care.operator.example"


def test_with_no_allow_list_only_a_saleor_on_the_app_host_loopback_is_admitted():
    assert admit((), LOCAL_APP, "http://127.0.0.1:9000/graphql/") == admit((), LOCAL_APP, "http://127.0.0.1/graphql/")
    assert admit((), LOCAL_APP, "http://127.0.0.1:9000/graphql/").addresses is Addresses.LOOPBACK
    assert admit((), "http://localhost:8000", "http://localhost:9000/graphql/").allowed
    assert not admit((), LOCAL_APP, "http://localhost:9000/graphql/").allowed, "another host name"
    assert not admit((), LOCAL_APP, "https://shop.saleor.cloud/graphql/").allowed


def test_with_no_allow_list_a_deployed_app_admits_nobody_and_says_which_setting_to_set():
    for url in ("https://shop.saleor.cloud/graphql/", "http://care.operator.example/graphql/"):
        refused = admit((), PUBLIC_APP, url)
        assert not refused.allowed and "ALLOWED_SALEOR_URLS" in refused.reason


def test_star_admits_anyone_to_public_addresses_only():
    assert admit(("*",), PUBLIC_APP, "https://anyone.example/graphql/").addresses is Addresses.PUBLIC
    assert admit(("http://*/graphql/",), PUBLIC_APP, "http://10.0.0.5/graphql/").addresses is Addresses.PUBLIC


@pytest.mark.parametrize(
    "entry", ["http://10.0.0.5:8000/graphql/", "http://10.0.0.5:*/graphql/", "https://*.saleor.internal/graphql/"]
)
def test_an_entry_that_names_its_host_admits_it_at_any_address(entry):
    url = "https://shop.saleor.internal/graphql/" if "internal" in entry else "http://10.0.0.5:8000/graphql/"
    assert admit(("*", entry), PUBLIC_APP, url).addresses is Addresses.ANY


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.0.1",
        "192.168.0.1",
        "127.0.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.1.1",
        "240.0.0.1",
        "255.255.255.255",
        "192.0.2.2",
        "::",
        "::1",
        "fe80::1",
        "fd00::2",
        "ff0e::1",
        "::ffff:8.8.8.8",
        "2002:7f00:1::1",  # 6to4 around 127.0.0.1
        "2001:db8::1",
    ],
)
def test_non_global_addresses_are_not_public(address):
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "2002:5db8:d70e::1"])
def test_global_unicast_addresses_are_public(address):
    assert is_public(ipaddress.ip_address(address))


def test_the_local_trial_may_reach_loopback_only():
    assert address_allowed(ipaddress.ip_address("::1"), Addresses.LOOPBACK)
    assert not address_allowed(ipaddress.ip_address("10.0.0.5"), Addresses.LOOPBACK)
    assert not address_allowed(ipaddress.ip_address("93.184.215.14"), Addresses.LOOPBACK)


def test_the_start_line_tells_the_operator_who_can_install():
    warn, line = describe((), LOCAL_APP)
    assert warn and "local trial" in line and "ALLOWED_SALEOR_URLS" in line
    warn, line = describe((), PUBLIC_APP)
    assert warn and "no Saleor can install" in line
    warn, line = describe(("*",), PUBLIC_APP)
    assert warn and "any Saleor" in line
    warn, line = describe(("https://shop.saleor.cloud/graphql/",), PUBLIC_APP)
    assert not warn and "https://shop.saleor.cloud/graphql/" in line
