"""One worker at a time carries out an incident's offer: it claims a lease, and either finishes,
releases the incident for a retry, or fails it for good (the reason shown to the merchant, the
budget released). Shared by incidents_flow.py and proposals_flow.py, whose `acting` steps differ
only in what they write to Saleor.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from saleor_cs_app.jobs.retries import MAX_ATTEMPTS
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store import budget, incidents, orders
from saleor_cs_app.store.models import Incident, Tenant

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)


def claim(runtime: Runtime, incident_id: str) -> tuple[Incident, Tenant, dict] | None:
    """The incident (detached), its tenant and order facts, when it is `acting` and no other worker holds it."""
    with runtime.db.transaction() as session:
        incident = session.get(Incident, incident_id, with_for_update=True, populate_existing=True)
        if incident is None or incident.state != "acting":
            return None
        now = runtime.clock()
        if incident.lease_until is not None and incident.lease_until > now:
            return None  # another worker is on it; its own retry will finish the job
        incident.lease_until = now + LEASE
        incident.attempts += 1
        tenant = session.get_one(Tenant, incident.tenant_id)
        tracked = orders.find(session, incident.tenant_id, incident.order_id)
        if not tenant.is_active:
            _mark_failed(session, incident, now, "the app was uninstalled from this Saleor", "the app was uninstalled")
            return None
        session.expunge(incident)
        session.expunge(tenant)
        return incident, tenant, dict(tracked.facts)


def release_for_retry(runtime: Runtime, incident_id: str, error: str) -> int | None:
    """The attempt number to retry after, or None when the attempts are used up (then failed)."""
    with runtime.db.transaction() as session:
        row = session.get_one(Incident, incident_id, with_for_update=True, populate_existing=True)
        if row.attempts >= MAX_ATTEMPTS:
            _mark_failed(session, row, runtime.clock(), error, f"Gave up after {row.attempts} tries: {error}")
            return None
        row.lease_until, row.error = None, error
        incidents.add_event(session, row, runtime.clock(), "retrying", f"Will retry: {error}")
        return row.attempts


def fail(runtime: Runtime, incident_id: str, error: str) -> None:
    log.warning("incident failed", extra={"incident": incident_id, "error": error})
    with runtime.db.transaction() as session:
        row = session.get_one(Incident, incident_id, with_for_update=True, populate_existing=True)
        _mark_failed(session, row, runtime.clock(), error, error)
    return None


def _mark_failed(session, row: Incident, now, error: str, event: str) -> None:
    """Failed for good: the reason is shown to the merchant and the budget is released."""
    row.state, row.lease_until, row.error = "failed", None, error
    budget.settle(session, row.id, "released")
    incidents.add_event(session, row, now, "failed", event)
