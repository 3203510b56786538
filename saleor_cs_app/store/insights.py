"""A month's insights for the merchant's dashboard: incidents by kind and cause, budget used,
time from detection to e-mail. Every query takes the tenant first.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from saleor_cs_app.store import budget, orders, policies
from saleor_cs_app.store.incidents import IncidentFilter, incident_filters
from saleor_cs_app.store.models import Incident, IncidentEvent, TrackedOrder

TOP = 10  # bars per chart; the rest is summed into "other"


@dataclass(frozen=True)
class Counted:
    label: str
    count: int


@dataclass(frozen=True)
class BudgetUse:
    currency: str
    spent: Decimal
    budget: Decimal | None  # None: the policy sets no cap for this currency


@dataclass(frozen=True)
class MonthInsights:
    month: str
    incidents: int
    by_kind: tuple[Counted, ...]
    by_state: tuple[Counted, ...]
    by_carrier: tuple[Counted, ...]
    by_warehouse: tuple[Counted, ...]
    by_sku: tuple[Counted, ...]
    budget: tuple[BudgetUse, ...]
    emailed: int
    median_minutes_to_email: float | None


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """`YYYY-MM` → [first instant, first instant of the next month) in UTC; ValueError when malformed."""
    start = datetime.strptime(month, "%Y-%m").replace(tzinfo=timezone.utc)
    end = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)
    return start, end


def month_insights(session: Session, tenant_id: int, month: str) -> MonthInsights:
    start, end = month_bounds(month)
    rows = session.execute(
        select(Incident.id, Incident.kind, Incident.state, Incident.carrier, Incident.warehouse, Incident.facts).where(
            *incident_filters(tenant_id, IncidentFilter(detected_from=start, detected_before=end))
        )
    ).all()
    shipped_from = _warehouses_found_later(session, tenant_id, [r[0] for r in rows if not r[4]])
    kinds, states, carriers, warehouses, skus = Counter(), Counter(), Counter(), Counter(), Counter()
    for incident_id, kind, state, carrier, warehouse, facts in rows:
        kinds[kind] += 1
        states[state] += 1
        carriers[carrier or "unknown"] += 1
        warehouses[warehouse or shipped_from.get(incident_id) or "unknown"] += 1
        if kind == "wrong_item":
            skus.update(_wrong_skus(facts or {}))
    minutes = _minutes_to_email(session, tenant_id, [r[0] for r in rows])
    return MonthInsights(
        month=month,
        incidents=len(rows),
        by_kind=_top(kinds),
        by_state=_top(states),
        by_carrier=_top(carriers),
        by_warehouse=_top(warehouses),
        by_sku=_top(skus),
        budget=_budget(session, tenant_id, month),
        emailed=len(minutes),
        median_minutes_to_email=round(statistics.median(minutes), 1) if minutes else None,
    )


def _warehouses_found_later(session: Session, tenant_id: int, incident_ids: list[str]) -> dict[str, str]:
    """For incidents recorded without a warehouse (late shipments noticed before anything shipped,
    closed before the app recorded it later): where their order's parcels left from."""
    found = {}
    for chunk in (incident_ids[i : i + 500] for i in range(0, len(incident_ids), 500)):
        pairs = session.execute(
            select(Incident.id, Incident.fulfillment_id, TrackedOrder.facts)
            .join(
                TrackedOrder,
                (TrackedOrder.tenant_id == Incident.tenant_id) & (TrackedOrder.order_id == Incident.order_id),
            )
            .where(Incident.tenant_id == tenant_id, Incident.id.in_(chunk))
        )
        for incident_id, fulfillment_id, facts in pairs:
            name = orders.shipped_from(facts, fulfillment_id)
            if name:
                found[incident_id] = name
    return found


def _wrong_skus(facts: dict) -> list[str]:
    """The SKUs that went wrong: expected but not sent (or every expected one when the sent list is unknown)."""
    expected, sent = Counter(facts.get("expected_skus") or ()), Counter(facts.get("sent_skus") or ())
    missing = list((expected - sent).elements()) if sent else list(expected.elements())
    return missing or ["unknown"]


def _top(counter: Counter) -> tuple[Counted, ...]:
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    top = [Counted(label, n) for label, n in ranked[:TOP]]
    rest = sum(n for _, n in ranked[TOP:])
    return tuple(top + ([Counted("other", rest)] if rest else []))


def _minutes_to_email(session: Session, tenant_id: int, incident_ids: list[str]) -> list[float]:
    if not incident_ids:
        return []
    first: dict[tuple[str, str], datetime] = {}
    for chunk in (incident_ids[i : i + 500] for i in range(0, len(incident_ids), 500)):
        events = session.execute(
            select(IncidentEvent.incident_id, IncidentEvent.type, func.min(IncidentEvent.at))
            .where(
                IncidentEvent.tenant_id == tenant_id,
                IncidentEvent.incident_id.in_(chunk),
                IncidentEvent.type.in_(("detected", "emailed_initial")),
            )
            .group_by(IncidentEvent.incident_id, IncidentEvent.type)
        )
        for incident_id, type_, at in events:
            first[(incident_id, type_)] = _aware(at)
    return [
        (first[(i, "emailed_initial")] - first[(i, "detected")]).total_seconds() / 60
        for i in incident_ids
        if (i, "detected") in first and (i, "emailed_initial") in first
    ]


def _aware(value) -> datetime:
    # func.min() bypasses the column type on SQLite and returns text.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _budget(session: Session, tenant_id: int, month: str) -> tuple[BudgetUse, ...]:
    spent = budget.spent_by_currency(session, tenant_id, month)
    caps = policies.load(session, tenant_id).limits.monthly_budget
    return tuple(
        BudgetUse(currency, spent.get(currency, Decimal(0)), caps.get(currency)) for currency in sorted({*spent, *caps})
    )
