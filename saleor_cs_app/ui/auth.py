"""Who is calling the app's API: a dashboard user, as app-sdk's protected handler decides it.

The dashboard hands the iframe a JWT (`App.accessToken`) signed by that Saleor; the page sends it
as `authorization-bearer` with `saleor-api-url`. We accept the call only if that Saleor installed
us, the token verifies against its JWKS (signature, expiry, issuer), was issued for our app, and the
user holds MANAGE_ORDERS (app-sdk: src/handlers/shared/protected-action-validator.ts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from saleor_cs_app.runtime import Runtime
from saleor_cs_app.saleor.jwks import refetch_jwks
from saleor_cs_app.saleor.signatures import SignatureInvalid, UnknownKey, verify_dashboard_token
from saleor_cs_app.store import tenants
from saleor_cs_app.store.models import Tenant


REQUIRED_PERMISSION = "MANAGE_ORDERS"


class NotAuthenticated(Exception):
    """The caller gets nothing; the message is safe to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Caller:
    tenant_id: int
    saleor_api_url: str
    app_id: str
    email: str
    user_permissions: tuple[str, ...]


def authenticate(runtime: Runtime, headers: Mapping[str, str]) -> Caller:
    saleor_api_url = (headers.get("saleor-api-url") or "").strip()
    if not saleor_api_url:
        raise NotAuthenticated("Missing saleor-api-url header")
    token = (headers.get("authorization-bearer") or "").strip()
    if not token:
        scheme, _, value = (headers.get("authorization") or "").partition(" ")
        token = value.strip() if scheme.lower() == "bearer" else ""
    if not token:
        raise NotAuthenticated("Missing authorization-bearer header: open the app from the Saleor dashboard")

    with runtime.db.read() as session:
        tenant = tenants.find_active(session, saleor_api_url)
        if tenant is not None:
            session.expunge(tenant)
    if tenant is None:
        raise NotAuthenticated("This Saleor has not installed the app")

    claims = _verified_claims(runtime, tenant, token)
    if claims.get("app") != tenant.app_id:
        raise NotAuthenticated("The token was issued for another app")
    permissions = claims.get("user_permissions") or ()
    if not isinstance(permissions, list) or REQUIRED_PERMISSION not in permissions:
        raise NotAuthenticated(f"Your Saleor account needs the {REQUIRED_PERMISSION} permission to use this app")
    return Caller(
        tenant_id=tenant.id,
        saleor_api_url=tenant.saleor_api_url,
        app_id=tenant.app_id,
        email=str(claims.get("email") or claims.get("user_id") or "unknown user"),
        user_permissions=tuple(str(p) for p in permissions),
    )


def _verified_claims(runtime: Runtime, tenant: Tenant, token: str) -> dict:
    try:
        return verify_dashboard_token(token, tenant.jwks, issuer=tenant.saleor_api_url, now=runtime.clock())
    except UnknownKey:
        fresh = refetch_jwks(runtime, tenant)
        if fresh is None:
            raise NotAuthenticated("The token is not signed by this Saleor") from None
        try:
            return verify_dashboard_token(token, fresh, issuer=tenant.saleor_api_url, now=runtime.clock())
        except SignatureInvalid as exc:
            raise NotAuthenticated(_why(exc)) from None
    except SignatureInvalid as exc:
        raise NotAuthenticated(_why(exc)) from None


def _why(exc: SignatureInvalid) -> str:
    if "expired" in str(exc):
        return "The token has expired: reload the app in the Saleor dashboard"
    return "The token is not signed by this Saleor"
