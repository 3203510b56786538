"""Promise advice per shipping method: how many promises were kept in the last 90 days, and the
`maximumDeliveryDays` and `handling_days` that would have been kept 95 % of the time (care/promise_advice.py)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.care import promises
from saleor_cs_app.care.detection import OrderState, handling_starts_at
from saleor_cs_app.care.promise_advice import Advice, days_kept, max_delivery_days
from saleor_cs_app.care.transit import TRANSIT, Segment
from saleor_cs_app.store import policies
from saleor_cs_app.store.models import TrackedOrder
from saleor_cs_app.store.tracking_models import TransitCount
from saleor_cs_app.tracking import performance
from saleor_cs_app.watch.opening import rules_for
from saleor_cs_app.watch.snapshot import parse_time

WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class MethodAdvice:
    shipping_method: str  # as the transit histograms key it (care.transit.Segment: lower case)
    name: str  # as the shop spells it on its orders (the most frequent spelling), for the page
    delivered: int  # parcels a source saw delivered in the window
    kept: int  # of those, by the deliver-by day
    max_delivery_days: Advice
    handling_days: Advice


def _method(name: str | None) -> str:
    return Segment.of(name, None, None).method


def advice(session: Session, tenant_id: int, now: datetime) -> list[MethodAdvice]:
    policy = policies.load(session, tenant_id)
    kept: Counter = Counter()
    delivered: Counter = Counter()
    spellings: dict[str, Counter] = defaultdict(Counter)
    for rate in performance.on_time_rates(session, tenant_id, now - WINDOW, now):
        delivered[_method(rate.shipping_method)] += rate.delivered
        kept[_method(rate.shipping_method)] += rate.on_time
        spellings[_method(rate.shipping_method)][rate.shipping_method] += rate.delivered
    transit: dict[str, Counter] = defaultdict(Counter)
    for method, value, count in session.execute(
        select(TransitCount.method, TransitCount.value, TransitCount.count).where(
            TransitCount.tenant_id == tenant_id, TransitCount.measure == TRANSIT
        )
    ):
        transit[method][value] += count
    handling: dict[str, Counter] = defaultdict(Counter)
    for tracked in session.scalars(
        select(TrackedOrder).where(TrackedOrder.tenant_id == tenant_id, TrackedOrder.created_at >= now - WINDOW)
    ):
        days = _handling_days(tracked, policy)
        if days is not None:
            handling[_method(tracked.facts.get("shipping_method_name"))][days] += 1
            spellings[_method(tracked.facts.get("shipping_method_name"))][tracked.facts.get("shipping_method_name") or "unknown"] += 1
    grace = policy.promises.delivery_grace_days
    return [
        MethodAdvice(
            shipping_method=method,
            name=spellings[method].most_common(1)[0][0] if spellings[method] else method,
            delivered=delivered[method],
            kept=kept[method],
            max_delivery_days=max_delivery_days(transit[method], grace_days=grace),
            handling_days=days_kept(handling[method]),
        )
        for method in sorted(set(delivered) | set(transit) | set(handling))
    ]


def _handling_days(tracked: TrackedOrder, policy) -> int | None:
    """Business days from the start of the handling clock to the first parcel leaving, in the shop's calendar."""
    rules = rules_for(policy, tracked)
    state = OrderState(status=tracked.status, created=tracked.created_at, paid_at=tracked.paid_at, fully_shipped=False)
    start = handling_starts_at(state, rules)
    shipped = [parse_time(f.get("created")) for f in (tracked.facts.get("fulfillments") or {}).values()]
    shipped = [s for s in shipped if s is not None]
    if start is None or not shipped:
        return None
    zone = promises.zone_of(rules)
    return promises.business_days_between(start.astimezone(zone).date(), min(shipped).astimezone(zone).date(), rules.country)
