"""How long the shop's own parcels really take, learned from what the tracking sources report.

Two measures, each a histogram of whole numbers per segment (shipping method × carrier × destination
country):

- ``transit``: shipped → delivered, in business days of the destination (0 = the day it left);
- ``gap``: business hours (hours of the destination's business days) between two consecutive carrier
  scans of one parcel: carriers rest at weekends and on public holidays, and a quiet Sunday is no stall.

A histogram is the whole model: the counts are what the store keeps (one row per segment and value,
updated as parcels report), and every question is answered from them. The model is an empirical
distribution per segment, shrunk towards its fallback (carrier × country, then carrier, then everything)
with a fixed number of pseudo-parcels: a segment with a handful of deliveries speaks mostly with its
carrier's voice, one with hundreds with its own. That is a Dirichlet prior centred on the parent level —
easy to explain ("as if we had seen 20 more parcels behaving like the carrier's average") and cheap.

Questions answered (all pure):
- how long a carrier's longest usual silence is (the 99th percentile gap: a parcel quiet for longer has
  stalled, care/stalls.py);
- the probability that a parcel not yet delivered arrives by its deliver-by day, given the business days
  since it left and how long the carrier has been silent (conditional survival: among parcels of this
  segment that took at least as long as this one already has, the share delivered by the deadline);
- the day it will likely arrive, when it looks late (the conditional median).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from saleor_cs_app.care import promises
from saleor_cs_app.care.model import Stage

TRANSIT = "transit"
GAP = "gap"
MEASURES = (TRANSIT, GAP)
ANY = "*"  # a segment field that matches everything, at the fallback levels

MAX_TRANSIT_DAYS = 60  # longer transits are counted as 60: the tail beyond is not needed for any answer
MAX_GAP_HOURS = 24 * 30  # AfterShip expires a tracking after 30 silent days
PRIOR_PARCELS = 20.0  # pseudo-parcels each level borrows from the level above it
ENOUGH = 30  # parcels from which a segment's own estimate is called sure enough to name as its basis


@dataclass(frozen=True)
class Segment:
    method: str
    carrier: str
    country: str

    @classmethod
    def of(cls, method: str | None, carrier: str | None, country: str | None) -> Segment:
        return cls((method or "").strip().lower()[:200] or "unknown", (carrier or "").strip().lower()[:200] or "unknown",
                   (country or "").strip().upper()[:2] or "??")

    def fallbacks(self) -> tuple[Segment, ...]:
        """This segment and its fallbacks, most specific first, down to everything."""
        return (
            self,
            Segment(ANY, self.carrier, self.country),
            Segment(ANY, self.carrier, ANY),
            Segment(ANY, ANY, ANY),
        )


Counts = Mapping[int, float]  # value (business days, or hours) → parcels (weights allowed)


@dataclass(frozen=True)
class Observation:
    """One thing learned from one parcel: a transit time or a gap between two scans."""

    measure: str
    segment: Segment
    value: int


def transit_observation(segment: Segment, business_days: int) -> Observation:
    return Observation(TRANSIT, segment, max(0, min(business_days, MAX_TRANSIT_DAYS)))


def gap_observation(segment: Segment, hours: float) -> Observation:
    return Observation(GAP, segment, max(0, min(int(hours), MAX_GAP_HOURS)))


def stay_measure(stage: Stage) -> str:
    """Business days from the day a parcel entered `stage` to the day it left it (entered the next, or arrived)."""
    return f"stay_{stage.value}"


def after_measure(stage: Stage) -> str:
    """Business days from the day a parcel left `stage` to the day it was delivered."""
    return f"after_{stage.value}"


def stage_observations(segment: Segment, runs: list[tuple[Stage, int]], delivered_day: int) -> list[Observation]:
    """What a delivered parcel teaches about its stages: `runs` are (stage, the business day it was entered,
    counted from any fixed day), oldest first; `delivered_day` on the same count."""
    found = []
    for i, (stage, entered) in enumerate(runs):
        left = runs[i + 1][1] if i + 1 < len(runs) else delivered_day
        found.append(Observation(stay_measure(stage), segment, max(0, min(left - entered, MAX_TRANSIT_DAYS))))
        found.append(Observation(after_measure(stage), segment, max(0, min(delivered_day - left, MAX_TRANSIT_DAYS))))
    return found


def _country(segment_country: str | None) -> str | None:
    return None if segment_country in (None, "??", ANY) else segment_country


def business_hours_between(start: datetime, end: datetime, country: str | None) -> float:
    """Hours from `start` to `end` that fall on business days of `country`, in its time zone."""
    if end <= start:
        return 0.0
    zone = ZoneInfo(promises.timezone_for_country(country))
    day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    total = 0.0
    while day <= last:
        if promises.is_business_day(day, country):
            day_start = datetime.combine(day, datetime.min.time(), zone).astimezone(timezone.utc)
            day_end = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone).astimezone(timezone.utc)
            overlap = min(end, day_end) - max(start, day_start)
            total += max(0.0, overlap.total_seconds() / 3600)
        day += timedelta(days=1)
    return total


def after_business_hours(start: datetime, hours: float, country: str | None) -> datetime:
    """The instant `hours` business hours of `country` after `start` (the inverse of the above)."""
    zone = ZoneInfo(promises.timezone_for_country(country))
    left, at = hours, start
    for _ in range(3660):  # ten years of days: far beyond any gap the model keeps
        day = at.astimezone(zone).date()
        day_end = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone).astimezone(timezone.utc)
        if promises.is_business_day(day, country):
            available = (day_end - at).total_seconds() / 3600
            if available >= left:
                return at + timedelta(hours=left)
            left -= available
        at = day_end
    return at


def learned(
    segment: Segment,
    *,
    shipped_at: datetime | None,
    previous_scan_at: datetime | None,
    scan_at: datetime | None,
    delivered_at: datetime | None,
) -> list[Observation]:
    """What one report teaches: the gap since the previous scan (when the carrier scanned again), and
    the transit time (when the parcel was delivered, counted in the destination's business days)."""
    found = []
    if previous_scan_at is not None and scan_at is not None and scan_at > previous_scan_at:
        found.append(gap_observation(segment, business_hours_between(previous_scan_at, scan_at, _country(segment.country))))
    if shipped_at is not None and delivered_at is not None and delivered_at >= shipped_at:
        country = _country(segment.country)
        zone = ZoneInfo(promises.timezone_for_country(country))
        days = promises.business_days_between(
            shipped_at.astimezone(zone).date(), delivered_at.astimezone(zone).date(), country
        )
        found.append(transit_observation(segment, days))
    return found


def roll_up(rows: Iterable[tuple[str, Segment, int, float]]) -> dict[tuple[str, Segment], dict[int, float]]:
    """Stored rows (measure, segment, value, count) summed into every fallback level they belong to."""
    levels: dict[tuple[str, Segment], dict[int, float]] = {}
    for measure, segment, value, count in rows:
        for level in segment.fallbacks():
            hist = levels.setdefault((measure, level), {})
            hist[value] = hist.get(value, 0.0) + count
    return levels


@dataclass(frozen=True)
class Distribution:
    """A discrete distribution over 0..N, as cumulative probabilities, and what it rests on."""

    values: tuple[int, ...]  # sorted
    cumulative: tuple[float, ...]  # P(X <= values[i])
    parcels: float  # observations of the most specific level that has any
    basis: Segment | None  # the most specific level with at least ENOUGH parcels (None: none has)

    @property
    def empty(self) -> bool:
        return not self.values

    def cdf(self, x: float) -> float:
        """P(X <= x)."""
        i = bisect.bisect_right(self.values, x)
        return self.cumulative[i - 1] if i else 0.0

    def quantile(self, q: float) -> int | None:
        """The smallest value v with P(X <= v) >= q; None without data."""
        if self.empty:
            return None
        i = bisect.bisect_left(self.cumulative, q - 1e-12)
        return self.values[min(i, len(self.values) - 1)]


EMPTY = Distribution((), (), 0.0, None)


def distribution(levels: Mapping[tuple[str, Segment], Counts], measure: str, segment: Segment,
                 *, prior: float = PRIOR_PARCELS) -> Distribution:
    """The segment's distribution, each level shrunk towards the one above it by `prior` pseudo-parcels."""
    probs: dict[int, float] = {}
    parcels, basis = 0.0, None
    for level in reversed(segment.fallbacks()):
        counts = levels.get((measure, level))
        n = sum(counts.values()) if counts else 0.0
        if n <= 0:
            continue
        weight = prior if probs else 0.0
        total = n + weight
        merged = {v: c / total for v, c in counts.items()}
        for v, p in probs.items():
            merged[v] = merged.get(v, 0.0) + p * weight / total
        probs, parcels = merged, n
        if n >= ENOUGH:
            basis = level
    if not probs:
        return EMPTY
    values = tuple(sorted(probs))
    running, cumulative = 0.0, []
    for v in values:
        running += probs[v]
        cumulative.append(running)
    cumulative[-1] = 1.0
    return Distribution(values, tuple(cumulative), parcels, basis)


# --- questions about one parcel ------------------------------------------------------------------


def stall_after_hours(gaps: Distribution, *, floor_hours: int, quantile: float = 0.99) -> int:
    """How many business hours the carrier may stay silent before a parcel counts as stalled: its usual
    longest gap (the 99th percentile of gaps between scans), and never less than the policy's floor."""
    learned = gaps.quantile(quantile)
    return max(floor_hours, learned + 1 if learned is not None else 0)


def lost_days(silent_hours: float, gaps: Distribution) -> int:
    """Business days a parcel has lost to silence: the business hours since its last scan beyond the
    carrier's median gap, in days begun. A parcel scanned this morning has lost nothing; one silent for four days
    on a carrier that scans daily has lost three, and its remaining journey starts that much later. (Days begun
    rather than whole days: on the benchmark it flags more late parcels, more precisely, with a lower Brier score.)"""
    typical = gaps.quantile(0.5) if not gaps.empty else 24
    return max(0, math.ceil((silent_hours - typical) / 24))


def p_by_deadline(transit: Distribution, *, elapsed_days: int, deadline_days: int, lost: int = 0) -> float | None:
    """P(delivered by the end of business day `deadline_days` | not delivered before day `elapsed_days`).

    Days count business days after the day the parcel left (the shape of `transit`). A parcel that has
    lost `lost` days to silence is judged as if it had left that much later. None without data."""
    if transit.empty:
        return None
    elapsed, deadline = elapsed_days - lost, deadline_days - lost
    before = transit.cdf(elapsed - 1)  # share delivered before today: ruled out for this parcel
    alive = 1.0 - before
    if alive <= 1e-9:
        # Slower than every parcel seen: the data says nothing more than "late so far".
        return 0.0 if elapsed > deadline else None
    return max(0.0, min(1.0, (transit.cdf(deadline) - before) / alive))


def _by_day_in_stage(stay: Distribution, after: Distribution, spent: int, day: int) -> float | None:
    """P(delivered by business day `day` | still in the stage on day `spent`), both counted from the day it
    entered the stage: the rest of its stay (the stay's distribution beyond the days spent) followed by the
    time from leaving it to delivery, taken as independent. None when no parcel stayed that long."""
    before = stay.cdf(spent - 1)  # left the stage before today: ruled out, it is still there
    alive = 1.0 - before
    if alive <= 1e-9:
        return None
    total, below = 0.0, before
    for value, cumulative in zip(stay.values, stay.cumulative):
        if value >= spent:
            total += (cumulative - below) * after.cdf(day - value)
        below = cumulative
    return max(0.0, min(1.0, total / alive))


def p_by_deadline_in_stage(stay: Distribution, after: Distribution, *, days_in_stage: int,
                           deadline_days: int) -> float | None:
    """P(delivered by the end of business day `deadline_days` | still in its stage on day `days_in_stage`),
    days counted from the day it entered the stage. None without data. (No days lost to silence here: the
    time in the stage already tells it, and on the benchmark the shift cost precision.)"""
    if stay.empty or after.empty:
        return None
    value = _by_day_in_stage(stay, after, days_in_stage, deadline_days)
    if value is None:  # longer in the stage than every parcel seen: late so far, or the data cannot say
        return 0.0 if days_in_stage > deadline_days else None
    return value


def likely_day_in_stage(stay: Distribution, after: Distribution, *, days_in_stage: int, q: float = 0.5) -> int | None:
    """The business day (after the day it entered its stage) by which the parcel arrives with probability `q`."""
    if stay.empty or after.empty:
        return None
    for day in range(days_in_stage, days_in_stage + 2 * MAX_TRANSIT_DAYS + 1):
        value = _by_day_in_stage(stay, after, days_in_stage, day)
        if value is None:
            return None
        if value >= q - 1e-12:
            return day
    return None


def learned_from_stages(segment: Segment, runs: list[tuple[Stage, datetime]], delivered_at: datetime) -> list[Observation]:
    """What a delivered parcel's stages teach (stage_observations), in the destination's business days."""
    if not runs:
        return []
    country = _country(segment.country)
    zone = ZoneInfo(promises.timezone_for_country(country))
    first = runs[0][1].astimezone(zone).date()

    def number(at: datetime) -> int:
        day = at.astimezone(zone).date()
        return promises.business_days_between(first, day, country) if day > first else 0

    return stage_observations(segment, [(stage, number(at)) for stage, at in runs], number(delivered_at))


def likely_day(transit: Distribution, *, elapsed_days: int, lost: int = 0, q: float = 0.5) -> int | None:
    """The business day (after the day it left) by which the parcel arrives with probability `q`,
    given it has not arrived before day `elapsed_days`; None when the data cannot say."""
    if transit.empty:
        return None
    elapsed = elapsed_days - lost
    before = transit.cdf(elapsed - 1)
    alive = 1.0 - before
    if alive <= 1e-9:
        return None
    for v, c in zip(transit.values, transit.cumulative):
        if v >= elapsed and (c - before) / alive >= q - 1e-12:
            return v + lost
    return None
