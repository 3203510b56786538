"""Vouchers and gift cards the app created, spent on later orders (store/returns_models.py)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.store.models import GoodwillRedemption, Incident, IncidentEvent
from saleor_cs_app.store.upsert import insert_ignore


def voucher_incident(session: Session, tenant_id: int, code: str | None) -> str | None:
    """The incident that gave this free-shipping voucher code, if the app gave it."""
    if not code:
        return None
    return session.scalar(
        select(Incident.id).where(
            Incident.tenant_id == tenant_id,
            Incident.goodwill_code == code.upper(),
            Incident.offer_type == "free_shipping_voucher",
        )
    )


def gift_card_incident(session: Session, tenant_id: int, incident_id: str | None) -> str | None:
    """The incident a gift card's tag names, when it is this tenant's and gave a gift card."""
    if not incident_id:
        return None
    return session.scalar(
        select(Incident.id).where(
            Incident.tenant_id == tenant_id, Incident.id == incident_id, Incident.offer_type == "gift_card"
        )
    )


def record(
    session: Session,
    tenant_id: int,
    *,
    incident_id: str,
    kind: str,
    order_id: str,
    order_number: str,
    used_at: datetime,
    amount: Decimal | None,
    currency: str | None,
    source: str,
    now: datetime,
) -> bool:
    """True when this (incident, order) was not recorded before; the incident's timeline then says so, once."""
    inserted = insert_ignore(
        session,
        GoodwillRedemption,
        {
            "tenant_id": tenant_id,
            "incident_id": incident_id,
            "kind": kind,
            "order_id": order_id,
            "order_number": order_number,
            "used_at": used_at,
            "amount": amount,
            "currency": currency,
            "source": source,
            "recorded_at": now,
        },
    )
    if inserted:
        session.add(
            IncidentEvent(
                tenant_id=tenant_id, incident_id=incident_id, at=now, type="goodwill_used",
                message=used_message(order_number, amount, currency),
            )
        )
    return inserted


def used_message(order_number: str, amount: Decimal | None, currency: str | None) -> str:
    """The timeline's line (ui/event_facts.py reads its parts back): "Used on order #1043 (10.00 USD off)"."""
    off = f" ({amount:.2f} {currency} off)" if amount is not None and currency else ""
    return f"Used on order #{order_number}{off}"


def of_incident(session: Session, tenant_id: int, incident_id: str) -> list[GoodwillRedemption]:
    return list(
        session.scalars(
            select(GoodwillRedemption)
            .where(GoodwillRedemption.tenant_id == tenant_id, GoodwillRedemption.incident_id == incident_id)
            .order_by(GoodwillRedemption.used_at)
        )
    )


def redeemed_incidents(session: Session, tenant_id: int) -> set[str]:
    return set(
        session.scalars(
            select(GoodwillRedemption.incident_id)
            .where(GoodwillRedemption.tenant_id == tenant_id)
            .group_by(GoodwillRedemption.incident_id)
        )
    )

