"""Fetching a Saleor's JWKS (`<origin>/.well-known/jwks.json`), as app-sdk does."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

import requests

from saleor_cs_app.saleor.admission import Addresses
from saleor_cs_app.saleor.outbound import guarded_session
from saleor_cs_app.store import tenants

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from saleor_cs_app.settings import Settings
    from saleor_cs_app.store.db import Database
    from saleor_cs_app.store.models import Tenant

log = logging.getLogger(__name__)


class Runtime(Protocol):
    """What refreshing a tenant's JWKS needs of the process (saleor_cs_app.runtime.Runtime, one layer up)."""

    settings: Settings
    db: Database
    clock: Callable[[], datetime]
    tenant_cache: dict

    def saleor_addresses(self, saleor_api_url: str) -> Addresses: ...


class JwksUnavailable(Exception):
    pass


def jwks_url(saleor_api_url: str) -> str:
    parts = urlsplit(saleor_api_url)
    return f"{parts.scheme}://{parts.netloc}/.well-known/jwks.json"


def fetch_jwks(saleor_api_url: str, *, timeout: float = 10.0, addresses: Addresses = Addresses.PUBLIC) -> str:
    """Return the JWKS as text (kept as-is, like app-sdk's APL)."""
    try:
        with guarded_session(addresses) as session:
            response = session.get(jwks_url(saleor_api_url), timeout=timeout, allow_redirects=False)
    except requests.RequestException as exc:
        raise JwksUnavailable(f"cannot reach {jwks_url(saleor_api_url)}: {type(exc).__name__}") from None
    if response.status_code != 200:
        raise JwksUnavailable(f"{jwks_url(saleor_api_url)} answered HTTP {response.status_code}")
    try:
        keys = json.loads(response.text).get("keys")
    except (ValueError, AttributeError):
        keys = None
    if not isinstance(keys, list) or not keys:
        raise JwksUnavailable(f"{jwks_url(saleor_api_url)} has no keys")
    return response.text


class RefetchDeferred(Exception):
    """No fresh JWKS now: the per-tenant rate limit forbids a fetch, or Saleor did not answer."""


def refresh_jwks(runtime: Runtime, tenant: Tenant, *, rate_limited: bool = True) -> str:
    """Fetch the tenant's JWKS again, keep it and return it (it may be unchanged).

    With `rate_limited`, at most one fetch per tenant per
    `jwks_refetch_interval_seconds`, so a flood of requests signed with made-up
    key ids cannot make us hammer Saleor; a failed fetch counts too. Raises
    RefetchDeferred when no fresh JWKS could be had. `tenant` is updated in place.
    """
    now = runtime.clock()
    interval = timedelta(seconds=runtime.settings.jwks_refetch_interval_seconds)
    if rate_limited and now - tenant.jwks_fetched_at < interval:
        raise RefetchDeferred("the JWKS was fetched moments ago")
    try:
        fresh = fetch_jwks(
            tenant.saleor_api_url,
            timeout=runtime.settings.saleor_timeout_seconds,
            addresses=runtime.saleor_addresses(tenant.saleor_api_url),
        )
    except JwksUnavailable as exc:
        log.warning("jwks refetch failed", extra={"tenant": tenant.saleor_api_url, "error": str(exc)})
        fresh = None
    with runtime.db.transaction() as session:
        tenants.replace_jwks(session, tenant.id, fresh or tenant.jwks, now)
    runtime.tenant_cache.pop(tenant.saleor_api_url, None)
    tenant.jwks_fetched_at = now
    if fresh is None:
        raise RefetchDeferred("Saleor did not serve its JWKS")
    tenant.jwks = fresh
    return fresh


def refetch_jwks(runtime: Runtime, tenant: Tenant, *, rate_limited: bool = True) -> str | None:
    """Like refresh_jwks, but returns the JWKS only when it changed, else None."""
    old = tenant.jwks
    try:
        fresh = refresh_jwks(runtime, tenant, rate_limited=rate_limited)
    except RefetchDeferred:
        return None
    return fresh if fresh != old else None
