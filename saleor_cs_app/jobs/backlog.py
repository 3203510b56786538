"""The install backlog: promises that broke before the app was installed wait for the merchant.

Nothing is decided, sent or given for a backlog incident. The merchant releases
it (it then goes the usual way: decision, approval if the policy asks, goodwill,
e-mail) or dismisses it (nothing ever happens for it).
"""

from __future__ import annotations

from sqlalchemy import func, select

from saleor_cs_app.jobs.pending import NotPending
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store import incidents
from saleor_cs_app.store.models import Incident
from saleor_cs_app.watch.opening import BACKLOG

DISMISSED = "dismissed"


class NotInBacklog(NotPending):
    pass


def count(session, tenant_id: int) -> int:
    return int(
        session.scalar(select(func.count(Incident.id)).where(Incident.tenant_id == tenant_id, Incident.state == BACKLOG))
        or 0
    )


def release(runtime: Runtime, tenant_id: int, incident_id: str, *, by: str) -> None:
    with runtime.db.transaction() as session:
        _release(session, _in_backlog(session, tenant_id, incident_id), runtime.clock(), by)
    runtime.jobs.enqueue("handle_incident", incident_id)


def release_all(runtime: Runtime, tenant_id: int, *, by: str) -> int:
    with runtime.db.transaction() as session:
        waiting = session.scalars(
            select(Incident)
            .where(Incident.tenant_id == tenant_id, Incident.state == BACKLOG)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()
        now = runtime.clock()
        for incident in waiting:
            _release(session, incident, now, by)
        released = [i.id for i in waiting]
    for incident_id in released:
        runtime.jobs.enqueue("handle_incident", incident_id)
    return len(released)


def dismiss(runtime: Runtime, tenant_id: int, incident_id: str, *, by: str, reason: str | None = None) -> None:
    with runtime.db.transaction() as session:
        incident = _in_backlog(session, tenant_id, incident_id)
        incident.state = DISMISSED
        message = f"Dismissed by {by}" + (f": {reason}" if reason else "") + "; the customer is not contacted"
        incidents.add_event(session, incident, runtime.clock(), "dismissed", message)


def _release(session, incident: Incident, now, by: str) -> None:
    incident.state = "detected"
    incidents.add_event(session, incident, now, "released", f"Released from the install backlog by {by}")


def _in_backlog(session, tenant_id: int, incident_id: str) -> Incident:
    incident = incidents.get_for_tenant(session, tenant_id, incident_id, lock=True)
    if incident is None:
        raise LookupError("no such incident")
    if incident.state != BACKLOG:
        raise NotInBacklog(f"incident is {incident.state}, not waiting in the install backlog")
    return incident
