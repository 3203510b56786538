"""The daily count of returning customers (care/returns.py) read from the tables, and its stored result.

One pass over the tracked orders, in (customer, time) order from ix_tracked_orders_customer, holds
every customer's later orders: incidents are looked up by customer, baseline customers (no incident)
are taken in the weeks that had incidents. The page reads the stored report only.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from enum import Enum
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from saleor_cs_app.care import returns as rules
from saleor_cs_app.store import redemptions
from saleor_cs_app.store.models import Incident, ReturnsReport, TrackedOrder
from saleor_cs_app.store.upsert import insert_ignore

# Incidents whose customer heard from the app (and got the goodwill, if any).
REACHED = ("notifying", "notified", "handled")
CODED = ("gift_card", "free_shipping_voucher")


def count(session: Session, tenant_id: int, as_of: datetime, min_sample: int = rules.MIN_SAMPLE):
    incidents = _incidents(session, tenant_id)
    redeemed = redemptions.redeemed_incidents(session, tenant_id)
    by_customer: dict[str, list] = defaultdict(list)
    for row in incidents:
        by_customer[row.customer_key].append(row)
    weeks = {rules.week_of(row.detected_at) for row in incidents}

    outcomes, baseline = [], []
    # Core rows, streamed: the ORM's per-row work would double the time of this pass.
    ordered = session.connection().execution_options(yield_per=20_000).execute(
        select(TrackedOrder.customer_key, TrackedOrder.created_at, TrackedOrder.total_amount, TrackedOrder.currency)
        .where(TrackedOrder.tenant_id == tenant_id, TrackedOrder.customer_key.is_not(None))
        .order_by(TrackedOrder.customer_key, TrackedOrder.created_at)
    )
    for key, group in groupby(ordered, key=lambda r: r[0]):
        orders = [(r[1], r[2], r[3]) for r in group]
        times = [t for t, _, _ in orders]
        if key in by_customer:
            for row in by_customer[key]:
                outcomes.append(_outcome(row, orders, times, row.id in redeemed))
            continue
        seen_weeks = set()
        for t, _, currency in orders:
            week = rules.week_of(t)
            if week in weeks and week not in seen_weeks:
                seen_weeks.add(week)  # one anchor per customer and week: their first order in it
                baseline.append(_anchor(t, orders, times, currency))
    return rules.count_returns(outcomes, baseline, as_of, min_sample)


def _incidents(session: Session, tenant_id: int):
    return session.execute(
        select(
            Incident.id,
            Incident.detected_at,
            Incident.decision,
            Incident.offer_type,
            Incident.offer_value,
            Incident.currency,
            TrackedOrder.customer_key,
        )
        .join(
            TrackedOrder,
            (TrackedOrder.tenant_id == Incident.tenant_id) & (TrackedOrder.order_id == Incident.order_id),
        )
        .where(
            Incident.tenant_id == tenant_id,
            Incident.state.in_(REACHED),
            TrackedOrder.customer_key.is_not(None),
        )
    ).all()


def _anchor(at: datetime, orders, times, currency) -> rules.Anchor:
    later = rules.next_order_after(times, at)
    revenue = Decimal(0)
    if later is not None:  # most anchors have no later order: nothing to add up
        same_currency = [(t, amount) for t, amount, c in orders if c == currency]
        revenue = rules.revenue_within(same_currency, at, rules.REVENUE_WINDOW)
    return rules.Anchor(at=at, next_order_at=later, later_revenue=revenue, currency=currency)


def _outcome(row, orders, times, redeemed: bool) -> rules.Outcome:
    decision = row.decision or {}
    offer_type = row.offer_type or "apology_only"
    return rules.Outcome(
        incident_id=row.id,
        rule=decision.get("rule"),
        offer_type=offer_type,
        held_back=bool(decision.get("blocked_by")),
        currency=row.currency,
        cost=Decimal(row.offer_value or 0) if offer_type != "apology_only" else Decimal(0),
        has_code=offer_type in CODED,
        redeemed=redeemed,
        anchor=_anchor(row.detected_at, orders, times, row.currency),
    )


# -- stored --------------------------------------------------------------------------------------
def save(session: Session, tenant_id: int, report: rules.ReturnsReport, now: datetime) -> None:
    plain = _plain(report)
    if not insert_ignore(session, ReturnsReport, {"tenant_id": tenant_id, "computed_at": now, "report": plain}):
        row = session.scalar(select(ReturnsReport).where(ReturnsReport.tenant_id == tenant_id).with_for_update())
        row.computed_at, row.report = now, plain


def latest(session: Session, tenant_id: int) -> tuple[datetime, dict] | None:
    row = session.execute(
        select(ReturnsReport.computed_at, ReturnsReport.report).where(ReturnsReport.tenant_id == tenant_id)
    ).first()
    return (row[0], row[1]) if row else None


def _plain(value):
    """The report as JSON: decimals as strings, times as ISO-8601, windows as string keys."""
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value
