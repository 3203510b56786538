"""At risk, before late: how likely a parcel on its way is to arrive by its deliver-by day.

Pure. Where the carrier names the leg the parcel is in (care/stages.py), from the segment's learned time
in that stage and after it (care/transit.py) and the business days the parcel has spent in it: a parcel
still between hubs the day before its deliver-by day has the depot and the van ahead of it, one at the
depot is usually out the next morning. Otherwise from the segment's transit and gap distributions, the
business days since the parcel left, and the business hours since the carrier's last scan. The likely new
date is the conditional median: a date the shop's own parcels back, told to the customer as an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from saleor_cs_app.care import promises
from saleor_cs_app.care.model import DeliveryState, Stage
from saleor_cs_app.care.stalls import MOVING
from saleor_cs_app.care.transit import (
    Distribution,
    business_hours_between,
    likely_day,
    likely_day_in_stage,
    lost_days,
    p_by_deadline,
    p_by_deadline_in_stage,
)


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
    stage: tuple[Stage, datetime] | None = None,
    in_stage: tuple[Distribution, Distribution] | None = None,
) -> Risk | None:
    """None when the parcel is not on its way, the promise has passed (then it is late, not at risk),
    or the shop has no parcels to learn from. `stage`: the parcel's stage and since when; `in_stage`: the
    segment's (stay, after) distributions for it, used when both have data."""
    if state not in MOVING or transit.empty:
        return None
    zone = ZoneInfo(promises.timezone_for_country(country))
    ship_day, today = shipped_at.astimezone(zone).date(), now.astimezone(zone).date()
    if today > promised_date:
        return None
    if stage is not None and in_stage is not None:
        entered = stage[1].astimezone(zone).date()
        spent, deadline = _days(entered, today, country), promises.business_days_between(entered, promised_date, country)
        probability = p_by_deadline_in_stage(*in_stage, days_in_stage=spent, deadline_days=deadline)
        if probability is not None:
            day = likely_day_in_stage(*in_stage, days_in_stage=spent)
            likely = promises.add_business_days(entered, day, country) if day is not None else None
            return Risk(probability=probability, likely_date=likely, parcels=in_stage[0].parcels)
    elapsed = _days(ship_day, today, country)
    deadline = promises.business_days_between(ship_day, promised_date, country)
    silent = business_hours_between(last_scan_at or shipped_at, now, country)
    lost = lost_days(silent, gaps)
    probability = p_by_deadline(transit, elapsed_days=elapsed, deadline_days=deadline, lost=lost)
    if probability is None:
        return None
    day = likely_day(transit, elapsed_days=elapsed, lost=lost)
    likely = promises.add_business_days(ship_day, day, country) if day is not None else None
    return Risk(probability=probability, likely_date=likely, parcels=transit.parcels)


def _days(start: date, today: date, country: str | None) -> int:
    """Business days from `start` to today; on a day off, to the next business day (nothing arrives today)."""
    return promises.business_days_between(start, today, country) + (0 if promises.is_business_day(today, country) else 1)
