"""Incidents and their timelines. One incident per (tenant, order, kind, fulfilment)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.store.models import Incident, IncidentEvent, new_id
from saleor_cs_app.store.upsert import insert_ignore


def open_incident(
    session: Session,
    *,
    tenant_id: int,
    order_id: str,
    kind: str,
    fulfillment_id: str,
    now: datetime,
    **fields,
) -> tuple[Incident, bool]:
    """Create the incident unless it exists; returns it locked, and whether this call created it."""
    created = insert_ignore(
        session,
        Incident,
        {
            "id": new_id(),
            "tenant_id": tenant_id,
            "order_id": order_id,
            "kind": kind,
            "fulfillment_id": fulfillment_id,
            "state": "detected",
            "detected_at": now,
            "updated_at": now,
            **fields,
        },
    )
    incident = session.scalar(
        select(Incident)
        .where(
            Incident.tenant_id == tenant_id,
            Incident.order_id == order_id,
            Incident.kind == kind,
            Incident.fulfillment_id == fulfillment_id,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if created:
        add_event(session, incident, now, "detected", _detected_message(incident))
    return incident, created


def _detected_message(incident: Incident) -> str:
    if incident.kind == "wrong_item":
        facts = incident.facts or {}
        return f"Wrong item ({incident.source}): expected {facts.get('expected_skus')}, sent {facts.get('sent_skus')}"
    return f"{incident.kind.replace('_', ' ').capitalize()} ({incident.source}), {incident.days_late} business day(s) late"


def add_event(session: Session, incident: Incident, at: datetime, type_: str, message: str) -> None:
    session.add(IncidentEvent(tenant_id=incident.tenant_id, incident_id=incident.id, at=at, type=type_, message=message))


def get_for_tenant(session: Session, tenant_id: int, incident_id: str, *, lock: bool = False) -> Incident | None:
    query = select(Incident).where(Incident.tenant_id == tenant_id, Incident.id == incident_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)


def timeline(session: Session, tenant_id: int, incident_id: str) -> list[IncidentEvent]:
    return list(
        session.scalars(
            select(IncidentEvent)
            .where(IncidentEvent.tenant_id == tenant_id, IncidentEvent.incident_id == incident_id)
            .order_by(IncidentEvent.at, IncidentEvent.id)
        )
    )


def open_for_order(session: Session, tenant_id: int, order_id: str) -> list[Incident]:
    return list(session.scalars(select(Incident).where(Incident.tenant_id == tenant_id, Incident.order_id == order_id)))
