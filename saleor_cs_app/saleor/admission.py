"""Which Saleors may install the app, and which addresses the app may then call for them.

Pure rules over plain data (the allow-list, APP_URL, the Saleor API URL, an IP address). An installed
Saleor can make the app send mail through the operator's server and make it call any URL it names, so:

- With ALLOWED_SALEOR_URLS unset, only a Saleor on the same loopback host as APP_URL (a local trial)
  gets in. `*` is how an operator opts into serving anyone.
- Like Saleor's own outgoing-request filter (requests_hardened, HTTP_IP_FILTER_ENABLED), a Saleor may
  resolve only to public addresses unless the allow-list names it: an exact URL, or a pattern whose
  host is more than wildcards. The local trial may resolve to loopback addresses only.
"""

from __future__ import annotations

import enum
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from saleor_cs_app.settings import ANYONE

SETTING = "ALLOWED_SALEOR_URLS"


class Addresses(enum.Enum):
    """Where a Saleor's host name may point."""

    PUBLIC = "public"  # global unicast only
    LOOPBACK = "loopback"  # the local trial: this machine only
    ANY = "any"  # named in the allow-list by the operator


@dataclass(frozen=True)
class Admission:
    allowed: bool
    addresses: Addresses = Addresses.PUBLIC
    reason: str | None = None  # why not, for the merchant (Saleor shows it in the dashboard)


NOT_ALLOWED = (
    f"This app serves only the Saleors its operator allows: ask them to add your Saleor API URL to {SETTING}."
)
NOT_PUBLIC = (
    "Your Saleor API URL does not resolve to a public internet address; the app's operator must name it "
    f"in {SETTING} to allow a private one."
)


def admit(allowed_saleor_urls: tuple[str, ...], app_url: str, saleor_api_url: str) -> Admission:
    if not allowed_saleor_urls:
        if is_local_trial(app_url, saleor_api_url):
            return Admission(True, Addresses.LOOPBACK)
        return Admission(False, reason=NOT_ALLOWED)
    matching = [p for p in allowed_saleor_urls if _pattern_matches(p, saleor_api_url)]
    if any(not is_wildcard(p) for p in matching):
        return Admission(True, Addresses.ANY)
    if matching:
        return Admission(True, Addresses.PUBLIC)
    return Admission(False, reason=NOT_ALLOWED)


def addresses_for(allowed_saleor_urls: tuple[str, ...], app_url: str, saleor_api_url: str) -> Addresses:
    """For calls to an installed Saleor; one the allow-list no longer admits may reach public addresses only."""
    admission = admit(allowed_saleor_urls, app_url, saleor_api_url)
    return admission.addresses if admission.allowed else Addresses.PUBLIC


def is_local_trial(app_url: str, saleor_api_url: str) -> bool:
    app_host, saleor_host = urlsplit(app_url).hostname, urlsplit(saleor_api_url).hostname
    return bool(app_host) and app_host == saleor_host and is_loopback_name(app_host)


def is_loopback_name(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):  # RFC 6761: always loopback
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_wildcard(pattern: str) -> bool:
    """`*`, or a pattern whose host is only wildcards (`http://*/graphql/`): it names nobody."""
    if pattern == ANYONE:
        return True
    host = urlsplit(pattern).netloc.rpartition("@")[2].split(":")[0]
    return host.replace("*", "").replace(".", "") == ""


def _pattern_matches(pattern: str, url: str) -> bool:
    if pattern == ANYONE:
        return True
    # `*` may stand for any run of characters except "/", so a pattern cannot be
    # stretched across path segments into another host's URL.
    regex = "".join("[^/]*" if ch == "*" else re.escape(ch) for ch in pattern)
    return re.fullmatch(regex, url) is not None


def address_allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address, rule: Addresses) -> bool:
    if rule is Addresses.ANY:
        return True
    if rule is Addresses.LOOPBACK:
        return address.is_loopback
    return is_public(address)


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Global unicast: not private, loopback, link-local, multicast, reserved, unspecified, shared (CGNAT)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return False  # ::ffff:10.0.0.1 reaches 10.0.0.1 on a dual-stack socket
        embedded = address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is not None and not is_public(embedded):
            return False
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address.is_link_local
        or address.is_loopback
        or address.is_private
    )


def describe(allowed_saleor_urls: tuple[str, ...], app_url: str) -> tuple[bool, str]:
    """(is a warning, the line `serve` prints at start) — who can install this app."""
    if not allowed_saleor_urls:
        host = urlsplit(app_url).hostname or ""
        if is_loopback_name(host):
            return True, (
                f"{SETTING} is not set: only a Saleor on {host} may install the app (local trial); "
                f"set it to your Saleor API URL, or to * to serve any Saleor"
            )
        return True, (
            f"{SETTING} is not set: no Saleor can install the app; set it to your Saleor API URL "
            f"(e.g. https://shop.saleor.cloud/graphql/), or to * to serve any Saleor"
        )
    if ANYONE in allowed_saleor_urls:
        return True, (
            f"{SETTING}=*: any Saleor on the internet may install the app and send e-mail through SMTP_URL "
            "(from MAIL_FROM only)"
        )
    return False, f"Saleors allowed to install the app ({SETTING}): {', '.join(allowed_saleor_urls)}"
