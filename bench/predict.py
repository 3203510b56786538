"""Benchmark: does the learned transit model (care/transit.py) see broken promises coming?

    python bench/predict.py [--seed 7] [--parcels 100000]

A generator of synthetic parcel histories with fixed seeds: carriers with skewed transit times (per
shipping method and country), weekends and public holidays (no scans, no deliveries), stalls (days
without a scan that delay delivery) and a change of regime halfway through (one carrier slows down).
Two generators make the same parcels (same transit times, deadlines and lateness, from the same random
stream): the old one's scans are untagged, the staged one's name the leg (origin, line-haul, delivery
depot, out for delivery; see staged_scans for where the delay days go and why). The model
(care/transit.py, care/at_risk.py) judges a parcel from its stage and its days in it where the carrier
names stages: the rest of its stay in that stage (the stay's histogram beyond the days spent) then the
time from leaving it to delivery; otherwise from the shipping day, shifted by the days lost to silence.
The model is trained on 8 weeks and tested on the next 4, beside a naive carrier-average baseline in
the same run, the model before (transit + silence only), recent-weighted variants, and a ceiling (the
test weeks' own late share per observable state: what no model seeing the same could beat). It prints:

- recall: the share of late parcels flagged at risk at least 24 h before their deadline;
- precision: the share of flagged parcels that really were late;
- the Brier score of P(on time) at every 12-hourly look before the deadline - 24 h;
- recall/precision at other thresholds (the merchant's `below_probability`; 0.5 is the default);
- how long after the last scan a stall is detected (and how many stalls, and false stalls);
- how long fitting and scoring 100,000 parcels takes.

Time is counted in hours from a Monday 00:00; days are calendar days; business days skip weekends and
the generator's holidays, as the app skips a country's public holidays (care/promises.py).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from saleor_cs_app.care.model import Stage  # noqa: E402
from saleor_cs_app.care.stages import runs as stage_runs  # noqa: E402
from saleor_cs_app.care.transit import (  # noqa: E402
    GAP,
    TRANSIT,
    Segment,
    distribution,
    gap_observation,
    lost_days,
    p_by_deadline,
    after_measure,
    p_by_deadline_in_stage,
    roll_up,
    stage_observations,
    stay_measure,
    stall_after_hours,
    transit_observation,
)

WEEKS_TRAIN, WEEKS_TEST = 8, 4
HOLIDAYS = {17, 45, 67}  # a Thursday, a Wednesday and a Friday
STALL_FLOOR_HOURS = 48
GRACE_DAYS = 1
THRESHOLD = 0.5  # the policy's default `below_probability`
HALF_LIVES = (14, 28)  # days: recent parcels weighted more (the regime change)
CURVE = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)  # other thresholds a merchant might set

# carrier → (method → (promised business days, base transit, skew)), per destination country offset
CARRIERS = {
    "swiftpost": {"express": (2, 1, 0.35), "standard": (4, 2, 0.55)},
    "slowfreight": {"standard": (5, 3, 0.7)},
    "erratic": {"express": (3, 1, 1.1), "standard": (5, 2, 1.2)},
}
COUNTRIES = {"FI": 0, "SE": 1}
REGIME_CARRIER, REGIME_EXTRA_DAYS = "erratic", 1  # from the regime change on, this carrier takes a day longer
STALL_SHARE = 0.05
LINE_HAUL_SHARE = 0.7  # of the tail days (staged generator): see staged_scans


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


def business_day_number(day: int) -> int:
    """Business days from day 0 to `day`: differences of these are business days between."""
    return business_days_between(0, day)


@dataclass
class Parcel:
    segment: Segment
    shipped_at: float  # hours
    deadline_at: float  # hours: end of the deliver-by day
    delivered_at: float
    scans: list[float] = field(default_factory=list)  # hours, the last one the delivery
    stall: tuple[float, float] | None = None  # (last scan before it, first scan after it)
    stages: list[Stage | None] = field(default_factory=list)  # each scan's stage (the staged generator)

    @property
    def late(self) -> bool:
        return self.delivered_at >= self.deadline_at


def generate(rng: random.Random, count: int, weeks: int, staged: random.Random | None = None) -> list[Parcel]:
    """The parcels. With `staged` (a second random stream), each parcel's scans are replaced by stage-tagged
    ones (staged_scans); everything `rng` draws is drawn as before, so both generators make the same parcels
    with the same transit times, deadlines and lateness: only what the carrier tells on the way differs."""
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
        parcel = Parcel(Segment(method, carrier, country), shipped_at, (deadline_day + 1) * 24, delivered_at, scans, stall)
        if staged is not None:
            parcel.scans, parcel.stages, parcel.stall = staged_scans(
                staged, ship_day, shipped_at, delivered_at, transit=transit, tail_days=extra, stall_days=stall_days
            )
        parcels.append(parcel)
    return parcels


def staged_scans(rng: random.Random, ship_day: int, shipped_at: float, delivered_at: float, *,
                 transit: int, tail_days: int, stall_days: int):
    """Stage-tagged scans for a parcel whose transit (business days) the old generator drew.

    The legs: the carrier accepts the parcel on the day it leaves (origin scan, an hour or two after);
    line-haul between hubs, one scan a business day; the arrival at the delivery depot in the evening
    (the night trunk); out for delivery the next business morning, delivered that day. A parcel on time
    spends all its days but the last in the line-haul.

    Where the delay days go, decided from how parcel networks lose time (before measuring the model):
    each of the old generator's tail days falls in the line-haul with probability LINE_HAUL_SHARE (a missed
    trunk departure, a hub's backlog, the border handover, customs) and otherwise at the delivery depot
    (the van full, a mis-sort, the depot's capacity), where the parcel waits with a daily scan. A stall (the
    old 5 %, 2-5 silent days) is a parcel lost between hubs: silent in the line-haul until it turns up. The
    regime change's extra day is a line-haul day (the slowed carrier re-routed its trunks). So the share of
    lateness that comes from the random tail is the old generator's, and part of it (the depot's share)
    shows only on the last day, when no warning 24 h ahead is possible.
    """
    depot_days = sum(1 for _ in range(tail_days) if rng.random() >= LINE_HAUL_SHARE)
    arrival = transit - 1 - depot_days  # business day (after leaving) of the evening it reaches the depot
    hour = lambda i, low, high: add_business_days(ship_day, i) * 24 + rng.uniform(low, high)  # noqa: E731
    quiet: set[int] = set()
    if stall_days:
        first = rng.randint(1, max(1, arrival - stall_days))
        quiet = set(range(first, min(first + stall_days, arrival)))
    scans = [(shipped_at + rng.uniform(0.5, 2), Stage.ORIGIN)]
    scans += [(hour(i, 6, 20), Stage.LINE_HAUL) for i in range(1, arrival) if i not in quiet]
    scans.append((hour(arrival, 20, 23.5), Stage.DESTINATION))
    scans += [(hour(i, 6, 20), Stage.DESTINATION) for i in range(arrival + 1, transit)]
    scans.append((hour(transit, 6, 9), Stage.OUT_FOR_DELIVERY))
    scans.append((delivered_at, None))
    stall = None
    if quiet:
        before = max(at for at, _ in scans if at < add_business_days(ship_day, min(quiet)) * 24)
        stall = (before, min(at for at, _ in scans if at > before))
    return [at for at, _ in scans], [stage for _, stage in scans], stall


# --- the model under test: learned distributions (care/transit.py) ----------------------------------


def fit(parcels: list[Parcel], *, now: float, half_life_days: float | None = None) -> dict:
    """The counts the app keeps, from the parcels delivered by `now`: transit days, gaps between scans, and
    the business days from entering each stage to the delivery. With `half_life_days`, a parcel counts
    half as much for every half-life between its delivery and `now` (recent parcels weigh more)."""
    rows: dict[tuple, float] = {}

    def count(observation, weight):
        key = (observation.measure, observation.segment, observation.value)
        rows[key] = rows.get(key, 0.0) + weight

    for p in parcels:
        weight = 0.5 ** ((now - p.delivered_at) / (24 * half_life_days)) if half_life_days else 1.0
        delivered_day = int(p.delivered_at // 24)
        count(transit_observation(p.segment, business_days_between(int(p.shipped_at // 24), delivered_day)), weight)
        previous = p.shipped_at
        for at in p.scans:
            count(gap_observation(p.segment, business_hours_between(previous, at)), weight)
            previous = at
        runs = [(stage, business_day_number(int(at // 24))) for stage, at in stage_runs(zip(p.scans, p.stages))]
        for observation in stage_observations(p.segment, runs, business_day_number(delivered_day)):
            count(observation, weight)
    return roll_up((m, s, v, c) for (m, s, v), c in rows.items())


class Model:
    """P(on time) as the app computes it (care/at_risk.py): from the current stage and the time in it when
    the carrier names stages (`stages`), else from the shipping day; the silence since the last scan shifts
    the remaining journey (lost days)."""

    def __init__(self, levels: dict, *, stages: bool = True):
        self.levels, self.stages, self.cache = levels, stages, {}

    def dists(self, segment: Segment):
        if segment not in self.cache:
            gaps = distribution(self.levels, GAP, segment)
            self.cache[segment] = (
                distribution(self.levels, TRANSIT, segment),
                gaps,
                stall_after_hours(gaps, floor_hours=STALL_FLOOR_HOURS),
                {stage: (distribution(self.levels, stay_measure(stage), segment),
                         distribution(self.levels, after_measure(stage), segment)) for stage in Stage},
            )
        return self.cache[segment]

    def p_on_time(self, p: Parcel, now: float, last_scan: float, run) -> float:
        transit, gaps, _, in_stage = self.dists(p.segment)
        today, deadline_day = int(now // 24), int(p.deadline_at // 24) - 1
        value = None
        if self.stages and run is not None:
            # The time in the stage already says what silence would: no lost days (they cost precision).
            start = int(run[1] // 24)
            spent = business_days_between(start, today) + (0 if is_business_day(today) else 1)
            stay, after = in_stage[run[0]]
            value = p_by_deadline_in_stage(stay, after, days_in_stage=spent,
                                           deadline_days=business_days_between(start, deadline_day))
        if value is None:
            lost = lost_days(business_hours_between(last_scan, now), gaps)
            start = int(p.shipped_at // 24)
            elapsed = business_days_between(start, today) + (0 if is_business_day(today) else 1)
            value = p_by_deadline(transit, elapsed_days=elapsed, deadline_days=business_days_between(start, deadline_day),
                                  lost=lost)
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

    def p_on_time(self, p: Parcel, now: float, last_scan: float, run) -> float:
        return self.share[p.segment.carrier]

    def flags(self, p: Parcel, now: float) -> bool:
        ship_day = int(p.shipped_at // 24)
        return business_days_between(ship_day, int(now // 24)) > self.mean[p.segment.carrier]


def looks(p: Parcel):
    """Every 12 hours from shipping while the parcel travels, up to 24 h before its deadline:
    (now, the last scan before now, the stage run it is in then or None)."""
    now, i, last = p.shipped_at + 12, 0, p.shipped_at
    runs, r, run = stage_runs(zip(p.scans, p.stages)), 0, None
    while now < min(p.delivered_at, p.deadline_at - 24):
        while i < len(p.scans) and p.scans[i] <= now:
            last, i = p.scans[i], i + 1
        while r < len(runs) and runs[r][1] <= now:
            run, r = runs[r], r + 1
        yield now, last, run
        now += 12


def evaluate(test: list[Parcel], predict, flag=None) -> dict:
    """Recall, precision and Brier of `predict` (P on time); a parcel is flagged when a look's P falls below
    THRESHOLD, or when `flag` says so; `curve` gives recall and precision at other thresholds."""
    late, brier, n = 0, 0.0, 0
    lowest, flagged_by_rule = [], []
    for p in test:
        low, by_rule = 1.0, False
        for now, last, run in looks(p):
            prob = predict(p, now, last, run)
            brier += (prob - (0.0 if p.late else 1.0)) ** 2
            n += 1
            low = min(low, prob)
            by_rule = by_rule or (flag is not None and flag(p, now))
        late += p.late
        lowest.append((low, p.late))
        flagged_by_rule.append(by_rule)

    def shares(flags):
        flagged = sum(flags)
        hit = sum(1 for f, (_, was_late) in zip(flags, lowest) if f and was_late)
        return (hit / late if late else 0.0, hit / flagged if flagged else 0.0)

    at = (lambda t: [low < t for low, _ in lowest])
    recall, precision = shares(flagged_by_rule if flag is not None else at(THRESHOLD))
    return {
        "recall": recall,
        "precision": precision,
        "brier": brier / n if n else 0.0,
        "late": late,
        "curve": {t: shares(at(t)) for t in CURVE},
    }


def ceiling(test: list[Parcel]) -> dict:
    """Not a model: the test weeks' own late share for each state a look can observe (segment, stage, days
    in it, business days left, business day or not, days silent), used as P(late). No model that sees only
    these can separate late from on-time parcels better in these weeks: its curve is the floor of what
    is out of reach, the part of lateness decided after the last look."""
    def state(p, now, last, run):
        today = int(now // 24)
        start = int(run[1] // 24) if run else int(p.shipped_at // 24)
        return (p.segment, run[0] if run else None, business_days_between(start, today),
                business_days_between(today, int(p.deadline_at // 24) - 1), is_business_day(today),
                min(3, int(business_hours_between(last, now) // 24)))

    seen: dict[tuple, list[int]] = {}
    for p in test:
        for look in looks(p):
            counts = seen.setdefault(state(p, *look), [0, 0])
            counts[0] += 1
            counts[1] += p.late
    return evaluate(test, lambda p, *look: 1 - seen[state(p, *look)][1] / seen[state(p, *look)][0])


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


def run(args, staged: bool) -> None:
    rng = random.Random(args.seed)
    parcels = generate(rng, args.parcels, WEEKS_TRAIN + WEEKS_TEST, random.Random(args.seed + 1) if staged else None)
    split = WEEKS_TRAIN * 7 * 24
    # Trained on what had been delivered by the end of week 8; tested on parcels shipped after it.
    train = [p for p in parcels if p.delivered_at < split]
    test = [p for p in parcels if p.shipped_at >= split]
    name = "staged (stage-tagged scans)" if staged else "old (untagged scans)"
    print(f"\n== generator: {name}; seed {args.seed}: {len(parcels)} parcels, trained on {len(train)} "
          f"(weeks 1-8), tested on {len(test)} (weeks 9-12)")

    started, cpu = time.perf_counter(), time.process_time()
    model = Model(fit(train, now=split, half_life_days=args.half_life))
    scored = [model.p_on_time(p, now, last, run) for p in parcels for now, last, run in list(looks(p))[:1]]
    fit_and_score, fit_and_score_cpu = time.perf_counter() - started, time.process_time() - cpu

    baseline = Baseline(train)
    results = {"carrier average": evaluate(test, baseline.p_on_time, lambda p, now: baseline.flags(p, now))}
    results["transit + silence (before)"] = evaluate(test, Model(fit(train, now=split), stages=False).p_on_time)
    results["stage + time in stage (after)"] = evaluate(test, Model(fit(train, now=split)).p_on_time)
    for half_life in HALF_LIVES:
        model_h = Model(fit(train, now=split, half_life_days=half_life))
        results[f"stage, half-life {half_life:g} d"] = evaluate(test, model_h.p_on_time)
    results["ceiling (not a model)"] = ceiling(test)
    late = results["carrier average"]["late"]
    print(f"late in the test weeks: {late} ({late / len(test):.1%})")
    print(f"{'model':30}{'recall':>8}{'precision':>11}{'Brier':>9}   recall/precision at below_probability "
          + " ".join(f"{t:g}" for t in CURVE))
    for label, r in results.items():
        curve = "  ".join(f"{rc:.2f}/{pr:.2f}" for rc, pr in r["curve"].values()) if label != "carrier average" else ""
        print(f"{label:30}{r['recall']:>8.3f}{r['precision']:>11.3f}{r['brier']:>9.4f}   {curve}")
    stalls = stall_detection(test, model)
    print(
        f"stalls: {stalls['detected']} of {stalls['stalls']} detected, a median "
        f"{stalls['median_hours_after_last_scan']:.0f} h after the last scan (wall clock); "
        f"{stalls['false_stalls']} of {stalls['non_stalled']} parcels without a stall flagged"
    )
    print(f"fitting and scoring {len(parcels)} parcels ({len(scored)} scored): {fit_and_score:.2f} s "
          f"({fit_and_score_cpu:.2f} s of CPU; load average {os.getloadavg()[0]:.1f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--parcels", type=int, default=100_000, help="parcels shipped over the 12 weeks")
    parser.add_argument("--half-life", type=float, default=None, help="days; weigh recent parcels more")
    parser.add_argument("--generator", choices=("old", "staged", "both"), default="both")
    args = parser.parse_args(argv)
    for staged in {"old": (False,), "staged": (True,), "both": (False, True)}[args.generator]:
        run(args, staged)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
