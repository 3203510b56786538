"""The install handshake, in app-sdk's order (register-action-handler.ts).

Saleor POSTs `{"auth_token": ...}` to tokenTargetUrl with the `Saleor-Api-Url`
header. We refuse Saleors outside ALLOWED_SALEOR_URLS and Saleors whose name
resolves where they may not (saleor/admission.py), prove the token by
asking that Saleor for our app id, fetch its JWKS, then store the tenant with
the token encrypted. Any error here makes Saleor delete the app and show our
message to the merchant, so messages are short and say what to do.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from saleor_cs_app.errors import AppError, BadRequest, Forbidden, Unauthorized
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.saleor.admission import NOT_ALLOWED, NOT_PUBLIC, Addresses, admit, is_loopback_name
from saleor_cs_app.saleor.client import SaleorClient, SaleorError
from saleor_cs_app.saleor.jwks import JwksUnavailable, fetch_jwks
from saleor_cs_app.saleor.outbound import AddressRefused, check_url
from saleor_cs_app.store import tenants

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Installed:
    tenant_id: int
    app_id: str
    reinstalled: bool


def parse_register_request(headers, body: object) -> tuple[str, str]:
    saleor_api_url = headers.get("Saleor-Api-Url", "").strip()
    if not saleor_api_url:
        raise BadRequest("Missing saleor-api-url header", code="MISSING_SALEOR_API_URL")
    parts = urlsplit(saleor_api_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadRequest("saleor-api-url header is not a URL", code="INVALID_SALEOR_API_URL")
    if not isinstance(body, dict) or not isinstance(body.get("auth_token"), str) or not body["auth_token"]:
        raise BadRequest("Missing auth_token in the body", code="MISSING_AUTH_TOKEN")
    return saleor_api_url, body["auth_token"]


def register(runtime: Runtime, saleor_api_url: str, auth_token: str, *, remote_addr: str | None = None) -> Installed:
    addresses = _admitted_addresses(runtime, saleor_api_url, remote_addr)
    timeout = runtime.settings.saleor_timeout_seconds
    client = SaleorClient(saleor_api_url, auth_token, timeout=timeout, addresses=addresses)
    try:
        app_id = (client.execute("AppId").get("app") or {}).get("id")
    except SaleorError as exc:
        log.warning("register: app id query failed", extra={"tenant": saleor_api_url, "error": str(exc)})
        app_id = None
    if not app_id:
        raise Unauthorized("Saleor did not confirm the app token; is the app active?", code="UNKNOWN_APP_ID")
    try:
        jwks = fetch_jwks(saleor_api_url, timeout=timeout, addresses=addresses)
    except JwksUnavailable as exc:
        log.warning("register: JWKS unavailable", extra={"tenant": saleor_api_url, "error": str(exc)})
        raise Unauthorized("Could not fetch Saleor's JWKS to verify webhooks.", code="JWKS_NOT_AVAILABLE") from None
    now = runtime.clock()
    try:
        with runtime.db.transaction() as session:
            tenant, created = tenants.save_installation(
                session,
                saleor_api_url=saleor_api_url,
                app_id=app_id,
                token_ciphertext=runtime.cipher.encrypt(auth_token),
                jwks=jwks,
                now=now,
            )
            runtime.on_installed(session, tenant, now)
            tenant_id = tenant.id
    except AppError:
        raise
    except Exception:
        log.exception("register: saving the installation failed", extra={"tenant": saleor_api_url})
        raise AppError("The app could not save the installation; try again.", code="APL_SAVE_FAILED") from None
    runtime.tenant_cache.pop(saleor_api_url, None)
    try:
        # Orders placed before the install (or while an old install was gone) get tracked too.
        runtime.jobs.enqueue("reconcile_tenant", tenant_id)
    except Exception:
        log.warning("register: could not queue reconciliation", extra={"tenant": saleor_api_url})
    log.info("installed", extra={"tenant": saleor_api_url, "reinstall": not created})
    return Installed(tenant_id=tenant_id, app_id=app_id, reinstalled=not created)


def _admitted_addresses(runtime: Runtime, saleor_api_url: str, remote_addr: str | None) -> Addresses:
    """Where this Saleor may be reached, or Forbidden before the app makes any request to it."""
    settings = runtime.settings
    admission = admit(settings.allowed_saleor_urls, settings.app_url, saleor_api_url)
    # A local trial that listens on more than loopback must not let the network point it at this machine.
    local_only = admission.addresses is Addresses.LOOPBACK and not is_loopback_name(remote_addr or "")
    if not admission.allowed or local_only:
        log.warning("register: Saleor not allowed", extra={"tenant": saleor_api_url, "remote": remote_addr})
        raise Forbidden(admission.reason or NOT_ALLOWED, code="SALEOR_URL_PROHIBITED")
    if admission.addresses is Addresses.ANY:
        return admission.addresses  # named by the operator: whatever it resolves to
    try:
        check_url(saleor_api_url, admission.addresses)
    except AddressRefused as exc:
        log.warning("register: Saleor address refused", extra={"tenant": saleor_api_url, "error": str(exc)})
        raise Forbidden(NOT_PUBLIC, code="SALEOR_URL_PROHIBITED") from None
    return admission.addresses
