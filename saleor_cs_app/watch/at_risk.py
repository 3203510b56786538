"""Parcels at risk, before they are late: an `at_risk` incident (the merchant's flag, and one heads-up
when the policy asks) when the probability of arriving by the deliver-by day falls under the policy's
threshold (care/at_risk.py).

A parcel on its way gets an `at_risk` check deadline every 12 hours while the shop has data for it (time
alone moves the probability); every report about it checks again at once. A parcel with a carrier incident
already (stalled, held, late …) is past a heads-up; a wrong item in it is another matter.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.care import promises
from saleor_cs_app.care.at_risk import Risk, assess
from saleor_cs_app.care.detection import CLOSED_ORDER, NOT_SHIPPED
from saleor_cs_app.care.model import DeliveryState, IncidentKind, IncidentSource
from saleor_cs_app.care.situations import CARRIER_KINDS
from saleor_cs_app.care.transit import GAP, TRANSIT, after_measure, distribution, stay_measure
from saleor_cs_app.store import carrier_scans, delivery_states, incidents, orders, transit_counts
from saleor_cs_app.store.models import Incident, OutboxMessage, Tenant, TrackedOrder
from saleor_cs_app.watch.opening import delivery_facts, open_broken_promise, rules_for
from saleor_cs_app.watch.snapshot import parse_time
from saleor_cs_app.watch.stalls import segment_of

KIND = IncidentKind.AT_RISK
RECHECK = timedelta(hours=12)
_DELIVERY_KINDS = frozenset(kind.value for kind in CARRIER_KINDS)


def _risk(session, levels, tracked: TrackedOrder, row, policy, now: datetime) -> tuple[Risk | None, date | None]:
    fulfilment = (tracked.facts.get("fulfillments") or {}).get(row.fulfillment_id) or {}
    shipped_at = parse_time(fulfilment.get("created"))
    if shipped_at is None or row.state is None or not row.followed_by:
        return None, None
    rules = rules_for(policy, tracked)
    # The promise the heads-up names and the page shows: the shop's own, without the app's grace days.
    promised = promises.customer_delivery_date(shipped_at, tracked.max_delivery_days, rules)
    segment = segment_of(tracked, row)
    runs = carrier_scans.stage_runs(session, row.tenant_id, row.fulfillment_id)
    stage = runs[-1] if runs else None
    in_stage = (
        (distribution(levels, stay_measure(stage[0]), segment), distribution(levels, after_measure(stage[0]), segment))
        if stage is not None else None
    )
    risk = assess(
        distribution(levels, TRANSIT, segment),
        distribution(levels, GAP, segment),
        state=DeliveryState(row.state),
        shipped_at=shipped_at,
        promised_date=promised,
        last_scan_at=row.carrier_status_at,
        now=now,
        country=None if segment.country == "??" else segment.country,
        stage=stage,
        in_stage=in_stage,
    )
    return risk, promised


def _check(session, tenant, tracked, policy, fulfillment_id, row, levels, now, busy) -> tuple[Incident | None, bool, datetime | None]:
    """(incident, created, next check)."""
    # Already flagged, or already in trouble with the carrier (stalled, held, late …): past a heads-up.
    if any(f == fulfillment_id and kind in _DELIVERY_KINDS for f, kind in busy):
        return None, False, None
    risk, promised = _risk(session, levels, tracked, row, policy, now)
    if risk is None:
        return None, False, None
    if risk.probability >= policy.detection.at_risk.below_probability:
        return None, False, now + RECHECK
    carrier_day = row.carrier_expected_date
    today = now.astimezone(promises.zone_of(rules_for(policy, tracked))).date()
    if carrier_day is not None and today <= carrier_day <= promised:
        # The carrier itself still expects it in time: a heads-up would contradict it. Look again later.
        return None, False, now + RECHECK
    facts = {
        **delivery_facts(row, tracked, fulfillment_id),
        "promised_date": promised.isoformat(),
        # The likely day is stated only when it falls after the promise: a threshold above one half can flag
        # a parcel whose middle estimate is still on time, and "may be late … we expect it on the 17th (before
        # the 22nd we promised)" would contradict itself. The message then gives no estimate.
        "new_expectation": risk.likely_date.isoformat() if risk.likely_date and risk.likely_date > promised else None,
        "on_time_probability": round(risk.probability, 3),
        "estimate_parcels": int(risk.parcels),
    }
    incident, created = open_broken_promise(
        session, tracked, rules_for(policy, tracked), kind=KIND, source=IncidentSource.CARRIER,
        fulfillment_id=fulfillment_id, due_at=None, now=now, delivery=facts,
    )
    return incident, created, None


def reassess(session: Session, tenant: Tenant, tracked: TrackedOrder, policy, now: datetime) -> list[Incident]:
    wanted: dict[tuple[str, str], datetime] = {}
    opened: list[Incident] = []
    fulfillments = tracked.facts.get("fulfillments") or {}
    # Nothing shipped: no parcel to read (most order events), only the deadlines to keep in step.
    if tracked.status not in CLOSED_ORDER and not tracked.click_and_collect and fulfillments:
        parcels = delivery_states.for_order(session, tenant.id, tracked.order_id)
        busy = {(i.fulfillment_id, i.kind) for i in incidents.open_for_order(session, tenant.id, tracked.order_id)}
        levels = None
        for fulfillment_id, fulfillment in fulfillments.items():
            row = parcels.get(fulfillment_id)
            if fulfillment.get("status") in NOT_SHIPPED or row is None:
                continue
            levels = levels if levels is not None else transit_counts.levels(session, tenant.id)
            incident, created, next_check = _check(session, tenant, tracked, policy, fulfillment_id, row, levels, now, busy)
            if created:
                opened.append(incident)
            if next_check is not None:
                wanted[(KIND.value, fulfillment_id)] = next_check
    orders.sync_deadlines(session, tenant.id, tracked.order_id, KIND.value, wanted)
    return opened


def recheck(session: Session, tenant: Tenant, tracked: TrackedOrder, policy, fulfillment_id: str, now: datetime):
    """The sweep's 12-hourly check: (incident, created, the next check or None)."""
    row = delivery_states.find(session, tenant.id, fulfillment_id)
    if row is None or tracked.status in CLOSED_ORDER:
        return None, False, None
    busy = {(i.fulfillment_id, i.kind) for i in incidents.open_for_order(session, tenant.id, tracked.order_id)}
    return _check(session, tenant, tracked, policy, fulfillment_id, row, transit_counts.levels(session, tenant.id), now, busy)


def told(session: Session, incident_ids: list[str]) -> set[str]:
    """Which of these at-risk incidents reached the customer as a heads-up (a dry run did not)."""
    if not incident_ids:
        return set()
    return set(
        session.scalars(
            select(OutboxMessage.incident_id).where(
                OutboxMessage.incident_id.in_(incident_ids), OutboxMessage.state == "sent"
            )
        )
    )


def heads_up_sent_on(
    session: Session, tenant_id: int, order_id: str, fulfillment_id: str, zone: ZoneInfo
) -> date | None:
    """The day (in the shop's zone) the customer was sent a heads-up about this parcel, if they were."""
    sent = session.scalar(
        select(OutboxMessage.sent_at)
        .join(Incident, Incident.id == OutboxMessage.incident_id)
        .where(
            Incident.tenant_id == tenant_id,
            Incident.order_id == order_id,
            Incident.fulfillment_id == fulfillment_id,
            Incident.kind == KIND.value,
            OutboxMessage.state == "sent",  # a dry run never reached the customer
        )
        .order_by(OutboxMessage.sent_at)
        .limit(1)
    )
    return sent.astimezone(zone).date() if sent is not None else None
