"""Three months of parcels a tracking source saw delivered, for the promise advice and the on-time trend.

Standard (DHL, to Finland) promises 3 days and keeps three in four; Express (UPS, to Germany) promises 2 and
keeps nine in ten; Economy (Posti, to Sweden) has too few parcels to tell. Weekdays only, shipped at 10:00 UTC; each month's parcels are delivered in that month.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from saleor_cs_app.store.models import TrackedOrder
from saleor_cs_app.store.tracking_models import FulfillmentDelivery, TransitCount

METHODS = (  # (method, carrier, country, promised days, parcels a month, every n-th is late)
    ("Standard", "DHL", "FI", 3, 16, 4),
    ("Express", "UPS", "DE", 2, 12, 10),
    ("Economy", "Posti", "SE", 5, 2, 100),  # two parcels a month: too few to tell
)


def month_starts(now: datetime, months: int = 3) -> list[datetime]:
    first = now.replace(day=1, hour=10, minute=0, second=0, microsecond=0)
    starts = [first]
    for _ in range(months - 1):
        starts.append((starts[-1] - timedelta(days=1)).replace(day=1))
    return starts[::-1]


def weekdays(start: datetime, count: int) -> list[datetime]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def three_months_of_deliveries(session, tenant: int, now: datetime) -> dict[str, int]:
    """Seeds the parcels; returns how many were delivered per method (all of them before `now`)."""
    n = 0
    transit: Counter = Counter()
    delivered: Counter = Counter()
    for start in month_starts(now):
        for method, carrier, country, promised, count, late_every in METHODS:
            for i, shipped in enumerate(weekdays(start, count)):
                late = i % late_every == late_every - 1
                took = promised + 6 if late else 1  # business-day-ish: Mon–Thu + 1 stays in the week
                arrived = shipped + timedelta(days=took, hours=2)
                if arrived >= now:
                    continue
                n += 1
                order_id, fulfillment_id = f"Order:advice-{n}", f"Fulfillment:advice-{n}"
                session.add(TrackedOrder(
                    tenant_id=tenant, order_id=order_id, number=str(9000 + n), channel_slug="default-channel",
                    status="FULFILLED", created_at=shipped - timedelta(hours=1), paid_at=shipped - timedelta(hours=1),
                    max_delivery_days=promised, updated_at=now,
                    facts={"shipping_method_name": method, "destination_country": country, "channel_country": "US",
                           "fulfillments": {fulfillment_id: {"status": "FULFILLED", "created": shipped.isoformat()}}},
                ))
                session.add(FulfillmentDelivery(
                    tenant_id=tenant, order_id=order_id, fulfillment_id=fulfillment_id, tracking_number=f"T{n}",
                    followed_by=["aftership"], source="aftership", state="delivered", carrier_name=carrier,
                    delivered_at=arrived, updated_at=now,
                ))
                transit[(method.lower(), carrier.lower(), country, min(took, 60))] += 1
                delivered[method] += 1
    for (method, carrier, country, value), count in transit.items():
        session.add(TransitCount(tenant_id=tenant, measure="transit", method=method, carrier=carrier, country=country,
                                 value=value, count=count))
    return dict(delivered)
