"""The periodic sweep (deadlines that passed) and the reconciliation with Saleor."""

from __future__ import annotations

import logging
from datetime import timedelta

from saleor_cs_app.care.model import IncidentKind, IncidentSource
from saleor_cs_app.jobs import lost_work
from saleor_cs_app.notify.send import mark_uncertain_sends
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.saleor.client import SaleorError
from saleor_cs_app.store import brands, delivery_states, orders, policies, tenants
from saleor_cs_app.store.models import Tenant
from saleor_cs_app.tracking.dhl import poll as dhl_poll
from saleor_cs_app.watch import at_risk, deliveries, stalls
from saleor_cs_app.watch.opening import hand_over, open_broken_promise, rules_for
from saleor_cs_app.webhook_context import WebhookContext
from saleor_cs_app.jobs.order_events import observe_order

log = logging.getLogger(__name__)

BATCH = 500
RECONCILE_WINDOW = timedelta(days=30)


def run(runtime: Runtime, *, batch: int = BATCH) -> int:
    """The minute's sweep: due deadlines (open_due), then lost work, DHL polls and uncertain sends.

    Returns how many deadlines were handled."""
    handled = open_due(runtime, batch=batch)
    lost_work.requeue(runtime)
    dhl_poll.poll_due(runtime)
    mark_uncertain_sends(runtime)
    return handled


def open_due(runtime: Runtime, *, batch: int = BATCH) -> int:
    """Open an incident for every deadline that has passed. Returns how many were handled.

    Each batch is one transaction that claims its rows (SKIP LOCKED on
    PostgreSQL; SQLite serialises writers), so concurrent sweeps never handle
    a deadline twice, and the unique incident key is the second guard.
    """
    handled = 0
    while True:
        after_commit = []
        with runtime.db.transaction() as session:
            now = runtime.clock()
            due = orders.claim_due(session, now, batch)
            policy_by_tenant = {}
            for deadline in due:
                tracked = orders.find(session, deadline.tenant_id, deadline.order_id)
                tenant = session.get(Tenant, deadline.tenant_id)
                if tracked is not None and tenant is not None and tenant.is_active:
                    if deadline.tenant_id not in policy_by_tenant:
                        policy_by_tenant[deadline.tenant_id] = policies.load(session, deadline.tenant_id)
                    if deadline.kind == IncidentKind.AT_RISK.value:
                        # A check that recurs while the parcel travels: moved on, not removed.
                        incident, created, next_check = at_risk.recheck(
                            session, tenant, tracked, policy_by_tenant[tenant.id], deadline.fulfillment_id, now
                        )
                        if created:
                            after_commit.append(hand_over(runtime.jobs.enqueue, incident))
                        if next_check is not None:
                            deadline.due_at = next_check
                            continue
                    else:
                        incident, created = _open_for_deadline(
                            session, tenant, tracked, policy_by_tenant[tenant.id], deadline, now
                        )
                        if created:
                            after_commit.append(hand_over(runtime.jobs.enqueue, incident))
                orders.remove_deadline(session, deadline)
        for action in after_commit:
            action()
        handled += len(due)
        if len(due) < batch:
            break
    return handled


def _open_for_deadline(session, tenant: Tenant, tracked, policy, deadline, now) -> tuple[object, bool]:
    rules = rules_for(policy, tracked)
    if deadline.kind == IncidentKind.STALLED.value:
        return stalls.open_if_still_stalled(session, tenant, tracked, policy, deadline.fulfillment_id, now)
    if deadline.kind == IncidentKind.LATE_DELIVERY.value:
        # Belt and braces: the row exists only while a source follows the parcel, but a
        # late row (a race with its delivery report) must never turn into an apology.
        if not deliveries.still_late(session, tenant.id, deadline.fulfillment_id):
            return None, False
        row = delivery_states.find(session, tenant.id, deadline.fulfillment_id)
        return deliveries.open_late_delivery(
            session,
            tracked,
            rules,
            deadline.fulfillment_id,
            row,
            source=IncidentSource.DEADLINE,
            due_at=deadline.due_at,
            now=now,
        )
    return open_broken_promise(
        session,
        tracked,
        rules,
        kind=IncidentKind(deadline.kind),
        source=IncidentSource.DEADLINE,
        fulfillment_id=deadline.fulfillment_id,
        due_at=deadline.due_at,
        now=now,
    )


def active_tenant_ids(runtime: Runtime) -> list[int]:
    with runtime.db.read() as session:
        return [t.id for t in tenants.all_active(session)]


def reconcile(runtime: Runtime, tenant_id: int) -> int:
    """Page through the tenant's recently changed orders and observe each. Returns orders seen."""
    with runtime.db.read() as session:
        tenant = session.get(Tenant, tenant_id)
        if tenant is None or not tenant.is_active:
            return 0
        session.expunge(tenant)
    client = runtime.saleor_client(tenant)
    _remember_shop_name(runtime, tenant_id, client)
    since = (runtime.clock() - RECONCILE_WINDOW).isoformat()
    seen, after = 0, None
    while True:
        try:
            data = client.execute("OpenOrders", {"after": after, "updatedSince": since})
        except SaleorError as exc:
            # Saleor answers a bad order inside a page with errors[] and the
            # rest of the page as data: keep what came through.
            data = getattr(exc, "data", None)
            if not data:
                log.warning("reconcile failed", extra={"tenant": tenant.saleor_api_url, "error": str(exc)})
                return seen
        connection = (data or {}).get("orders") or {}
        for edge in connection.get("edges") or []:
            node = (edge or {}).get("node")
            if node and node.get("id") and node.get("channel"):
                _observe_one(runtime, tenant_id, node)
                seen += 1
        page = connection.get("pageInfo") or {}
        if not page.get("hasNextPage") or not page.get("endCursor"):
            return seen
        after = page["endCursor"]


def _remember_shop_name(runtime: Runtime, tenant_id: int, client) -> None:
    """Saleor's shop name, read at install (the first reconciliation) and daily: the customer's page and the
    e-mails name the shop by it until the merchant sets a brand name, never by a placeholder."""
    try:
        name = ((client.execute("ShopChannels") or {}).get("shop") or {}).get("name")
    except (SaleorError, OSError) as exc:
        log.info("shop name unavailable", extra={"tenant": tenant_id, "error": type(exc).__name__})
        return
    if name:
        with runtime.db.transaction() as session:
            brands.remember_saleor_name(session, tenant_id, name, runtime.clock())


def _observe_one(runtime: Runtime, tenant_id: int, order: dict) -> None:
    try:
        with runtime.db.transaction() as session:
            ctx = WebhookContext(
                runtime=runtime,
                session=session,
                tenant=session.get_one(Tenant, tenant_id),
                now=runtime.clock(),
                issued_at=None,
            )
            observe_order(ctx, {"order": order})
    except Exception:
        log.exception("reconcile: order skipped", extra={"order": order.get("id")})
        return
    for action in ctx.after_commit:
        action()
