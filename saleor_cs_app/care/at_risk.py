"""At risk, before late: how likely a parcel on its way is to arrive by its deliver-by day.

Pure. From the segment's learned transit and gap distributions (care/transit.py), the business days
since the parcel left, and the business hours since the carrier's last scan. The likely new date is the
conditional median: a date the shop's own parcels back, told to the customer as an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from saleor_cs_app.care import promises
from saleor_cs_app.care.model import DeliveryState
from saleor_cs_app.care.stalls import MOVING
from saleor_cs_app.care.transit import Distribution, business_hours_between, likely_day, lost_days, p_by_deadline


@dataclass(frozen=True)
class Risk:
    probability: float  # of arriving by the deliver-by day
    likely_date: date | None  # the local day it likely arrives, when the data says
    parcels: float  # how many of the segment's parcels the estimate rests on


def assess(
    transit: Distribution,
    gaps: Distribution,
    *,
    state: DeliveryState | None,
    shipped_at: datetime,
    promised_date: date,
    last_scan_at: datetime | None,
    now: datetime,
    country: str | None,
) -> Risk | None:
    """None when the parcel is not on its way, the promise has passed (then it is late, not at risk),
    or the shop has no parcels to learn from."""
    if state not in MOVING or transit.empty:
        return None
    zone = ZoneInfo(promises.timezone_for_country(country))
    ship_day, today = shipped_at.astimezone(zone).date(), now.astimezone(zone).date()
    if today > promised_date:
        return None
    elapsed = promises.business_days_between(ship_day, today, country)
    if not promises.is_business_day(today, country):
        elapsed += 1  # nothing is delivered today: the earliest is the next business day
    deadline = promises.business_days_between(ship_day, promised_date, country)
    silent = business_hours_between(last_scan_at or shipped_at, now, country)
    lost = lost_days(silent, gaps)
    probability = p_by_deadline(transit, elapsed_days=elapsed, deadline_days=deadline, lost=lost)
    if probability is None:
        return None
    day = likely_day(transit, elapsed_days=elapsed, lost=lost)
    likely = promises.add_business_days(ship_day, day, country) if day is not None else None
    return Risk(probability=probability, likely_date=likely, parcels=transit.parcels)
