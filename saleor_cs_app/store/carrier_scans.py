"""A parcel's carrier scans: kept once each, read back newest first."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.store.tracking_models import CarrierScan


def scan_key(at, words: str | None, place: str | None) -> str:
    return hashlib.sha256(f"{at.isoformat()}\x1f{words or ''}\x1f{place or ''}".encode()).hexdigest()


def keep(session: Session, tenant_id: int, order_id: str, fulfillment_id: str, scans) -> int:
    """Add the scans not kept yet; the caller holds the parcel's row lock, so two reports do not race."""
    known = set(
        session.scalars(
            select(CarrierScan.key).where(CarrierScan.tenant_id == tenant_id, CarrierScan.fulfillment_id == fulfillment_id)
        )
    )
    added = 0
    for scan in scans:
        key = scan_key(scan.at, scan.words, scan.place)
        if key in known:
            continue
        known.add(key)
        state = getattr(scan.state, "value", scan.state)
        session.add(
            CarrierScan(
                tenant_id=tenant_id,
                order_id=order_id,
                fulfillment_id=fulfillment_id,
                key=key,
                at=scan.at,
                words=scan.words,
                place=scan.place,
                state=state,
            )
        )
        added += 1
    return added


def for_order(session: Session, tenant_id: int, order_id: str) -> dict[str, list[CarrierScan]]:
    """fulfilment id → its scans, newest first."""
    rows = session.scalars(
        select(CarrierScan)
        .where(CarrierScan.tenant_id == tenant_id, CarrierScan.order_id == order_id)
        .order_by(CarrierScan.at.desc(), CarrierScan.id.desc())
    )
    found: dict[str, list[CarrierScan]] = {}
    for row in rows:
        found.setdefault(row.fulfillment_id, []).append(row)
    return found
