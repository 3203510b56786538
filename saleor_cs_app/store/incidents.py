"""Incidents and their timelines. One incident per (tenant, order, kind, fulfilment)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from saleor_cs_app.store.models import Incident, IncidentEvent, TrackedOrder, new_id
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
        if incident.state == "backlog":
            add_event(
                session,
                incident,
                now,
                "backlog",
                "Already broken when the app was installed: nothing is sent or given until you release it",
            )
    return incident, created


def _detected_message(incident: Incident) -> str:
    if incident.kind == "wrong_item":
        facts = incident.facts or {}
        return f"Wrong item ({incident.source}): expected {facts.get('expected_skus')}, sent {facts.get('sent_skus')}"
    return (
        f"{incident.kind.replace('_', ' ').capitalize()} ({incident.source}), {incident.days_late} business day(s) late"
    )


def add_event(session: Session, incident: Incident, at: datetime, type_: str, message: str) -> None:
    session.add(
        IncidentEvent(tenant_id=incident.tenant_id, incident_id=incident.id, at=at, type=type_, message=message)
    )


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


# -- the merchant's incident list and the replays of a policy simulation ----------------------------
@dataclass(frozen=True)
class IncidentFilter:
    state: str | None = None
    kind: str | None = None
    channel: str | None = None
    detected_from: datetime | None = None  # inclusive
    detected_before: datetime | None = None  # exclusive


def incident_filters(tenant_id: int, f: IncidentFilter) -> list:
    where = [Incident.tenant_id == tenant_id]
    if f.state:
        where.append(Incident.state == f.state)
    if f.kind:
        where.append(Incident.kind == f.kind)
    if f.channel:
        where.append(Incident.channel_slug == f.channel)
    if f.detected_from is not None:
        where.append(Incident.detected_at >= f.detected_from)
    if f.detected_before is not None:
        where.append(Incident.detected_at < f.detected_before)
    return where


def list_incidents(
    session: Session, tenant_id: int, f: IncidentFilter, *, first: int, after: tuple[datetime, str] | None = None
) -> tuple[list[Incident], bool]:
    """Newest first, keyset-paginated on (detected_at, id); returns (page, has_next_page)."""
    where = incident_filters(tenant_id, f)
    if after is not None:
        at, incident_id = after
        where.append(or_(Incident.detected_at < at, and_(Incident.detected_at == at, Incident.id < incident_id)))
    rows = list(
        session.scalars(
            select(Incident).where(*where).order_by(Incident.detected_at.desc(), Incident.id.desc()).limit(first + 1)
        )
    )
    return rows[:first], len(rows) > first


def count_incidents(session: Session, tenant_id: int, f: IncidentFilter) -> int:
    return int(session.scalar(select(func.count(Incident.id)).where(*incident_filters(tenant_id, f))) or 0)


def channels_seen(session: Session, tenant_id: int) -> list[str]:
    return list(
        session.scalars(
            select(Incident.channel_slug)
            .where(Incident.tenant_id == tenant_id)
            .distinct()
            .order_by(Incident.channel_slug)
        )
    )


def incidents_with_orders(session: Session, tenant_id: int, since: datetime) -> list[tuple[Incident, TrackedOrder]]:
    """Incidents detected since `since` with their tracked orders, oldest first (for replays)."""
    rows = session.execute(
        select(Incident, TrackedOrder)
        .join(
            TrackedOrder, and_(TrackedOrder.tenant_id == Incident.tenant_id, TrackedOrder.order_id == Incident.order_id)
        )
        .where(Incident.tenant_id == tenant_id, Incident.detected_at >= since)
        .order_by(Incident.detected_at, Incident.id)
    )
    return [(incident, order) for incident, order in rows]


# Open incidents still on their way to the customer (backlog and approvals wait for a person).
UNDER_WAY = ("detected", "acting")


def not_continuing(session: Session, tenant_id: int) -> tuple[int, datetime | None, str | None]:
    """(how many, the oldest's detection, the latest reason) of open incidents whose step failed or was lost
    (its worker died) at least twice: the app keeps trying, and the merchant should know why it has to."""
    stuck = (
        Incident.tenant_id == tenant_id,
        Incident.state.in_(UNDER_WAY),
        Incident.error.is_not(None),
        Incident.attempts >= 2,
    )
    count, oldest = session.execute(select(func.count(), func.min(Incident.detected_at)).where(*stuck)).one()
    reason = session.scalar(select(Incident.error).where(*stuck).order_by(Incident.detected_at.desc()).limit(1))
    return count, oldest, reason
