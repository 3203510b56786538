"""Late deliveries of one order, from what the tracking sources report about its parcels.

Called whenever the order or a parcel's delivery state changes (a Saleor event,
a reconciliation, a carrier webhook, a poll). Keeps the order's late_delivery
deadlines equal to what care.late_delivery.judge says, and opens the incidents
the evidence calls for. A parcel no source follows gets no deadline at all.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from saleor_cs_app.care.detection import CLOSED_ORDER, NOT_SHIPPED
from saleor_cs_app.care import promises
from saleor_cs_app.care.late_delivery import Parcel, judge
from saleor_cs_app.care.model import DeliveryState, IncidentKind, IncidentSource, PromiseRules
from saleor_cs_app.store import delivery_states, orders
from saleor_cs_app.store import incidents as incident_store
from saleor_cs_app.store.models import Incident, Tenant, TrackedOrder
from saleor_cs_app.store.tracking_models import FulfillmentDelivery
from saleor_cs_app.watch import at_risk, stalls
from saleor_cs_app.watch.opening import broke_before_install, delivery_facts, open_broken_promise, rules_for
from saleor_cs_app.watch.snapshot import parse_time

KIND = IncidentKind.LATE_DELIVERY


def reassess(
    session: Session,
    tenant: Tenant,
    tracked: TrackedOrder,
    policy,
    now: datetime,
    *,
    observed_at: datetime | None,
    incidents: list[Incident] | None = None,
    deadline_rows: list | None = None,
) -> list[Incident]:
    """Returns the incidents this call opened. `observed_at`: when the news happened (an event's
    time), None for a reconciliation, where a failure without a carrier time is as old as its parcel.

    `incidents`, `deadline_rows`: the order's incidents and deadline rows when the caller has read
    them in this transaction (with those it opened since), so they are not read again."""
    rules = rules_for(policy, tracked)
    wanted: dict[tuple[str, str], datetime] = {}
    opened: list[Incident] = []
    fulfillments = tracked.facts.get("fulfillments") or {}
    # Nothing shipped, no parcel to judge: the order's parcels and incidents need no reading.
    if policy.detection.late_delivery and tracked.status not in CLOSED_ORDER and fulfillments:
        parcels = delivery_states.for_order(session, tenant.id, tracked.order_id)
        if incidents is None:
            incidents = incident_store.open_for_order(session, tenant.id, tracked.order_id)
        # One incident per parcel and situation: a parcel late in transit and then lost gets both.
        already = {(i.fulfillment_id, i.kind) for i in incidents}
        for fulfillment_id, fulfillment in fulfillments.items():
            if fulfillment.get("status") in NOT_SHIPPED:
                continue
            row = parcels.get(fulfillment_id)
            shipped_at = parse_time(fulfillment.get("created"))
            verdict = judge(
                _parcel(fulfillment_id, shipped_at, row),
                max_delivery_days=tracked.max_delivery_days,
                click_and_collect=tracked.click_and_collect,
                rules=rules,
            )
            if verdict.failed:
                kind = verdict.failure
                broke_at = row.carrier_status_at or observed_at or shipped_at
                passed = verdict.deadline if verdict.deadline is not None and verdict.deadline <= now else None
                source = IncidentSource.CARRIER
            elif verdict.deadline is not None and verdict.deadline <= now:
                kind = KIND
                broke_at = passed = verdict.deadline
                source = IncidentSource.DEADLINE
            else:
                if verdict.deadline is not None and (fulfillment_id, KIND.value) not in already:
                    wanted[(KIND.value, fulfillment_id)] = verdict.deadline
                continue
            if (fulfillment_id, kind.value) in already:
                continue
            incident, created = open_late_delivery(
                session,
                tracked,
                rules,
                fulfillment_id,
                row,
                kind=kind,
                source=source,
                due_at=passed,
                now=now,
                before_install=broke_before_install(broke_at, tenant.installed_at, reconciling=observed_at is None),
            )
            if created:
                opened.append(incident)
    orders.sync_deadlines(session, tenant.id, tracked.order_id, KIND.value, wanted, rows=deadline_rows)
    opened += stalls.reassess(session, tenant, tracked, policy, now, observed_at=observed_at)
    return opened + at_risk.reassess(session, tenant, tracked, policy, now)


def still_late(session: Session, tenant_id: int, fulfillment_id: str) -> bool:
    """A due deadline still stands only while a source follows the parcel, has reported on it,
    and has not seen it arrive."""
    row = delivery_states.find(session, tenant_id, fulfillment_id)
    if row is None or not row.followed_by or row.state is None:
        return False
    return not DeliveryState(row.state).has_arrived


def open_late_delivery(
    session: Session,
    tracked: TrackedOrder,
    rules: PromiseRules,
    fulfillment_id: str,
    row: FulfillmentDelivery | None,
    *,
    source: IncidentSource,
    due_at: datetime | None,
    now: datetime,
    kind: IncidentKind = KIND,
    before_install: bool = False,
) -> tuple[Incident, bool]:
    return open_broken_promise(
        session,
        tracked,
        rules,
        kind=kind,
        source=source,
        fulfillment_id=fulfillment_id,
        due_at=due_at,
        now=now,
        delivery={
            **delivery_facts(row, tracked, fulfillment_id),
            # A late parcel the customer was warned about: the message refers back to the heads-up.
            "heads_up_on": _iso(
                at_risk.heads_up_sent_on(
                    session, tracked.tenant_id, tracked.order_id, fulfillment_id, promises.zone_of(rules)
                )
            ),
        },
        before_install=before_install,
    )


def _parcel(fulfillment_id: str, shipped_at: datetime | None, row: FulfillmentDelivery | None) -> Parcel:
    if row is None:
        return Parcel(fulfillment_id, shipped_at, followed=False)
    return Parcel(
        fulfillment_id,
        shipped_at,
        followed=bool(row.followed_by),
        state=DeliveryState(row.state) if row.state else None,
        state_at=row.carrier_status_at,
    )


def _iso(day) -> str | None:
    return day.isoformat() if day is not None else None
