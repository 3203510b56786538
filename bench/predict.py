"""Benchmark: does the learned transit model (care/transit.py) see broken promises coming?

    python bench/predict.py [--seed 7] [--parcels 100000]

A generator of synthetic parcel histories with fixed seeds: carriers with skewed transit times (per
shipping method and country), weekends and public holidays (no scans, no deliveries), stalls (days
without a scan that delay delivery) and a change of regime halfway through (one carrier slows down).
The model is trained on 8 weeks and tested on the next 4, beside a naive carrier-average baseline in
the same run. It prints:

- recall: the share of late parcels flagged at risk at least 24 h before their deadline;
- precision: the share of flagged parcels that really were late;
- the Brier score of P(on time) at every 12-hourly look before the deadline - 24 h;
- how long after the last scan a stall is detected (and how many stalls, and false stalls);
- how long fitting and scoring 100,000 parcels takes.

Time is counted in hours from a Monday 00:00; days are calendar days; business days skip weekends and
the generator's holidays, as the app skips a country's public holidays (care/promises.py).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from saleor_cs_app.care.transit import (  # noqa: E402
    GAP,
    TRANSIT,
    Segment,
    distribution,
    gap_observation,
    lost_days,
    p_by_deadline,
    roll_up,
    stall_after_hours,
    transit_observation,
)

WEEKS_TRAIN, WEEKS_TEST = 8, 4
HOLIDAYS = {17, 45, 67}  # a Thursday, a Wednesday and a Friday
STALL_FLOOR_HOURS = 48
GRACE_DAYS = 1
THRESHOLD = 0.5  # the policy's default `below_probability`

# carrier → (method → (promised business days, base transit, skew)), per destination country offset
CARRIERS = {
    "swiftpost": {"express": (2, 1, 0.35), "standard": (4, 2, 0.55)},
    "slowfreight": {"standard": (5, 3, 0.7)},
    "erratic": {"express": (3, 1, 1.1), "standard": (5, 2, 1.2)},
}
COUNTRIES = {"FI": 0, "SE": 1}
REGIME_CARRIER, REGIME_EXTRA_DAYS = "erratic", 1  # from the regime change on, this carrier takes a day longer
STALL_SHARE = 0.05


def is_business_day(day: int) -> bool:
    return day % 7 < 5 and day not in HOLIDAYS


def add_business_days(day: int, n: int) -> int:
    """The n-th business day after `day` (0: `day` itself, or the next business day)."""
    while not is_business_day(day):
        day += 1
    for _ in range(n):
        day += 1
        while not is_business_day(day):
            day += 1
    return day


def business_hours_between(start: float, end: float) -> float:
    """Hours from `start` to `end` on business days: how the app counts gaps between scans."""
    total, day = 0.0, int(start // 24)
    while day * 24 < end:
        if is_business_day(day):
            total += max(0.0, min(end, day * 24 + 24) - max(start, day * 24))
        day += 1
    return total


def after_business_hours(start: float, hours: float) -> float:
    """The hour `hours` business hours after `start`: when the app's stall deadline falls."""
    at, left = start, hours
    while True:
        day = int(at // 24)
        available = day * 24 + 24 - at if is_business_day(day) else 0.0
        if available >= left:
            return at + left
        left -= available
        at = day * 24 + 24


def business_days_between(start: int, end: int) -> int:
    return sum(1 for d in range(start + 1, end + 1) if is_business_day(d))


@dataclass
class Parcel:
    segment: Segment
    shipped_at: float  # hours
    deadline_at: float  # hours: end of the deliver-by day
    delivered_at: float
    scans: list[float] = field(default_factory=list)  # hours, the last one the delivery
    stall: tuple[float, float] | None = None  # (last scan before it, first scan after it)

    @property
    def late(self) -> bool:
        return self.delivered_at >= self.deadline_at


def generate(rng: random.Random, count: int, weeks: int) -> list[Parcel]:
    parcels = []
    days = weeks * 7
    segments = [(c, m, k) for c, methods in CARRIERS.items() for m in methods for k in COUNTRIES]
    regime_day = days // 2
    for _ in range(count):
        carrier, method, country = rng.choice(segments)
        promise, base, skew = CARRIERS[carrier][method]
        ship_day = rng.randrange(days)
        while not is_business_day(ship_day):
            ship_day = (ship_day + 1) % days
        # Skewed transit: a base plus a geometric tail (most parcels quick, a few much slower).
        extra = 0
        while rng.random() < skew / (1 + skew):
            extra += 1
        transit = base + COUNTRIES[country] + extra
        if carrier == REGIME_CARRIER and ship_day >= regime_day:
            transit += REGIME_EXTRA_DAYS
        stall_days = rng.randint(2, 5) if rng.random() < STALL_SHARE else 0
        stall_at = rng.randint(0, max(0, transit - 1)) if stall_days else None
        transit += stall_days
        shipped_at = ship_day * 24 + rng.uniform(9, 17)
        delivered_day = add_business_days(ship_day, transit)
        delivered_at = delivered_day * 24 + rng.uniform(9, 18)
        deadline_day = add_business_days(ship_day, promise + COUNTRIES[country] + GRACE_DAYS)
        scans, stall = [], None
        moving = [add_business_days(ship_day, i) for i in range(1, transit)]
        quiet = set()
        if stall_days:
            first = stall_at
            quiet = set(moving[first:first + stall_days])
        previous = shipped_at
        for day in moving:
            if day in quiet:
                continue
            at = day * 24 + rng.uniform(6, 20)
            if stall is None and quiet and day > max(quiet):
                stall = (previous, at)
            scans.append(at)
            previous = at
        if stall is None and quiet:
            stall = (previous, delivered_at)
        scans.append(delivered_at)
        parcels.append(
            Parcel(Segment(method, carrier, country), shipped_at, (deadline_day + 1) * 24, delivered_at, scans, stall)
        )
    return parcels


# --- the model under test: learned distributions (care/transit.py) ----------------------------------


def fit(parcels: list[Parcel]) -> dict:
    rows: dict[tuple, int] = {}

    def count(observation):
        key = (observation.measure, observation.segment, observation.value)
        rows[key] = rows.get(key, 0) + 1

    for p in parcels:
        days = business_days_between(int(p.shipped_at // 24), int(p.delivered_at // 24))
        count(transit_observation(p.segment, days))
        previous = p.shipped_at
        for at in p.scans:
            count(gap_observation(p.segment, business_hours_between(previous, at)))
            previous = at
    return roll_up((m, s, v, c) for (m, s, v), c in rows.items())


class Model:
    def __init__(self, levels: dict):
        self.levels, self.cache = levels, {}

    def dists(self, segment: Segment):
        if segment not in self.cache:
            gaps = distribution(self.levels, GAP, segment)
            self.cache[segment] = (
                distribution(self.levels, TRANSIT, segment),
                gaps,
                stall_after_hours(gaps, floor_hours=STALL_FLOOR_HOURS),
            )
        return self.cache[segment]

    def p_on_time(self, p: Parcel, now: float, last_scan: float) -> float:
        transit, gaps, _ = self.dists(p.segment)
        ship_day, today = int(p.shipped_at // 24), int(now // 24)
        elapsed = business_days_between(ship_day, today) if is_business_day(today) else business_days_between(ship_day, today) + 1
        deadline = business_days_between(ship_day, int(p.deadline_at // 24) - 1)
        value = p_by_deadline(transit, elapsed_days=elapsed, deadline_days=deadline, lost=lost_days(business_hours_between(last_scan, now), gaps))
        return 0.5 if value is None else value


class Baseline:
    """The naive carrier average: mean transit days per carrier; P(on time) = the carrier's on-time share;
    flagged once a parcel has travelled longer than its carrier's mean (the peers' "long in transit" alert)."""

    def __init__(self, parcels: list[Parcel]):
        days, kept = {}, {}
        for p in parcels:
            days.setdefault(p.segment.carrier, []).append(
                business_days_between(int(p.shipped_at // 24), int(p.delivered_at // 24))
            )
            kept.setdefault(p.segment.carrier, []).append(not p.late)
        self.mean = {c: statistics.fmean(v) for c, v in days.items()}
        self.share = {c: statistics.fmean(v) for c, v in kept.items()}

    def p_on_time(self, p: Parcel, now: float, last_scan: float) -> float:
        return self.share[p.segment.carrier]

    def flags(self, p: Parcel, now: float) -> bool:
        ship_day = int(p.shipped_at // 24)
        return business_days_between(ship_day, int(now // 24)) > self.mean[p.segment.carrier]


def looks(p: Parcel):
    """Every 12 hours from shipping while the parcel travels, up to 24 h before its deadline:
    (now, the last scan before now)."""
    now, i, last = p.shipped_at + 12, 0, p.shipped_at
    while now < min(p.delivered_at, p.deadline_at - 24):
        while i < len(p.scans) and p.scans[i] <= now:
            last, i = p.scans[i], i + 1
        yield now, last
        now += 12


def evaluate(test: list[Parcel], predict, flag) -> dict:
    flagged = late_flagged = late = 0
    brier, n = 0.0, 0
    for p in test:
        was_flagged = False
        for now, last in looks(p):
            prob = predict(p, now, last)
            brier += (prob - (0.0 if p.late else 1.0)) ** 2
            n += 1
            if not was_flagged and flag(p, now, prob):
                was_flagged = True
        late += p.late
        flagged += was_flagged
        late_flagged += was_flagged and p.late
    return {
        "recall": late_flagged / late if late else 0.0,
        "precision": late_flagged / flagged if flagged else 0.0,
        "brier": brier / n if n else 0.0,
        "late": late,
        "flagged": flagged,
    }


def stall_detection(test: list[Parcel], model: Model) -> dict:
    delays, missed, false = [], 0, 0
    for p in test:
        threshold = model.dists(p.segment)[2]
        gaps = [business_hours_between(a, b) for a, b in zip([p.shipped_at, *p.scans], p.scans)]
        if p.stall is not None:
            last, resumed = p.stall
            if business_hours_between(last, resumed) > threshold:
                delays.append(after_business_hours(last, threshold) - last)  # wall-clock hours
            else:
                missed += 1
        elif any(g > threshold for g in gaps[:-1]):
            false += 1
    return {
        "stalls": len(delays) + missed,
        "detected": len(delays),
        "median_hours_after_last_scan": statistics.median(delays) if delays else None,
        "false_stalls": false,
        "non_stalled": sum(1 for p in test if p.stall is None),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--parcels", type=int, default=100_000, help="parcels shipped over the 12 weeks")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    parcels = generate(rng, args.parcels, WEEKS_TRAIN + WEEKS_TEST)
    split = WEEKS_TRAIN * 7 * 24
    # Trained on what had been delivered by the end of week 8; tested on parcels shipped after it.
    train = [p for p in parcels if p.delivered_at < split]
    test = [p for p in parcels if p.shipped_at >= split]

    started = time.perf_counter()
    model = Model(fit(train))
    scored = [model.p_on_time(p, now, last) for p in parcels for now, last in list(looks(p))[:1]]
    fit_and_score = time.perf_counter() - started

    ours = evaluate(test, model.p_on_time, lambda p, now, prob: prob < THRESHOLD)
    baseline = Baseline(train)
    theirs = evaluate(test, baseline.p_on_time, lambda p, now, prob: baseline.flags(p, now))
    stalls = stall_detection(test, model)

    print(f"seed {args.seed}: {len(parcels)} parcels, trained on {len(train)} (weeks 1-8), tested on {len(test)} (weeks 9-12)")
    print(f"late in the test weeks: {ours['late']} ({ours['late'] / len(test):.1%})")
    print(f"{'':34}{'learned model':>15}{'carrier average':>17}")
    print(f"{'late flagged >= 24 h before':34}{ours['recall']:>15.3f}{theirs['recall']:>17.3f}")
    print(f"{'flagged that were late':34}{ours['precision']:>15.3f}{theirs['precision']:>17.3f}")
    print(f"{'Brier score (lower is better)':34}{ours['brier']:>15.4f}{theirs['brier']:>17.4f}")
    print(
        f"stalls: {stalls['detected']} of {stalls['stalls']} detected, a median "
        f"{stalls['median_hours_after_last_scan']:.0f} h after the last scan (wall clock); "
        f"{stalls['false_stalls']} of {stalls['non_stalled']} parcels without a stall flagged"
    )
    print(f"fitting and scoring {len(parcels)} parcels ({len(scored)} scored): {fit_and_score:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
