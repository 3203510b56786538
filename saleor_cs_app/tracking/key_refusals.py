"""A tracking service refused the app's key (401/403), or accepted it again: noted on the connection."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from saleor_cs_app.store import tracking_connections

KEY_REFUSED_STATUSES = frozenset({401, 403})


def refuses_key(status: int | None) -> bool:
    return status in KEY_REFUSED_STATUSES


def note_key_refused(
    session: Session, tenant_id: int, provider: str, key_ciphertext: bytes, words: str, now: datetime
) -> None:
    row = tracking_connections.find(session, tenant_id, provider, lock=True)
    if row is None or row.api_key_ciphertext != key_ciphertext:
        return  # disconnected, or given a new key while the call was made: the refusal was of a key no longer used
    row.key_refused_since = row.key_refused_since or now
    row.key_refusal = words[:500]


def note_key_accepted(session: Session, tenant_id: int, provider: str) -> None:
    row = tracking_connections.find(session, tenant_id, provider)
    if row is not None and row.key_refused_since is not None:
        row.key_refused_since = row.key_refusal = None
