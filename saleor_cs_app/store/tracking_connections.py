"""A merchant's accounts at tracking services (AfterShip, DHL), secrets encrypted at rest."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.store.tracking_models import TrackingConnection


def save(
    session: Session,
    tenant_id: int,
    provider: str,
    *,
    api_key_ciphertext: bytes,
    webhook_secret_ciphertext: bytes | None,
    now: datetime,
) -> TrackingConnection:
    """Create or replace the account's keys; the webhook URL (public id) survives a new key."""
    row = find(session, tenant_id, provider, lock=True)
    if row is None:
        row = TrackingConnection(
            tenant_id=tenant_id, provider=provider, public_id=secrets.token_urlsafe(24), created_at=now
        )
        session.add(row)
    row.api_key_ciphertext = api_key_ciphertext
    row.webhook_secret_ciphertext = webhook_secret_ciphertext
    row.updated_at = now
    session.flush()
    return row


def find(session: Session, tenant_id: int, provider: str, *, lock: bool = False) -> TrackingConnection | None:
    query = select(TrackingConnection).where(
        TrackingConnection.tenant_id == tenant_id, TrackingConnection.provider == provider
    )
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def by_public_id(session: Session, provider: str, public_id: str) -> TrackingConnection | None:
    return session.scalar(
        select(TrackingConnection).where(
            TrackingConnection.provider == provider, TrackingConnection.public_id == public_id
        )
    )


def remove(session: Session, tenant_id: int, provider: str) -> bool:
    row = find(session, tenant_id, provider, lock=True)
    if row is None:
        return False
    session.delete(row)
    return True
