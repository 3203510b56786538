"""Connecting a merchant's tracking account (AfterShip, DHL): keys stored encrypted, never shown back."""

from __future__ import annotations

from dataclasses import dataclass

from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store import tracking_connections
from saleor_cs_app.tracking import aftership, dhl, key_refusals
from saleor_cs_app.tracking.aftership import registration
from saleor_cs_app.tracking.aftership.api import AfterShipClient, AfterShipError
from saleor_cs_app.tracking.dhl.api import DhlClient, DhlError

PROVIDERS = (aftership.NAME, dhl.NAME)


class ConnectionInvalid(ValueError):
    pass


@dataclass(frozen=True)
class Connected:
    provider: str
    webhook_url: str | None  # where the service must send its webhooks (AfterShip), None for polled ones


def connect(runtime: Runtime, tenant_id: int, provider: str, *, api_key: str, webhook_secret: str | None = None) -> Connected:
    api_key, webhook_secret = (api_key or "").strip(), (webhook_secret or "").strip() or None
    if provider not in PROVIDERS:
        raise ConnectionInvalid(f"unknown tracking service {provider!r}; one of {', '.join(PROVIDERS)}")
    if not api_key or len(api_key) > 500:
        raise ConnectionInvalid("an API key is required")
    if provider == aftership.NAME and not webhook_secret:
        raise ConnectionInvalid("AfterShip needs the webhook secret too (AfterShip: Settings → Webhooks)")
    with runtime.db.transaction() as session:
        row = tracking_connections.save(
            session,
            tenant_id,
            provider,
            api_key_ciphertext=runtime.cipher.encrypt(api_key),
            webhook_secret_ciphertext=runtime.cipher.encrypt(webhook_secret) if webhook_secret else None,
            now=runtime.clock(),
        )
        refused_since, row.key_refused_since, row.key_refusal = row.key_refused_since, None, None  # of the old key
        public_id = row.public_id
        reopened = []
        if provider == aftership.NAME and refused_since is not None:
            reopened = registration.reopen_refused(session, tenant_id, refused_since, runtime.clock())
    if runtime.jobs is not None:
        # Parcels already shipped get followed now, not at their next event (a deadline that passed
        # before the source followed them proves nothing: see care/late_delivery.py).
        runtime.jobs.enqueue("reconcile_tenant", tenant_id)
        for registration_id in reopened:
            runtime.jobs.enqueue("register_tracking", registration_id)
    return Connected(provider=provider, webhook_url=webhook_url(runtime, provider, public_id))


def webhook_url(runtime: Runtime, provider: str, public_id: str) -> str | None:
    return f"{runtime.settings.app_url}/api/tracking/aftership/{public_id}" if provider == aftership.NAME else None


def disconnect(runtime: Runtime, tenant_id: int, provider: str) -> bool:
    with runtime.db.transaction() as session:
        return tracking_connections.remove(session, tenant_id, provider)


def check_connection(runtime: Runtime, tenant_id: int, provider: str) -> str | None:
    """None when the service accepts the stored key, else what went wrong (safe to show)."""
    with runtime.db.read() as session:
        row = tracking_connections.find(session, tenant_id, provider)
        ciphertext = row.api_key_ciphertext if row else None
    if ciphertext is None:
        return "not connected"
    api_key = runtime.cipher.decrypt(ciphertext)
    timeout = runtime.settings.tracking_timeout_seconds
    try:
        if provider == dhl.NAME:
            DhlClient(runtime.settings.dhl_api_url, api_key, timeout=timeout).check()
        else:
            AfterShipClient(runtime.settings.aftership_api_url, api_key, timeout=timeout).check()
    except (AfterShipError, DhlError) as exc:
        if key_refusals.refuses_key(getattr(exc, "status", None)):
            with runtime.db.transaction() as session:
                key_refusals.note_key_refused(session, tenant_id, provider, ciphertext, str(exc), runtime.clock())
        return str(exc)
    with runtime.db.transaction() as session:
        key_refusals.note_key_accepted(session, tenant_id, provider)
    return None
