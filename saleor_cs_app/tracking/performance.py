"""On-time delivery per carrier and shipping method, from parcels a source saw delivered."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.care import promises
from saleor_cs_app.store import policies
from saleor_cs_app.store.models import TrackedOrder
from saleor_cs_app.store.tracking_models import FulfillmentDelivery
from saleor_cs_app.watch.opening import rules_for
from saleor_cs_app.watch.snapshot import parse_time


@dataclass(frozen=True)
class OnTimeRate:
    carrier: str
    shipping_method: str
    delivered: int
    on_time: int

    @property
    def rate(self) -> float:
        return self.on_time / self.delivered if self.delivered else 0.0


@dataclass(frozen=True)
class JudgedDelivery:
    """One parcel seen delivered, and whether it came by the deliver-by promised at checkout."""

    carrier: str
    shipping_method: str
    country: str  # where it went (the order's shipping address), "??" when unknown
    on_time: bool


def judged_deliveries(session: Session, tenant_id: int, start: datetime, end: datetime) -> list[JudgedDelivery]:
    """Parcels delivered in [start, end), on time when delivered before the deliver-by promised at checkout."""
    delivered = list(
        session.scalars(
            select(FulfillmentDelivery).where(
                FulfillmentDelivery.tenant_id == tenant_id,
                FulfillmentDelivery.delivered_at >= start,
                FulfillmentDelivery.delivered_at < end,
            )
        )
    )
    order_ids = {row.order_id for row in delivered}
    tracked = {
        o.order_id: o
        for o in session.scalars(
            select(TrackedOrder).where(TrackedOrder.tenant_id == tenant_id, TrackedOrder.order_id.in_(order_ids))
        )
    } if order_ids else {}
    policy = policies.load(session, tenant_id)
    judged = []
    for row in delivered:
        order = tracked.get(row.order_id)
        shipped_at = parse_time(((order.facts.get("fulfillments") or {}).get(row.fulfillment_id) or {}).get("created")) if order else None
        if order is None or shipped_at is None:
            continue
        deadline = promises.deliver_by(shipped_at, order.max_delivery_days, rules_for(policy, order))
        judged.append(
            JudgedDelivery(
                carrier=row.carrier_name or "unknown",
                shipping_method=order.facts.get("shipping_method_name") or "unknown",
                country=(order.facts.get("destination_country") or "??").upper(),
                on_time=row.delivered_at < deadline,
            )
        )
    return judged


def on_time_rates(session: Session, tenant_id: int, start: datetime, end: datetime) -> list[OnTimeRate]:
    """On-time deliveries in [start, end) per carrier and shipping method."""
    totals, kept = Counter(), Counter()
    for parcel in judged_deliveries(session, tenant_id, start, end):
        key = (parcel.carrier, parcel.shipping_method)
        totals[key] += 1
        kept[key] += parcel.on_time
    return [
        OnTimeRate(carrier=carrier, shipping_method=method, delivered=totals[(carrier, method)], on_time=kept[(carrier, method)])
        for carrier, method in sorted(totals)
    ]
