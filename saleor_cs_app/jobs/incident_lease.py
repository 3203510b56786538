"""One worker at a time carries out an incident's offer: it claims a lease, and either finishes,
releases the incident for a retry, or fails it for good (the reason shown to the merchant, the
budget released). Shared by incidents_flow.py and proposals_flow.py, whose `acting` steps differ
only in what they write to Saleor.

The lease is short and renewed while the worker lives (lease_keeper.py). A worker that dies (SIGKILL,
out of memory, a lost node) stops renewing; the sweep then queues the step again (lost_work.py) and
the next claim continues it, looking up in Saleor what the dead worker may already have created.
An incident whose step keeps being lost fails after MAX_ATTEMPTS claims, with the reason, for the merchant.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from saleor_cs_app.jobs.lease_keeper import LEASE, PICKUP, holder
from saleor_cs_app.jobs.retries import MAX_ATTEMPTS, backoff_seconds
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.store import budget, incidents, orders
from saleor_cs_app.store.models import Incident, Tenant

log = logging.getLogger(__name__)

LOST_WORKER = "the worker carrying it out stopped before it finished"  # the sweep's words, jobs/lost_work.py


def claim(runtime: Runtime, incident_id: str) -> tuple[Incident, Tenant, dict] | None:
    """The incident (detached), its tenant and order facts, when it is `acting` and no live worker holds it."""
    with runtime.db.transaction() as session:
        incident = session.get(Incident, incident_id, with_for_update=True, populate_existing=True)
        if incident is None or incident.state != "acting":
            return None
        now = runtime.clock()
        if incident.lease_holder is not None and incident.lease_until is not None and incident.lease_until > now:
            return None  # a live worker is on it (its lease is being renewed)
        if incident.attempts >= MAX_ATTEMPTS:
            why = incident.error or LOST_WORKER
            _mark_failed(session, incident, now, why, f"Gave up after {incident.attempts} tries: {why}")
            return None
        incident.lease_until, incident.lease_holder = now + LEASE, holder()
        incident.attempts += 1
        tenant = session.get_one(Tenant, incident.tenant_id)
        tracked = orders.find(session, incident.tenant_id, incident.order_id)
        if not tenant.is_active:
            _mark_failed(session, incident, now, "the app was uninstalled from this Saleor", "the app was uninstalled")
            return None
        facts = dict(tracked.facts)
        session.expunge(incident)
        session.expunge(tenant)
    runtime.jobs.incident_leases.hold(incident_id)
    return incident, tenant, facts


def let_go(row: Incident) -> None:
    """The step is over (finished, failed, or waiting for its retry): nobody holds the incident now."""
    row.lease_until, row.lease_holder = None, None


def release_for_retry(runtime: Runtime, incident_id: str, error: str) -> int | None:
    """The attempt number to retry after, or None when the attempts are used up (then failed)."""
    with runtime.db.transaction() as session:
        row = session.get_one(Incident, incident_id, with_for_update=True, populate_existing=True)
        if row.attempts >= MAX_ATTEMPTS:
            _mark_failed(session, row, runtime.clock(), error, f"Gave up after {row.attempts} tries: {error}")
            return None
        let_go(row)
        # The retry is due after its backoff; the sweep looks again only if it has not come by then.
        row.lease_until = runtime.clock() + timedelta(seconds=backoff_seconds(row.attempts)) + PICKUP
        row.error = error
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
    let_go(row)
    row.state, row.error = "failed", error
    budget.settle(session, row.id, "released")
    incidents.add_event(session, row, now, "failed", event)
