"""Incidents: the list with its filters, one incident, approving and declining, and staff reports."""

from __future__ import annotations

import base64
import json
from datetime import date, datetime, time, timedelta, timezone

import strawberry

from saleor_cs_app.jobs import incidents_flow
from saleor_cs_app.store import incidents as incident_store
from saleor_cs_app.store import orders
from saleor_cs_app.watch import staff_report
from saleor_cs_app.ui.errors import ApiError, NotFoundError
from saleor_cs_app.ui.incident_types import Incident, IncidentPage, OrderLine, ReportResult, TrackedOrder
from saleor_cs_app.ui.incident_types import dashboard_order_url
from saleor_cs_app.ui.types import IncidentKind

MAX_PAGE = 100


def incidents(
    info: strawberry.Info,
    state: str | None = None,
    kind: IncidentKind | None = None,
    channel: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    first: int = 25,
    after: str | None = None,
) -> IncidentPage:
    caller = info.context.caller
    filters = incident_store.IncidentFilter(
        state=state or None,
        kind=kind.value if kind else None,
        channel=channel or None,
        detected_from=_day_start(date_from) if date_from else None,
        detected_before=_day_start(date_to + timedelta(days=1)) if date_to else None,
    )
    first = max(1, min(first, MAX_PAGE))
    with info.context.runtime.db.read() as session:
        rows, has_next = incident_store.list_incidents(
            session, caller.tenant_id, filters, first=first, after=_cursor_in(after)
        )
        return IncidentPage(
            items=[Incident.from_row(r, caller.saleor_api_url) for r in rows],
            total_count=incident_store.count_incidents(session, caller.tenant_id, filters),
            has_next_page=has_next,
            end_cursor=_cursor_out(rows[-1].detected_at, rows[-1].id) if rows else None,
            channels=incident_store.channels_seen(session, caller.tenant_id),
            tenant_id=caller.tenant_id,
        )


def incident(info: strawberry.Info, id: strawberry.ID) -> Incident | None:
    caller = info.context.caller
    with info.context.runtime.db.read() as session:
        row = incident_store.get_for_tenant(session, caller.tenant_id, str(id))
        return Incident.from_row(row, caller.saleor_api_url) if row is not None else None


def tracked_order(info: strawberry.Info, order_id: strawberry.ID) -> TrackedOrder | None:
    caller = info.context.caller
    with info.context.runtime.db.read() as session:
        row = orders.find(session, caller.tenant_id, str(order_id))
        if row is None:
            return None
        lines = [
            OrderLine(sku=l.get("sku"), name=str(l.get("name", "")), quantity=int(l.get("quantity", 0)))
            for l in (row.facts or {}).get("lines", [])
        ]
        found = incident_store.open_for_order(session, caller.tenant_id, row.order_id)
        return TrackedOrder(
            order_id=row.order_id,
            number=row.number,
            channel=row.channel_slug,
            order_url=dashboard_order_url(caller.saleor_api_url, row.order_id),
            lines=lines,
            incidents=[Incident.from_row(i, caller.saleor_api_url) for i in found],
            tenant_id=caller.tenant_id,
        )


def approve_incident(info: strawberry.Info, id: strawberry.ID) -> Incident:
    caller = info.context.caller
    _act(lambda: incidents_flow.approve(info.context.runtime, caller.tenant_id, str(id), by=caller.email))
    return _reload(info, str(id))


def decline_incident(info: strawberry.Info, id: strawberry.ID, reason: str | None = None) -> Incident:
    caller = info.context.caller
    reason = (reason or "").strip()[:500] or None
    _act(
        lambda: incidents_flow.decline(info.context.runtime, caller.tenant_id, str(id), by=caller.email, reason=reason)
    )
    return _reload(info, str(id))


def report_incident(
    info: strawberry.Info,
    order_id: strawberry.ID,
    kind: IncidentKind,
    note: str | None = None,
    expected_skus: list[str] | None = None,
    sent_skus: list[str] | None = None,
) -> ReportResult:
    caller = info.context.caller
    report = staff_report.StaffReport(
        order_id=str(order_id),
        kind=kind,
        note=(note or "").strip()[:1000] or None,
        expected_skus=_skus(expected_skus),
        sent_skus=_skus(sent_skus),
    )
    try:
        incident_id, created = staff_report.report_incident(
            info.context.runtime, caller.tenant_id, report, by=caller.email
        )
    except staff_report.OrderNotTracked as exc:
        raise NotFoundError(str(exc)) from None
    except staff_report.ReportInvalid as exc:
        raise ApiError(str(exc)) from None
    return ReportResult(incident=_reload(info, incident_id), created=created)


def _act(action) -> None:
    try:
        action()
    except LookupError:
        raise NotFoundError("No such incident") from None
    except incidents_flow.NotPending as exc:
        raise ApiError(f"Nothing to do: the {exc}", "NOT_PENDING") from None


def _reload(info: strawberry.Info, incident_id: str) -> Incident:
    found = incident(info, strawberry.ID(incident_id))
    if found is None:
        raise NotFoundError("No such incident")
    return found


def _skus(values: list[str] | None) -> tuple[str, ...]:
    return tuple(s.strip()[:200] for s in (values or [])[:100] if s and s.strip())


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def _cursor_out(at: datetime, incident_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([at.isoformat(), incident_id]).encode()).decode()


def _cursor_in(cursor: str | None) -> tuple[datetime, str] | None:
    if not cursor:
        return None
    try:
        at, incident_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(at), str(incident_id)
    except (ValueError, TypeError):
        raise ApiError("Invalid cursor") from None
