"""Applying an order snapshot from a webhook (or reconciliation) to what we track."""

from __future__ import annotations

from dataclasses import dataclass

from saleor_cs_app.care.detection import Detection, assess
from saleor_cs_app.care.model import IncidentKind, IncidentSource
from saleor_cs_app.care.policy import Policy
from saleor_cs_app.store import incidents, orders, to_ship
from saleor_cs_app.store.models import TrackedOrder
from saleor_cs_app.watch import deliveries, snapshot
from saleor_cs_app.watch.opening import broke_before_install, hand_over, open_broken_promise, rules_for
from saleor_cs_app.webhook_context import WebhookContext


@dataclass(frozen=True)
class Observed:
    tracked: TrackedOrder
    late_order_shipped: bool  # a late_shipment incident is open and the order has now shipped in full


def observe_order_snapshot(ctx: WebhookContext, order: dict, tracked: TrackedOrder, policy: Policy) -> Observed:
    """Apply a customer's order snapshot to its tracked order, which the caller has locked (or just stored)."""
    session, tenant_id, now = ctx.session, ctx.tenant.id, ctx.now
    tracked.status = order.get("status", tracked.status)
    tracked.facts = snapshot.order_facts(order)
    for column, value in snapshot.customer_fields(order).items():
        setattr(tracked, column, value)
    tracked.updated_at = now
    to_ship.replace(session, tenant_id, tracked.order_id, snapshot.lines_to_ship(order))
    if order.get("isPaid") and tracked.paid_at is None:
        # The first event that shows the order paid carries the time of the
        # request that paid it (issuedAt). Reconciliation has no event time:
        # counting from creation is what catches deadlines missed while down.
        tracked.paid_at = min(ctx.issued_at or tracked.created_at, now)

    rules = rules_for(policy, tracked)
    detection = Detection(late_shipment=policy.detection.late_shipment, wrong_item=policy.detection.wrong_item)
    state = snapshot.order_state(order, paid_at=tracked.paid_at, scanned_skus_key=policy.detection.scanned_skus_key)
    assessment = assess(state, rules, detection, ship_by=tracked.ship_by)
    tracked.ship_by = assessment.ship_by

    open_incidents = incidents.open_for_order(session, tenant_id, tracked.order_id)
    # Read once for both kinds of deadline (late shipment here, late delivery in reassess).
    deadline_rows = orders.deadlines_of(session, tenant_id, tracked.order_id)
    known = list(open_incidents)  # and those opened below: reassess needs them all, without reading again
    record_warehouses(open_incidents, tracked.facts)
    already = {(i.kind, i.fulfillment_id) for i in open_incidents}
    wanted = {}
    for (kind, fulfillment_id), due in assessment.deadlines.items():
        if (kind.value, fulfillment_id) in already:
            continue  # that promise is already broken and handled
        if due <= now:
            # Passed while we were not looking (app down, late webhook): open it now,
            # unless it broke before the app was installed (the backlog).
            incident, created = open_broken_promise(
                session,
                tracked,
                rules,
                kind=kind,
                source=IncidentSource.DEADLINE,
                fulfillment_id=fulfillment_id,
                due_at=due,
                now=now,
                before_install=broke_before_install(due, ctx.tenant.installed_at, reconciling=ctx.issued_at is None),
            )
            known.append(incident)
            if created:
                ctx.after_commit.append(hand_over(ctx.runtime.jobs.enqueue, incident))
            continue
        wanted[(kind.value, fulfillment_id)] = due
    orders.sync_deadlines(
        session, tenant_id, tracked.order_id, IncidentKind.LATE_SHIPMENT.value, wanted, rows=deadline_rows
    )

    shipped_at = {f.id: f.created for f in state.fulfillments}
    for signal in assessment.signals:
        # A reconciliation has no event time: a mismatch is as old as its parcel.
        broke_at = shipped_at.get(signal.fulfillment_id)
        incident, created = open_broken_promise(
            session,
            tracked,
            rules,
            kind=signal.kind,
            source=signal.source,
            fulfillment_id=signal.fulfillment_id,
            due_at=None,
            now=now,
            expected_skus=signal.expected_skus,
            sent_skus=signal.sent_skus,
            before_install=broke_before_install(broke_at, ctx.tenant.installed_at, reconciling=ctx.issued_at is None),
        )
        known.append(incident)
        if created:
            ctx.after_commit.append(hand_over(ctx.runtime.jobs.enqueue, incident))

    opened = deliveries.reassess(
        session, ctx.tenant, tracked, policy, now, observed_at=ctx.issued_at, incidents=known, deadline_rows=deadline_rows
    )
    for incident in opened:
        ctx.after_commit.append(hand_over(ctx.runtime.jobs.enqueue, incident))

    shipped = state.fully_shipped and (IncidentKind.LATE_SHIPMENT.value, "") in already
    return Observed(tracked=tracked, late_order_shipped=shipped)


def record_warehouses(open_incidents, facts: dict) -> None:
    """Name the warehouse on incidents opened before it was known: a late shipment is detected while
    nothing has shipped, so its warehouse is the one the order finally ships from (insights count it)."""
    for incident in open_incidents:
        name = None if incident.warehouse else orders.shipped_from(facts, incident.fulfillment_id)
        if name:
            incident.warehouse = name
            incident.facts = {**(incident.facts or {}), "warehouse": name}
