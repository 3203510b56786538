"""Signed links to an order's support page: `<APP_URL>/support/o/<token>`.

The token is `<payload>.<mac>`: the payload names the tenant, the order and the expiry; the MAC also
covers the tenant's Saleor API URL, so a link stays bound to the shop that sold the order (a
reinstalled app under another Saleor, or another shop's tenant id, does not verify). Nothing in the
payload is trusted before the MAC is checked, in constant time.

Not under support/: every customer e-mail carries the link (notify/, jobs/), and notify/ must not
import the customer's pages (tests/test_architecture.py); support/ verifies it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from saleor_cs_app.settings import Settings
from saleor_cs_app.signing import b64, mac, same, unb64

PURPOSE = "link"
MAX_TOKEN_LENGTH = 600


class LinkInvalid(Exception):
    """Tampered with, unreadable, or for a shop that is not (or no longer) here."""


class LinkExpired(Exception):
    def __init__(self, tenant_id: int):
        super().__init__("the link has expired")
        self.tenant_id = tenant_id


@dataclass(frozen=True)
class OrderLink:
    tenant_id: int
    order_id: str
    expires_at: datetime


def make_token(secret_key: str, *, tenant_id: int, saleor_api_url: str, order_id: str, expires_at: datetime) -> str:
    payload = b64(json.dumps([tenant_id, order_id, int(expires_at.timestamp())], separators=(",", ":")).encode())
    return f"{payload}.{mac(secret_key, PURPOSE, payload, saleor_api_url)}"


def support_url(settings: Settings, tenant, order_id: str, now: datetime) -> str:
    """The link every customer e-mail carries (CONTRACTS.md: the support link)."""
    token = make_token(
        settings.secret_key,
        tenant_id=tenant.id,
        saleor_api_url=tenant.saleor_api_url,
        order_id=order_id,
        expires_at=now + timedelta(days=settings.support_link_days),
    )
    return f"{settings.app_url}/support/o/{token}"


def read_token(token: str) -> tuple[int, str, datetime]:
    """The payload, unverified: only to find whose key to check the MAC with."""
    if len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1:
        raise LinkInvalid("malformed")
    payload, _ = token.split(".")
    try:
        tenant_id, order_id, expires = json.loads(unb64(payload))
        if not isinstance(tenant_id, int) or not isinstance(order_id, str) or not isinstance(expires, int):
            raise ValueError
        return tenant_id, order_id, datetime.fromtimestamp(expires, UTC)
    except (ValueError, TypeError, OverflowError, OSError):
        raise LinkInvalid("malformed") from None


def verify_token(secret_key: str, token: str, saleor_api_url_of, now: datetime) -> OrderLink:
    """`saleor_api_url_of(tenant_id)` gives the active tenant's Saleor API URL, or None."""
    tenant_id, order_id, expires_at = read_token(token)
    api_url = saleor_api_url_of(tenant_id)
    payload, signature = token.split(".")
    if not same(mac(secret_key, PURPOSE, payload, api_url or ""), signature) or api_url is None:
        raise LinkInvalid("signature")
    if expires_at <= now:
        raise LinkExpired(tenant_id)
    return OrderLink(tenant_id=tenant_id, order_id=order_id, expires_at=expires_at)


def brand_asset_url(settings: Settings, tenant_id: int, version: int, asset: str) -> str:
    """The shop's logo ("logo") or accent stylesheet ("accent.css"), public; the version renews caches."""
    return f"{settings.app_url}/support/brand/{tenant_id}/{version}/{asset}"
