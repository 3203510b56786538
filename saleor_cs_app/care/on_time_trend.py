"""The on-time rate as a trend: per month, per carrier, shipping method or destination country.

Pure. A month's rate is shown only from MIN_SAMPLE parcels on: below it one late parcel swings the rate by
tens of points, so the month is "too few to tell" (a gap in the chart, the count still in the CSV).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

GROUPINGS = ("carrier", "method", "country")
MIN_SAMPLE = 10  # parcels in a month and group from which its on-time rate is shown
CHART_SERIES = 4  # the chart draws the groups with the most parcels; the CSV has them all


@dataclass(frozen=True)
class TrendPoint:
    month: str  # YYYY-MM
    group: str  # the carrier, method or country
    delivered: int
    on_time: int

    @property
    def too_few(self) -> bool:
        return self.delivered < MIN_SAMPLE

    @property
    def rate(self) -> float | None:
        return None if self.too_few or not self.delivered else self.on_time / self.delivered


def trend(months: list[str], deliveries: Iterable[tuple[str, str, bool]]) -> list[TrendPoint]:
    """(month, group, on time) per delivered parcel → one point per month and group that had parcels."""
    delivered: Counter = Counter()
    on_time: Counter = Counter()
    for month, group, kept in deliveries:
        delivered[(month, group)] += 1
        on_time[(month, group)] += kept
    groups = sorted({g for _, g in delivered})
    return [
        TrendPoint(month, group, delivered[(month, group)], on_time[(month, group)])
        for group in groups
        for month in months
        if delivered[(month, group)]
    ]


def chart_series(months: list[str], points: list[TrendPoint], limit: int = CHART_SERIES) -> list[tuple[str, list[float | None]]]:
    """The `limit` groups with the most parcels over all months, each with its rate per month (None: too few)."""
    volume: Counter = Counter()
    for p in points:
        volume[p.group] += p.delivered
    top = sorted(volume, key=lambda g: (-volume[g], g))[:limit]
    by_key = {(p.group, p.month): p for p in points}
    return [(g, [by_key[(g, m)].rate if (g, m) in by_key else None for m in months]) for g in top]
