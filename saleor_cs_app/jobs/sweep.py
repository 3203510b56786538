"""The periodic sweep (deadlines that passed) and the reconciliation with Saleor."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from saleor_cs_app.care.model import IncidentKind, IncidentSource
from saleor_cs_app.jobs import lost_work
from saleor_cs_app.notify.send import mark_uncertain_sends
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.saleor import webhook_sync
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
TURN = 0.025  # seconds of orders one reconciliation transaction applies (see _observe_some)
YIELD = 0.002  # seconds the writer's turn is left to others between two of them (SQLite)


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
    """Page through the tenant's recently changed orders and observe each. Returns orders seen.

    A big shop installs with 100,000 such orders: they stream, a page at a time, and only the next
    page is asked for while one is applied (Saleor's answer overlaps our work; two pages at most
    are held). A transaction applies orders for at most TURN, a savepoint each."""
    with runtime.db.read() as session:
        tenant = session.get(Tenant, tenant_id)
        if tenant is None or not tenant.is_active:
            return 0
        session.expunge(tenant)
    client = runtime.saleor_client(tenant)
    _remember_shop_name(runtime, tenant_id, client)
    _keep_webhooks_current(runtime, tenant_id, client)
    since = (runtime.clock() - RECONCILE_WINDOW).isoformat()
    seen = 0
    for page in _pages(client, since, tenant.saleor_api_url):
        orders_ = [n for n in (((edge or {}).get("node")) for edge in page) if n and n.get("id") and n.get("channel")]
        _observe_page(runtime, tenant_id, orders_)
        seen += len(orders_)
    return seen


def _pages(client, since: str, tenant_url: str) -> Iterator[list]:
    """`OpenOrders` page by page (each a list of edges); the next is fetched while the caller applies one."""

    def fetch(after):
        try:
            data = client.execute("OpenOrders", {"after": after, "updatedSince": since})
        except SaleorError as exc:
            # Saleor answers a bad order inside a page with errors[] and the
            # rest of the page as data: keep what came through.
            data = getattr(exc, "data", None)
            if not data:
                log.warning("reconcile failed", extra={"tenant": tenant_url, "error": str(exc)})
                return None
        return (data or {}).get("orders") or {}

    with ThreadPoolExecutor(1, thread_name_prefix="reconcile-page") as ahead:
        coming = ahead.submit(fetch, None)
        while True:
            connection = coming.result()
            if connection is None:
                return
            page = connection.get("pageInfo") or {}
            more = page.get("hasNextPage") and page.get("endCursor")
            if more:
                coming = ahead.submit(fetch, page["endCursor"])
            yield connection.get("edges") or []
            if not more:
                return


def _observe_page(runtime: Runtime, tenant_id: int, page: list[dict]) -> None:
    rest = page
    while rest:
        rest = _observe_some(runtime, tenant_id, rest)
        if runtime.db.is_sqlite:
            # SQLite's one writer turn is a lock this thread would take straight back (it holds the
            # interpreter when it lets go): a webhook's acknowledgement waiting for it goes first.
            time.sleep(YIELD)


def _observe_some(runtime: Runtime, tenant_id: int, orders_: list[dict]) -> list[dict]:
    """Apply orders in one transaction, a savepoint each, for at most TURN; returns those left.

    A commit per order cost more than the order; a whole page's transaction held SQLite's one
    writer turn (and so new webhooks' acknowledgements) for a quarter of a second. An order that
    fails is skipped alone; what an order queues waits for the commit, as a delivery's does. If
    the transaction cannot commit (e.g. a deadlock with a webhook of one of its orders), its
    orders are applied again one transaction each."""
    after_commit: list = []
    done = 0
    try:
        with runtime.db.transaction() as session:
            began = time.monotonic()
            tenant = session.get_one(Tenant, tenant_id)
            now = runtime.clock()
            policy = policies.load(session, tenant_id)
            for order in orders_:
                done += 1
                ctx = WebhookContext(runtime=runtime, session=session, tenant=tenant, now=now, issued_at=None)
                try:
                    with session.begin_nested():
                        observe_order(ctx, {"order": order}, policy=policy)
                except Exception:
                    log.exception("reconcile: order skipped", extra={"order": order.get("id")})
                    continue
                after_commit.extend(ctx.after_commit)
                if time.monotonic() - began >= TURN:
                    break
    except Exception:
        log.warning("reconcile: a batch failed; its orders one by one", exc_info=True)
        for order in orders_[:done]:
            _observe_one(runtime, tenant_id, order)
        return orders_[done:]
    for action in after_commit:
        action()
    return orders_[done:]


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


def _keep_webhooks_current(runtime: Runtime, tenant_id: int, client) -> None:
    """Saleor keeps the subscriptions of the version that was installed: bring them to this one's, before the
    orders are read, so the events that follow carry what this version reads."""
    if runtime.webhooks_wanted is None:
        return
    try:
        written = webhook_sync.sync(client, runtime.webhooks_wanted)
    except (SaleorError, OSError) as exc:
        log.warning("webhooks not brought up to date", extra={"tenant": tenant_id, "error": str(exc)[:300]})
        return
    if written:
        log.info("webhooks brought up to date", extra={"tenant": tenant_id, "webhooks": written})


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
