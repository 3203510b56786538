"""A parcel's carrier scans: kept once each, read back newest first."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.care.model import Stage
from saleor_cs_app.care.stages import runs
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
        stage = getattr(scan.stage, "value", scan.stage)
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
                stage=stage,
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


def stage_runs(session: Session, tenant_id: int, fulfillment_id: str) -> list[tuple[Stage, datetime]]:
    """The parcel's stages as runs (care.stages.runs): (stage, entered at), oldest first."""
    rows = session.execute(
        select(CarrierScan.at, CarrierScan.stage).where(
            CarrierScan.tenant_id == tenant_id, CarrierScan.fulfillment_id == fulfillment_id, CarrierScan.stage.is_not(None)
        )
    )
    return runs((at, _stage(stage)) for at, stage in rows)


def _stage(value: str | None) -> Stage | None:
    try:
        return Stage(value) if value else None
    except ValueError:  # a stage a later version wrote and this one does not know
        return None
