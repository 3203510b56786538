"""HTTP to a Saleor only at addresses the admission rule allows, checked on every new connection.

A host name is resolved once per connection; every address it resolves to is checked, and the socket
is opened to one of those checked addresses, never to a second lookup. So DNS rebinding (a name that
answers a public address to the check and 10.0.0.1 to the connection) cannot slip past, neither at
install time nor on any later call: the guard sits in the requests session that the Saleor client and
the JWKS fetch use. TLS still verifies the certificate against the host name.

Proxies (HTTPS_PROXY and the like) are not used on these sessions: through a proxy, the proxy would
resolve the name, and the check would be of the proxy's address instead of Saleor's.
"""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from saleor_cs_app.saleor.admission import Addresses, address_allowed


class AddressRefused(OSError):
    """The host resolves to an address the rule does not allow (or does not resolve at all)."""


def checked_addresses(host: str, port: int, rule: Addresses) -> list[str]:
    """Every address `host` resolves to, if all of them are allowed; else AddressRefused."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise AddressRefused(f"{host} does not resolve: {exc}") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        if not address_allowed(ipaddress.ip_address(address), rule):
            raise AddressRefused(f"{host} resolves to {address}, which is not allowed ({rule.value} only)")
    return addresses


def check_url(url: str, rule: Addresses) -> None:
    """The install-time check, for a clear refusal before any request is made."""
    parts = urlsplit(url)
    checked_addresses(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80), rule)


def guarded_session(rule: Addresses) -> requests.Session:
    session = requests.Session()
    guard(session, rule)
    return session


def guard(session: requests.Session, rule: Addresses) -> None:
    adapter = _GuardedAdapter(rule)
    for prefix in ("http://", "https://"):
        session.mount(prefix, adapter)


class _GuardedAdapter(HTTPAdapter):
    def __init__(self, rule: Addresses):
        self._rule = rule
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _pool_classes(self._rule)

    def send(self, request, *args, **kwargs):
        kwargs["proxies"] = {}  # see the module docstring; REQUESTS_CA_BUNDLE and the like still apply
        return super().send(request, *args, **kwargs)


class _CheckedConnect:
    """Mixed into urllib3's connections: resolve, check every address, connect to a checked one."""

    rule: Addresses

    def _new_conn(self) -> socket.socket:
        name = self._dns_host
        last: Exception | None = None
        for address in checked_addresses(name, self.port, self.rule):
            # urllib3 connects to `_dns_host`; `host` (Host header, TLS server name) is read after this returns.
            self._dns_host = address
            try:
                return super()._new_conn()
            except NewConnectionError as exc:
                last = exc
            finally:
                self._dns_host = name
        raise last or AddressRefused(f"{name}: no address")


@lru_cache(maxsize=None)
def _pool_classes(rule: Addresses) -> dict:
    http = type("GuardedHTTPConnection", (_CheckedConnect, HTTPConnection), {"rule": rule})
    https = type("GuardedHTTPSConnection", (_CheckedConnect, HTTPSConnection), {"rule": rule})
    return {
        "http": type("GuardedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": http}),
        "https": type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": https}),
    }
