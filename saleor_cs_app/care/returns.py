"""What the goodwill bought: did the customer order again, compared with those who got less or nothing.

Pure functions over plain data. Each incident that reached its customer is an *anchor*: the moment the
app apologised (detection time). The customer (their Saleor user id, else their e-mail) counts as
returning within 30, 90 or 180 days when they placed another order in that time. Only anchors old
enough to have been watched for the whole window are counted for it, so last week's incidents never
pull a 180-day rate down.

The groups: compensated per rule and offer type (and currency, since goodwill is spent in one);
apology only, including offers held back by a limit or the budget; and the baseline, customers with no
incident whose order fell in the same weeks as the incidents. The comparison is observational: the
policy picks who gets what (by lateness, order value, first order…), so a difference is an association,
not proof that the goodwill caused it. Every rate carries its base and a Wilson 95 % interval; below
`MIN_SAMPLE` it is "too few to tell".
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

WINDOWS = (30, 90, 180)
COST_WINDOW = 90  # the cost of a customer kept is worked out on the 90-day return
REVENUE_WINDOW = 180
MIN_SAMPLE = 20  # fewer matured anchors than this in a group: "too few to tell"
Z95 = 1.959963984540054

COMPENSATED, APOLOGY, BASELINE = "compensated", "apology", "baseline"

CAN_PROVE = (
    "Whether customers who got this goodwill ordered again more or less often than customers without an "
    "incident who ordered in the same weeks, and what their later orders were worth."
)
CANNOT_PROVE = (
    "That the goodwill caused the difference: the policy chooses who gets what (how late, how big the order, "
    "a first order), so the groups differ before anyone is compensated. Only orders the app saw are counted."
)


def customer_key(user_id: str | None, email: str | None) -> str | None:
    """Who placed an order: the Saleor user when there is one, else the e-mail (a guest checkout)."""
    if user_id:
        return f"user:{user_id}"
    email = (email or "").strip().lower()
    return f"email:{email}" if email else None


# -- rates with their base -------------------------------------------------------------------------
@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def wilson(successes: int, base: int) -> Interval | None:
    """Wilson score interval, 95 %: honest at small bases and near 0 % or 100 %, unlike p ± 1.96·se."""
    if base <= 0:
        return None
    p = successes / base
    denominator = 1 + Z95**2 / base
    centre = (p + Z95**2 / (2 * base)) / denominator
    half = Z95 * math.sqrt(p * (1 - p) / base + Z95**2 / (4 * base**2)) / denominator
    # At 0 % and 100 % the bound is exact; floating point would leave it a hair inside the rate.
    low = 0.0 if successes == 0 else max(0.0, min(p, centre - half))
    high = 1.0 if successes == base else min(1.0, max(p, centre + half))
    return Interval(low, high)


@dataclass(frozen=True)
class Rate:
    count: int
    base: int
    too_few: bool  # below MIN_SAMPLE: the rate and interval are withheld
    rate: float | None = None
    interval: Interval | None = None


def rate_of(count: int, base: int, min_sample: int = MIN_SAMPLE) -> Rate:
    if base < max(min_sample, 1):
        return Rate(count=count, base=base, too_few=True)
    return Rate(count=count, base=base, too_few=False, rate=count / base, interval=wilson(count, base))


def difference(a: Rate, b: Rate) -> tuple[float, Interval] | None:
    """a − b with Newcombe's hybrid Wilson interval (method 10), or None when either is too few."""
    if a.too_few or b.too_few:
        return None
    d = a.rate - b.rate
    low = d - math.sqrt((a.rate - a.interval.low) ** 2 + (b.interval.high - b.rate) ** 2)
    high = d + math.sqrt((a.interval.high - a.rate) ** 2 + (b.rate - b.interval.low) ** 2)
    return d, Interval(low, high)


# -- one customer's later orders -------------------------------------------------------------------
def next_order_after(order_times: Sequence[datetime], at: datetime) -> datetime | None:
    """The first order strictly after `at`; `order_times` sorted ascending."""
    i = bisect.bisect_right(order_times, at)
    return order_times[i] if i < len(order_times) else None


def revenue_within(orders: Sequence[tuple[datetime, Decimal | None]], at: datetime, days: int) -> Decimal:
    """What the orders placed in (at, at + days] were worth; `orders` sorted by time."""
    end = at + timedelta(days=days)
    return sum((amount or Decimal(0) for t, amount in orders if at < t <= end), Decimal(0))


@dataclass(frozen=True)
class Anchor:
    """An incident (or a baseline customer's order) and what the customer did after it."""

    at: datetime
    next_order_at: datetime | None
    later_revenue: Decimal = Decimal(0)  # orders within REVENUE_WINDOW days, in `currency`
    currency: str | None = None


def returned_within(anchor: Anchor, days: int) -> bool:
    return anchor.next_order_at is not None and anchor.next_order_at <= anchor.at + timedelta(days=days)


def matured(anchor: Anchor, days: int, as_of: datetime) -> bool:
    return anchor.at + timedelta(days=days) <= as_of


def return_rate(anchors: Iterable[Anchor], days: int, as_of: datetime, min_sample: int = MIN_SAMPLE) -> Rate:
    # One cut-off per window rather than a date sum per anchor: the daily count runs this over every
    # customer-week of a large shop.
    cutoff, window = as_of - timedelta(days=days), timedelta(days=days)
    base = returned = 0
    for a in anchors:
        if a.at <= cutoff:
            base += 1
            returned += a.next_order_at is not None and a.next_order_at - a.at <= window
    return rate_of(returned, base, min_sample)


def return_rates(anchors: Iterable[Anchor], as_of: datetime, min_sample: int = MIN_SAMPLE) -> dict[int, Rate]:
    anchors = list(anchors)
    return {days: return_rate(anchors, days, as_of, min_sample) for days in WINDOWS}


# -- the incidents' outcomes -----------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """An incident that reached its customer, with what it gave and what followed."""

    incident_id: str
    rule: str | None
    offer_type: str  # apology_only when nothing was given (also when held back or declined)
    held_back: bool  # a limit or the budget turned the rule's offer into an apology
    currency: str | None
    cost: Decimal  # the goodwill's value in `currency`
    has_code: bool  # a voucher or gift card the customer could spend
    redeemed: bool
    anchor: Anchor

    @property
    def group(self) -> str:
        return APOLOGY if self.offer_type == "apology_only" else COMPENSATED


@dataclass(frozen=True)
class CostPerKept:
    """Goodwill spent ÷ customers returning above the baseline (90 days), with its interval."""

    spent: Decimal
    currency: str | None
    extra_returning: float | None  # customers kept beyond the baseline's rate
    extra_interval: Interval | None
    cost: Decimal | None  # None: not above the baseline, or too few to tell
    cost_low: Decimal | None
    cost_high: Decimal | None  # None with a cost: the interval reaches "no one kept" (no upper bound)
    verdict: str  # kept | not_above_baseline | too_few


def cost_per_kept(spent: Decimal, currency: str | None, group: Rate, baseline: Rate) -> CostPerKept:
    diff = difference(group, baseline)
    if diff is None:
        return CostPerKept(spent, currency, None, None, None, None, None, "too_few")
    d, interval = diff
    extra = d * group.base
    extra_interval = Interval(interval.low * group.base, interval.high * group.base)
    if extra <= 0:
        return CostPerKept(spent, currency, extra, extra_interval, None, None, None, "not_above_baseline")
    cents = Decimal("0.01")
    cost = (spent / Decimal(str(extra))).quantize(cents)
    low = (spent / Decimal(str(extra_interval.high))).quantize(cents)
    high = (spent / Decimal(str(extra_interval.low))).quantize(cents) if extra_interval.low > 0 else None
    return CostPerKept(spent, currency, extra, extra_interval, cost, low, high, "kept")


@dataclass(frozen=True)
class Revenue:
    customers: int  # anchors watched for the whole REVENUE_WINDOW
    total: Decimal
    per_customer: Decimal | None
    currency: str | None


def revenue_of(anchors: Iterable[Anchor], as_of: datetime, currency: str | None) -> Revenue:
    cutoff = as_of - timedelta(days=REVENUE_WINDOW)
    seen = [a for a in anchors if a.at <= cutoff]
    total = sum((a.later_revenue for a in seen), Decimal(0))
    per = (total / len(seen)).quantize(Decimal("0.01")) if seen else None
    return Revenue(len(seen), total, per, currency)


@dataclass(frozen=True)
class GroupRow:
    group: str  # compensated | apology | baseline
    rule: str | None
    offer_type: str | None
    currency: str | None
    incidents: int
    held_back: int  # apology rows: how many had an offer held back by a limit or the budget
    spent: Decimal
    redemption: Rate | None  # of the goodwill with a code (voucher, gift card)
    returns: dict[int, Rate]
    cost: CostPerKept | None
    revenue: Revenue


@dataclass(frozen=True)
class MonthPoint:
    month: str  # YYYY-MM of the anchors
    redemption: Rate
    compensated: Rate  # returned within 90 days
    apology: Rate
    baseline: Rate


@dataclass(frozen=True)
class ReturnsReport:
    as_of: datetime
    min_sample: int
    rows: tuple[GroupRow, ...]
    by_offer: tuple[GroupRow, ...]
    apology: GroupRow
    baseline: GroupRow
    months: tuple[MonthPoint, ...] = field(default=())


def count_returns(
    outcomes: Sequence[Outcome], baseline: Sequence[Anchor], as_of: datetime, min_sample: int = MIN_SAMPLE
) -> ReturnsReport:
    baseline_row = _row(BASELINE, None, None, None, [], baseline, as_of, min_sample, None)
    base90 = baseline_row.returns[COST_WINDOW]

    per_rule: dict[tuple, list[Outcome]] = defaultdict(list)
    per_offer: dict[tuple, list[Outcome]] = defaultdict(list)
    apologies: list[Outcome] = []
    for o in outcomes:
        if o.group == APOLOGY:
            apologies.append(o)
        else:
            per_rule[(o.rule or "", o.offer_type, o.currency)].append(o)
            per_offer[(o.offer_type, o.currency)].append(o)
    rows = tuple(
        _row(COMPENSATED, rule or None, offer, currency, group, [o.anchor for o in group], as_of, min_sample, base90)
        for (rule, offer, currency), group in sorted(per_rule.items(), key=lambda kv: tuple(x or "" for x in kv[0]))
    )
    by_offer = tuple(
        _row(COMPENSATED, None, offer, currency, group, [o.anchor for o in group], as_of, min_sample, base90)
        for (offer, currency), group in sorted(per_offer.items(), key=lambda kv: tuple(x or "" for x in kv[0]))
    )
    apology_row = _row(
        APOLOGY, None, "apology_only", None, apologies, [o.anchor for o in apologies], as_of, min_sample, None
    )
    return ReturnsReport(
        as_of=as_of,
        min_sample=min_sample,
        rows=rows,
        by_offer=by_offer,
        apology=apology_row,
        baseline=baseline_row,
        months=_months(outcomes, baseline, as_of, min_sample),
    )


def _row(group, rule, offer_type, currency, outcomes, anchors, as_of, min_sample, base90) -> GroupRow:
    spent = sum((o.cost for o in outcomes), Decimal(0))
    coded = [o for o in outcomes if o.has_code]
    returns = return_rates(anchors, as_of, min_sample)
    return GroupRow(
        group=group,
        rule=rule,
        offer_type=offer_type,
        currency=currency,
        incidents=len(anchors),
        held_back=sum(o.held_back for o in outcomes),
        spent=spent,
        redemption=rate_of(sum(o.redeemed for o in coded), len(coded), min_sample) if coded else None,
        returns=returns,
        cost=cost_per_kept(spent, currency, returns[COST_WINDOW], base90) if base90 is not None else None,
        revenue=revenue_of(anchors, as_of, currency),
    )


def _months(outcomes: Sequence[Outcome], baseline: Sequence[Anchor], as_of: datetime, min_sample: int):
    """Redemption and 90-day return rates by the month of the incident (or of the baseline's order)."""

    def month(a: Anchor) -> str:
        return f"{a.at.year:04d}-{a.at.month:02d}"

    def rate90(anchors: list[Anchor]) -> Rate:
        return return_rate(anchors, COST_WINDOW, as_of, min_sample)

    comp, apol, base = defaultdict(list), defaultdict(list), defaultdict(list)
    coded: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        (apol if o.group == APOLOGY else comp)[month(o.anchor)].append(o.anchor)
        if o.has_code:
            coded[month(o.anchor)].append(o)
    for a in baseline:
        base[month(a)].append(a)
    months = sorted({*comp, *apol, *coded})
    return tuple(
        MonthPoint(
            month=m,
            redemption=rate_of(sum(o.redeemed for o in coded[m]), len(coded[m]), min_sample),
            compensated=rate90(comp[m]),
            apology=rate90(apol[m]),
            baseline=rate90(base[m]),
        )
        for m in months
    )


def week_of(at: datetime) -> tuple[int, int]:
    """The ISO week an anchor falls in: the baseline is drawn from the weeks that had incidents."""
    year, week, _ = at.isocalendar()
    return year, week


# -- replay: what a policy's offers would bring back ----------------------------------------------
@dataclass(frozen=True)
class Expected:
    """Customers expected back within 90 days for a mix of offers, from the observed rate of each offer."""

    incidents: int  # incidents whose offer has a rate
    unknown: int  # incidents whose offer has too few outcomes to tell (left out of the sum)
    returning: float | None
    low: float | None  # the intervals summed as if fully correlated: wide on purpose
    high: float | None


def expected_returns(offers: Mapping[str, int], rates: Mapping[str, Rate]) -> Expected:
    known = {o: n for o, n in offers.items() if o in rates and not rates[o].too_few}
    unknown = sum(n for o, n in offers.items() if o not in known)
    if not known:
        return Expected(0, unknown, None, None, None)
    return Expected(
        incidents=sum(known.values()),
        unknown=unknown,
        returning=sum(n * rates[o].rate for o, n in known.items()),
        low=sum(n * rates[o].interval.low for o, n in known.items()),
        high=sum(n * rates[o].interval.high for o, n in known.items()),
    )
