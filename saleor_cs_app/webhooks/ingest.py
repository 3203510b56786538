"""Receiving a webhook: verify, store durably (deduplicated), acknowledge.

Checks run in app-sdk's order (saleor-webhook-validator.ts): headers, tenant,
signature over the raw bytes (refetching the JWKS once for an unknown key id), then the
body. Nothing is stored until every check passed. Storing the row is the one write
before the 2xx, and the row is the queue the workers read (jobs/delivery_pump.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from saleor_cs_app.errors import BadRequest, RetryLater, Unauthorized
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.saleor.jwks import RefetchDeferred, refresh_jwks
from saleor_cs_app.saleor.signatures import SignatureInvalid, UnknownKey, verify_webhook_signature
from saleor_cs_app.store import deliveries, tenants
from saleor_cs_app.store.deliveries import AlreadyStored, StoreUnavailable
from saleor_cs_app.store.models import Tenant
from saleor_cs_app.webhooks.definition import WebhookDefinition

log = logging.getLogger(__name__)

TENANT_CACHE_TTL = timedelta(seconds=5)


@dataclass(frozen=True)
class Received:
    outcome: str  # queued | duplicate | ignored


def receive(runtime: Runtime, definition: WebhookDefinition, headers, body: bytes) -> Received:
    saleor_api_url = headers.get("Saleor-Api-Url", "").strip()
    event = headers.get("Saleor-Event", "").strip()
    signature = headers.get("Saleor-Signature", "").strip()
    if not saleor_api_url:
        raise BadRequest("Missing saleor-api-url header", code="MISSING_SALEOR_API_URL")
    if not event:
        raise BadRequest("Missing saleor-event header", code="MISSING_SALEOR_EVENT")
    if event.lower() != definition.header_event:
        raise BadRequest(f"This endpoint takes {definition.header_event}, not {event}", code="WRONG_EVENT")
    if not signature:
        raise Unauthorized("Missing saleor-signature header", code="MISSING_SIGNATURE")

    tenant = _active_tenant(runtime, saleor_api_url)
    if tenant is None:
        raise Unauthorized("This Saleor has not installed the app", code="NOT_REGISTERED")
    _verify(runtime, tenant, signature, body)

    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("Body is not valid JSON", code="INVALID_JSON") from None
    if not isinstance(payload, dict):
        raise BadRequest("Body is not a JSON object", code="INVALID_JSON")

    if _caused_by_this_app(payload, tenant):
        # Saleor echoes our own mutations (orderNoteAdd → ORDER_UPDATED, …);
        # acting on them could loop, and they carry nothing we did not know.
        return Received("ignored")

    return _store_and_hand_off(runtime, tenant, definition, body)


def _active_tenant(runtime: Runtime, saleor_api_url: str) -> Tenant | None:
    """The tenant, from a per-process cache of a few seconds: every delivery needs it."""
    now = runtime.clock()
    cached = runtime.tenant_cache.get(saleor_api_url)
    if cached is not None and cached[0] > now:
        return cached[1]
    with runtime.db.read() as session:
        tenant = tenants.find_active(session, saleor_api_url)
        if tenant is not None:
            session.expunge(tenant)
    runtime.tenant_cache[saleor_api_url] = (now + TENANT_CACHE_TTL, tenant)
    return tenant


def _verify(runtime: Runtime, tenant: Tenant, signature: str, body: bytes) -> None:
    """Verify against our copy of the JWKS; a key id we lack is looked up once at Saleor.

    Only a JWKS fetched for this very request can prove a key id foreign (401):
    a valid delivery signed with a key Saleor rotated to moments ago must not be
    refused because the refetch rate limit hides it, so then it is 503 and
    Saleor retries (10 s, 20 s, ...) until a refetch is allowed. A known key id
    whose signature does not match is a forgery: 401 without asking Saleor.
    """
    fetched_now = False
    if runtime.clock() - tenant.jwks_fetched_at > timedelta(seconds=runtime.settings.jwks_max_age_seconds):
        # Keys Saleor no longer serves (rotated after a leak) must stop working
        # even while they still verify against our copy.
        try:
            refresh_jwks(runtime, tenant, rate_limited=False)
            fetched_now = True
        except RefetchDeferred:
            pass  # Saleor unreachable: keep verifying with the keys we have
    try:
        verify_webhook_signature(signature, body, tenant.jwks)
        return
    except UnknownKey:
        if fetched_now:
            raise _refused("signature key id is not in the JWKS") from None
    except SignatureInvalid as exc:
        raise _refused(str(exc)) from None
    try:
        fresh = refresh_jwks(runtime, tenant)  # Saleor may have rotated its key
    except RefetchDeferred as exc:
        raise RetryLater(
            f"Signed with a key we have not fetched yet ({exc}); please retry", code="KEY_NOT_YET_KNOWN"
        ) from None
    try:
        verify_webhook_signature(signature, body, fresh)
    except SignatureInvalid as exc:
        raise _refused(str(exc)) from None


def _refused(reason: str) -> Unauthorized:
    return Unauthorized(f"Signature verification failed: {reason}", code="SIGNATURE_VERIFICATION_FAILED")


def _caused_by_this_app(payload: dict, tenant: Tenant) -> bool:
    principal = payload.get("issuingPrincipal") or {}
    return principal.get("__typename") == "App" and principal.get("id") == tenant.app_id


def _store_and_hand_off(runtime: Runtime, tenant: Tenant, definition: WebhookDefinition, body: bytes) -> Received:
    # One request can fire several events with byte-identical payloads (same order,
    # same issuedAt), so the event is part of the key; a retry repeats both.
    digest = hashlib.sha256(definition.event.encode() + b"\n" + body).hexdigest()
    try:
        deliveries.insert_received(
            runtime.db, tenant_id=tenant.id, event=definition.event, digest=digest, body=body.decode(), now=runtime.clock()
        )
    except StoreUnavailable:
        log.exception("storing a delivery failed", extra={"tenant": tenant.saleor_api_url, "event": definition.event})
        raise RetryLater("Database unavailable; please retry", code="DATABASE_UNAVAILABLE") from None
    except AlreadyStored:
        # The same bytes again: a Saleor retry (or a concurrent duplicate). The row is
        # the queue, so whether or not it was processed yet, nothing is to be handed on.
        return Received("duplicate")
    runtime.jobs.delivery_stored()
    return Received("queued")
