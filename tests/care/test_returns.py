"""Returning customers, pure: rates with their base, Wilson intervals, windows watched in full, groups."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saleor_cs_app.care import returns
from saleor_cs_app.care.returns import Anchor, Outcome

NOW = datetime(2027, 9, 15, 12, tzinfo=timezone.utc)


def anchor(days_ago: int, back_after: int | None = None, revenue="0", currency="EUR") -> Anchor:
    at = NOW - timedelta(days=days_ago)
    return Anchor(
        at=at,
        next_order_at=None if back_after is None else at + timedelta(days=back_after),
        later_revenue=Decimal(revenue),
        currency=currency,
    )


def outcome(a: Anchor, *, rule="Late", offer="gift_card", cost="15", redeemed=False, held_back=False) -> Outcome:
    return Outcome(
        incident_id=str(id(a)),
        rule=rule if offer != "apology_only" or held_back else None,
        offer_type=offer,
        held_back=held_back,
        currency="EUR",
        cost=Decimal(cost) if offer != "apology_only" else Decimal(0),
        has_code=offer in ("gift_card", "free_shipping_voucher"),
        redeemed=redeemed,
        anchor=a,
    )


def test_wilson_matches_the_published_values():
    interval = returns.wilson(8, 10)
    assert interval.low == pytest.approx(0.4902, abs=1e-4) and interval.high == pytest.approx(0.9433, abs=1e-4)
    none = returns.wilson(0, 20)
    assert none.low == 0 and none.high == pytest.approx(0.1611, abs=1e-4)


@given(st.integers(0, 500), st.integers(1, 500))
def test_the_interval_holds_the_rate_and_stays_within_0_and_1(successes, base):
    successes = min(successes, base)
    interval = returns.wilson(successes, base)
    assert 0 <= interval.low <= successes / base <= interval.high <= 1


def test_below_the_minimum_sample_there_is_a_count_and_a_base_but_no_rate():
    small = returns.rate_of(3, 5, min_sample=20)
    assert (small.count, small.base, small.too_few, small.rate, small.interval) == (3, 5, True, None, None)
    enough = returns.rate_of(10, 20, min_sample=20)
    assert not enough.too_few and enough.rate == 0.5 and enough.interval is not None


def test_only_anchors_watched_for_the_whole_window_count_for_it():
    anchors = [anchor(40, back_after=10), anchor(100, back_after=60), anchor(200, back_after=None), anchor(5, 2)]
    rates = returns.return_rates(anchors, NOW, min_sample=1)
    assert (rates[30].count, rates[30].base) == (1, 3), "the 5-day-old anchor is not counted yet"
    assert (rates[90].count, rates[90].base) == (1, 2)
    assert (rates[180].count, rates[180].base) == (0, 1)


def test_the_next_order_is_strictly_after_the_incident():
    t = [NOW - timedelta(days=3), NOW - timedelta(days=1)]
    assert returns.next_order_after(t, NOW - timedelta(days=3)) == t[1]
    assert returns.next_order_after(t, NOW) is None


def test_the_customer_is_their_user_else_their_email():
    assert returns.customer_key("VXNlcjox", "A@x.com") == "user:VXNlcjox"
    assert returns.customer_key(None, " A@X.com ") == "email:a@x.com"
    assert returns.customer_key(None, None) is None


def test_groups_per_rule_and_offer_apology_with_held_back_and_baseline():
    comp = [outcome(anchor(120, 20), redeemed=True) for _ in range(30)] + [outcome(anchor(120)) for _ in range(10)]
    apology = [outcome(anchor(120, 20), offer="apology_only") for _ in range(10)]
    apology += [outcome(anchor(120), offer="apology_only", held_back=True) for _ in range(20)]
    baseline = [anchor(120, 20) for _ in range(40)] + [anchor(120) for _ in range(60)]
    report = returns.count_returns(comp + apology, baseline, NOW, min_sample=20)

    (row,) = report.rows
    assert (row.rule, row.offer_type, row.incidents, row.spent) == ("Late", "gift_card", 40, Decimal(600))
    assert (row.returns[90].count, row.returns[90].base, row.returns[90].rate) == (30, 40, 0.75)
    assert (row.redemption.count, row.redemption.base) == (30, 40)
    assert report.apology.incidents == 30 and report.apology.held_back == 20
    assert report.apology.returns[90].rate == pytest.approx(1 / 3)
    assert report.baseline.returns[90].rate == 0.4
    # 0.75 − 0.40 of 40 customers = 14 kept beyond the baseline: EUR 600 / 14.
    assert row.cost.verdict == "kept" and row.cost.extra_returning == pytest.approx(14)
    assert row.cost.cost == Decimal("42.86")
    assert row.cost.cost_low < row.cost.cost and (row.cost.cost_high is None or row.cost.cost_high > row.cost.cost)


def test_no_cost_per_customer_kept_when_the_group_does_not_beat_the_baseline_or_is_too_small():
    baseline = [anchor(120, 20) for _ in range(50)] + [anchor(120) for _ in range(50)]
    worse = [outcome(anchor(120, 20)) for _ in range(10)] + [outcome(anchor(120)) for _ in range(20)]
    (row,) = returns.count_returns(worse, baseline, NOW, min_sample=20).rows
    assert row.cost.verdict == "not_above_baseline" and row.cost.cost is None
    tiny = [outcome(anchor(120, 20)) for _ in range(5)]
    (row,) = returns.count_returns(tiny, baseline, NOW, min_sample=20).rows
    assert row.cost.verdict == "too_few" and row.returns[90].too_few


def test_later_revenue_counts_customers_watched_for_180_days_only():
    old = [outcome(anchor(200, 10, revenue="80")) for _ in range(2)]
    young = [outcome(anchor(50, 10, revenue="500"))]
    (row,) = returns.count_returns(old + young, [], NOW, min_sample=1).rows
    assert (row.revenue.customers, row.revenue.total, row.revenue.per_customer) == (2, Decimal(160), Decimal("80.00"))


def test_months_give_redemption_and_90_day_return_rates_with_gaps_when_too_few():
    comp = [outcome(anchor(150, 10, revenue="1"), redeemed=i < 5) for i in range(20)]
    report = returns.count_returns(comp, [anchor(150, 10)], NOW, min_sample=20)
    (point,) = report.months
    assert point.month == (NOW - timedelta(days=150)).strftime("%Y-%m")
    assert point.redemption.rate == 0.25 and point.compensated.rate == 1.0
    assert point.baseline.too_few and point.apology.base == 0


def test_a_replay_expects_the_returns_each_offer_was_seen_to_bring_and_leaves_out_the_unknown():
    rates = {
        "gift_card": returns.rate_of(30, 50, min_sample=20),  # 60 %
        "free_shipping_voucher": returns.rate_of(20, 50, min_sample=20),  # 40 %
        "gift_product": returns.rate_of(3, 5, min_sample=20),  # too few
    }
    live = returns.expected_returns({"gift_card": 10}, rates)
    candidate = returns.expected_returns({"free_shipping_voucher": 10, "gift_product": 4}, rates)
    assert live.returning == pytest.approx(6) and candidate.returning == pytest.approx(4)
    assert (candidate.incidents, candidate.unknown) == (10, 4)
    assert candidate.low < 4 < candidate.high and live.low < 6 < live.high
    assert returns.expected_returns({"reship": 3}, rates) == returns.Expected(0, 3, None, None, None)
