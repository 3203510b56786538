"""Promise only what the shop can keep: the promise a shipping method would have kept 95 % of the time.

Pure. From histograms of business days (value → parcels or orders): the smallest promise that covers 95 %
of them, the sample it rests on, and how sure that is — a distribution-free 90 % confidence band for the
95th percentile from the order statistics (the band's ends are the values at the ranks a binomial count
of "at or below the true 95th percentile" reaches with 5 % and 95 % probability). A narrow band (one value)
means the advice will not move with more data; a wide one, or none, that the sample is still too small.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

SHARE = 0.95
CONFIDENCE = 0.90


@dataclass(frozen=True)
class Advice:
    days: int | None  # the smallest value covering SHARE of the sample; None without data
    sample: int
    low: int | None  # the confidence band of that value; None when the sample is too small to bound it
    high: int | None

    @property
    def sure(self) -> bool:
        return self.low is not None and self.high is not None and self.high - self.low <= 1


def _binomial_cdf(n: int, p: float) -> list[float]:
    """[P(X <= k) for k in 0..n], X ~ Binomial(n, p): one pass, each term from the one before in log space."""
    log_p, log_q = math.log(p), math.log1p(-p)
    log_term = n * log_q  # P(X = 0)
    cdf, total = [], 0.0
    for k in range(n + 1):
        total += math.exp(log_term)
        cdf.append(min(total, 1.0))
        if k < n:
            log_term += math.log(n - k) - math.log(k + 1) + log_p - log_q
    return cdf


def _value_at_rank(counts: list[tuple[int, int]], rank: int) -> int:
    """The rank-th smallest value (1-based) of a sorted histogram."""
    seen = 0
    for value, count in counts:
        seen += count
        if seen >= rank:
            return value
    return counts[-1][0]


def days_kept(histogram: Mapping[int, int], *, share: float = SHARE, confidence: float = CONFIDENCE) -> Advice:
    counts = sorted((v, int(c)) for v, c in histogram.items() if c > 0)
    n = sum(c for _, c in counts)
    if n == 0:
        return Advice(None, 0, None, None)
    days = _value_at_rank(counts, math.ceil(share * n))
    tail = (1 - confidence) / 2
    # Ranks l and u with P(X < l) <= tail and P(X >= u) <= tail, X ~ Binomial(n, share).
    cdf = _binomial_cdf(n, share)
    below = lambda k: cdf[k - 1] if k >= 1 else 0.0  # noqa: E731  P(X < k)
    low_rank = next((k for k in range(n, 0, -1) if below(k) <= tail), None)
    high_rank = next((k for k in range(1, n + 1) if 1 - below(k) <= tail), None)
    low = _value_at_rank(counts, low_rank) if low_rank is not None else None
    high = _value_at_rank(counts, high_rank) if high_rank is not None else None
    return Advice(days, n, low, high)


def max_delivery_days(transit: Mapping[int, int], *, grace_days: int) -> Advice:
    """The `maximumDeliveryDays` that would have kept SHARE of promises: a parcel is on time when its
    transit (business days) is at most maximumDeliveryDays + the policy's grace days."""
    advice = days_kept(transit)
    shift = (lambda d: max(0, d - grace_days) if d is not None else None)
    return Advice(shift(advice.days), advice.sample, shift(advice.low), shift(advice.high))
