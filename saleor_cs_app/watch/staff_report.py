"""A staff member reports a delivery problem from the order page ("Report a delivery problem")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from saleor_cs_app.care.model import IncidentKind, IncidentSource
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store import incidents, orders, policies
from saleor_cs_app.store.models import TrackedOrder
from saleor_cs_app.watch.opening import open_broken_promise, rules_for


class OrderNotTracked(Exception):
    pass


class ReportInvalid(Exception):
    pass


@dataclass(frozen=True)
class StaffReport:
    order_id: str
    kind: IncidentKind
    note: str | None = None
    expected_skus: tuple[str, ...] = ()
    sent_skus: tuple[str, ...] = ()


def report_incident(runtime: Runtime, tenant_id: int, report: StaffReport, *, by: str) -> tuple[str, bool]:
    """Open the incident (or find the one already open); returns (incident id, created)."""
    if report.kind is IncidentKind.WRONG_ITEM and not report.expected_skus:
        raise ReportInvalid("Name the SKU that should have been sent")
    now = runtime.clock()
    with runtime.db.transaction() as session:
        tracked = orders.find(session, tenant_id, report.order_id)
        if tracked is None:
            raise OrderNotTracked(
                "The app does not track this order yet: Saleor has not sent its events, or it was placed "
                "before the app was installed"
            )
        incident, created = open_broken_promise(
            session,
            tracked,
            rules_for(policies.load(session, tenant_id), tracked),
            kind=report.kind,
            source=IncidentSource.STAFF,
            fulfillment_id="",
            due_at=_passed_deadline(session, tracked, report.kind, now),
            now=now,
            expected_skus=report.expected_skus,
            sent_skus=report.sent_skus,
            note=report.note,
        )
        if created:
            incidents.add_event(
                session, incident, now, "reported", f"Reported by {by}" + (f": {report.note}" if report.note else "")
            )
        incident_id = incident.id
    if created:
        runtime.jobs.enqueue("handle_incident", incident_id)
    return incident_id, created


def _passed_deadline(session, tracked: TrackedOrder, kind: IncidentKind, now: datetime) -> datetime | None:
    """The promise the report says was broken, when it has passed (it sets days_late)."""
    if kind is IncidentKind.LATE_SHIPMENT and tracked.ship_by is not None:
        return tracked.ship_by if tracked.ship_by <= now else None
    due = [d.due_at for d in orders.deadlines_of(session, tracked.tenant_id, tracked.order_id) if d.kind == kind.value]
    return min(due) if due and min(due) <= now else None
