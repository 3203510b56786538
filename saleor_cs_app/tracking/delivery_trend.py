"""The on-time rate per month for the last months, per carrier, shipping method or destination
(care/on_time_trend.py), from the parcels a tracking source saw delivered (tracking/performance.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from saleor_cs_app.care.on_time_trend import TrendPoint, trend
from saleor_cs_app.store import insights
from saleor_cs_app.tracking.performance import JudgedDelivery, judged_deliveries

MONTHS = 6


def last_months(now: datetime, count: int = MONTHS) -> list[str]:
    """The `count` months up to and including now's, oldest first (YYYY-MM, UTC)."""
    year, month = now.year, now.month
    found = []
    for _ in range(count):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return found[::-1]


def _group(parcel: JudgedDelivery, by: str) -> str:
    return {"carrier": parcel.carrier, "method": parcel.shipping_method, "country": parcel.country}[by]


def delivery_trend(session: Session, tenant_id: int, now: datetime, by: str, months: int = MONTHS) -> tuple[list[str], list[TrendPoint]]:
    names = last_months(now, months)
    rows = []
    for month in names:
        month_start, month_end = insights.month_bounds(month)
        rows += [(month, _group(p, by), p.on_time) for p in judged_deliveries(session, tenant_id, month_start, month_end)]
    return names, trend(names, rows)
