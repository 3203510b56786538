"""The promise calendar, with explicit clocks and the real holidays of FI, PL, LT and DE."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saleor_cs_app.care.model import PromiseRules
from saleor_cs_app.care.promises import (
    _COUNTRY_TIMEZONES,
    business_days_late,
    customer_delivery_date,
    deliver_by,
    is_business_day,
    promised_local_date,
    rules_for_channel,
    ship_by,
    timezone_for_country,
)

UTC = timezone.utc
FI = PromiseRules(country="FI", timezone="Europe/Helsinki")  # handling 2, cut-off 14
PL = PromiseRules(country="PL", timezone="Europe/Warsaw", handling_days=1)
LT = PromiseRules(country="LT", timezone="Europe/Vilnius", handling_days=1)
DE = PromiseRules(country="DE", timezone="Europe/Berlin", handling_days=1)


def local(rules: PromiseRules, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(rules.timezone))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- ship-by: concrete cases ------------------------------------------------------------


def test_order_before_cutoff_counts_from_same_day():
    # Mon 2025-03-03 10:00 Helsinki, 2 business days -> ships by end of Wed 03-05.
    assert ship_by(local(FI, 2025, 3, 3, 10), FI) == local(FI, 2025, 3, 6)


def test_order_after_cutoff_counts_from_next_business_day():
    assert ship_by(local(FI, 2025, 3, 3, 15), FI) == local(FI, 2025, 3, 7)


def test_order_on_saturday_counts_from_monday():
    assert ship_by(local(FI, 2025, 3, 8, 9), FI) == local(FI, 2025, 3, 13)


def test_zero_handling_days_means_same_business_day():
    rules = dataclasses.replace(FI, handling_days=0)
    assert ship_by(local(rules, 2025, 3, 3, 13, 59), rules) == local(rules, 2025, 3, 4)
    assert ship_by(local(rules, 2025, 3, 3, 14, 0), rules) == local(rules, 2025, 3, 5)


def test_deadline_is_returned_in_utc():
    deadline = ship_by(local(FI, 2025, 3, 3, 10), FI)
    assert deadline.tzinfo is UTC
    assert deadline == utc(2025, 3, 5, 22)  # Helsinki midnight in winter is 22:00 UTC


def test_finnish_midsummer_eve_and_day_are_skipped():
    # Thu 2025-06-19; Fri 06-20 Midsummer Eve, Sat 06-21 Midsummer Day -> Mon (1), Tue (2).
    assert ship_by(local(FI, 2025, 6, 19, 10), FI) == utc(2025, 6, 24, 21)


def test_finnish_independence_day_is_skipped():
    # Thu 2024-12-05 after cut-off; Fri 12-06 Independence Day -> start Mon 12-09, ship by Wed.
    assert ship_by(local(FI, 2024, 12, 5, 15), FI) == local(FI, 2024, 12, 12)


def test_finnish_christmas_eve_is_skipped():
    rules = dataclasses.replace(FI, handling_days=1)
    # Tue 2025-12-23; Wed-Fri 24-26 are holidays -> Mon 12-29.
    assert ship_by(local(rules, 2025, 12, 23, 9), rules) == local(rules, 2025, 12, 30)


def test_polish_independence_day_is_skipped():
    # Mon 2025-11-10 at exactly 14:00 -> start Wed 11-12 (Tue 11-11 holiday), ship by Thu.
    assert ship_by(local(PL, 2025, 11, 10, 14), PL) == utc(2025, 11, 13, 23)


def test_polish_constitution_day_is_skipped():
    # Thu 2024-05-02; Fri 05-03 Constitution Day -> Mon 05-06.
    assert ship_by(local(PL, 2024, 5, 2, 10), PL) == local(PL, 2024, 5, 7)


def test_polish_corpus_christi_is_skipped():
    # Wed 2025-06-18; Thu 06-19 Corpus Christi -> Fri 06-20.
    assert ship_by(local(PL, 2025, 6, 18, 11), PL) == local(PL, 2025, 6, 21)


def test_lithuanian_restoration_of_the_state_day_is_skipped():
    rules = dataclasses.replace(LT, handling_days=0)
    # Fri 2026-02-13 after cut-off; Mon 02-16 is a holiday -> Tue 02-17.
    assert ship_by(local(rules, 2026, 2, 13, 16), rules) == utc(2026, 2, 17, 22)


def test_lithuanian_restoration_of_independence_day_is_skipped():
    # Tue 2026-03-10; Wed 03-11 holiday -> Thu 03-12.
    assert ship_by(local(LT, 2026, 3, 10, 10), LT) == local(LT, 2026, 3, 13)


def test_lithuanian_statehood_day_is_skipped():
    # Fri 2026-07-03; Mon 07-06 Statehood Day -> Tue 07-07 (summer time, +03).
    assert ship_by(local(LT, 2026, 7, 3, 12), LT) == utc(2026, 7, 7, 21)


def test_german_unity_day_is_skipped():
    # Thu 2025-10-02; Fri 10-03 German Unity Day -> Mon 10-06.
    assert ship_by(local(DE, 2025, 10, 2, 13), DE) == local(DE, 2025, 10, 7)


def test_german_easter_weekend_is_skipped():
    rules = dataclasses.replace(DE, handling_days=0)
    # Thu 2025-04-17 after cut-off; Good Friday, weekend, Easter Monday -> Tue 04-22.
    assert ship_by(local(rules, 2025, 4, 17, 15), rules) == local(rules, 2025, 4, 23)


def test_no_country_skips_weekends_only():
    rules = PromiseRules(country=None, timezone="Europe/Helsinki")
    assert ship_by(local(rules, 2025, 12, 5, 10), rules) == local(rules, 2025, 12, 10)


def test_country_without_holiday_data_skips_weekends_only():
    rules = PromiseRules(country="ZZ", timezone="UTC")
    assert ship_by(utc(2025, 12, 24, 10), rules) == utc(2025, 12, 27)


def test_dst_start_in_helsinki_does_not_shift_days():
    rules = dataclasses.replace(FI, handling_days=1)
    # Fri 2026-03-27; clocks go forward Sun 03-29 -> Mon 03-30, midnight +03.
    assert ship_by(local(rules, 2026, 3, 27, 10), rules) == utc(2026, 3, 30, 21)


def test_dst_end_in_helsinki_does_not_shift_days():
    rules = dataclasses.replace(FI, handling_days=1)
    # Fri 2026-10-23; clocks go back Sun 10-25 -> Mon 10-26, midnight +02.
    assert ship_by(local(rules, 2026, 10, 23, 10), rules) == utc(2026, 10, 26, 22)


def test_cutoff_is_read_in_the_rules_timezone_not_utc():
    # 12:30 UTC is 14:30 in Helsinki in winter: after the cut-off.
    assert ship_by(utc(2025, 3, 3, 12, 30), FI) == local(FI, 2025, 3, 7)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        ship_by(datetime(2025, 3, 3, 10), FI)


def test_negative_handling_days_are_refused():
    with pytest.raises(ValueError):
        ship_by(utc(2025, 3, 3), dataclasses.replace(FI, handling_days=-1))


# --- deliver-by ---------------------------------------------------------------------------


def test_delivery_counts_transit_and_grace_business_days_after_fulfilment():
    # Mon 2025-12-22; 2 + 1 grace: Tue 23 (1), Christmas 24-26, weekend, Mon 29 (2), Tue 30 (3).
    assert deliver_by(local(FI, 2025, 12, 22, 10), 2, FI) == local(FI, 2025, 12, 31)


def test_delivery_without_shipping_method_days_uses_the_default():
    # Mon 2025-03-03; default 5 + 1 grace -> Tue 03-11.
    assert deliver_by(local(FI, 2025, 3, 3, 10), None, FI) == local(FI, 2025, 3, 12)


def test_delivery_of_zero_days_is_kept_as_same_day():
    rules = dataclasses.replace(FI, delivery_grace_days=0)
    assert deliver_by(local(rules, 2025, 3, 3, 20), 0, rules) == local(rules, 2025, 3, 4)
    assert deliver_by(local(rules, 2025, 3, 8, 20), 0, rules) == local(rules, 2025, 3, 11)


def test_delivery_from_weekend_fulfilment_counts_from_the_next_business_day():
    rules = dataclasses.replace(DE, delivery_grace_days=0)
    # Sat 2025-10-04, 1 day -> Mon 10-06.
    assert deliver_by(local(rules, 2025, 10, 4, 11), 1, rules) == local(rules, 2025, 10, 7)


# --- lateness and the promised date --------------------------------------------------------


def test_business_days_late_counts_from_the_deadline_day():
    deadline = ship_by(local(FI, 2025, 6, 17, 10), FI)  # Tue -> ships by Thu 06-19
    assert deadline == local(FI, 2025, 6, 20)
    assert business_days_late(deadline, deadline - timedelta(microseconds=1), FI) == 0
    assert business_days_late(deadline, deadline, FI) == 1  # Midsummer Eve: late, at least 1
    assert business_days_late(deadline, local(FI, 2025, 6, 22, 12), FI) == 1  # Sunday
    assert business_days_late(deadline, local(FI, 2025, 6, 23, 0), FI) == 1  # Monday
    assert business_days_late(deadline, local(FI, 2025, 6, 24, 23), FI) == 2  # Tuesday
    assert business_days_late(deadline, local(FI, 2025, 6, 30, 9), FI) == 6


def test_business_days_late_is_zero_before_the_deadline():
    deadline = local(FI, 2025, 3, 6)
    assert business_days_late(deadline, local(FI, 2025, 3, 1), FI) == 0


def test_promised_date_is_the_last_business_day_before_the_deadline():
    deadline = ship_by(local(FI, 2025, 6, 19, 10), FI)
    assert promised_local_date(deadline, FI) == date(2025, 6, 24)


def test_promised_date_of_a_midday_deadline_is_that_day():
    assert promised_local_date(local(FI, 2025, 3, 5, 12), FI) == date(2025, 3, 5)
    assert promised_local_date(local(FI, 2025, 3, 8, 12), FI) == date(2025, 3, 7)


# --- channel rules --------------------------------------------------------------------------


def test_timezone_for_country_knows_the_nordics_baltics_and_more():
    assert timezone_for_country("fi") == "Europe/Helsinki"
    assert timezone_for_country("LT") == "Europe/Vilnius"
    assert timezone_for_country("US") == "America/New_York"
    assert timezone_for_country("GB") == "Europe/London"


def test_timezone_for_unknown_country_is_utc():
    assert timezone_for_country(None) == "UTC"
    assert timezone_for_country("") == "UTC"
    assert timezone_for_country("ZZ") == "UTC"


def test_every_country_timezone_exists():
    for zone in _COUNTRY_TIMEZONES.values():
        ZoneInfo(zone)


def test_channel_default_country_fills_a_policy_without_one():
    rules = rules_for_channel(PromiseRules(), country="pl", timezone=None)
    assert (rules.country, rules.timezone) == ("PL", "Europe/Warsaw")


def test_policy_country_wins_over_channel_default_country():
    rules = rules_for_channel(PromiseRules(country="FI"), country="PL", timezone=None)
    assert (rules.country, rules.timezone) == ("FI", "Europe/Helsinki")


def test_policy_timezone_is_kept_and_explicit_timezone_wins():
    base = PromiseRules(country="FI", timezone="Europe/Stockholm")
    assert rules_for_channel(base, country=None, timezone=None).timezone == "Europe/Stockholm"
    assert rules_for_channel(base, country=None, timezone="Europe/Riga").timezone == "Europe/Riga"


def test_channel_without_any_country_stays_in_utc():
    rules = rules_for_channel(PromiseRules(handling_days=3), country=None, timezone=None)
    assert rules == PromiseRules(handling_days=3, country=None, timezone="UTC")


def test_unknown_timezone_is_refused():
    with pytest.raises(ZoneInfoNotFoundError, match="Mars/Olympus"):
        rules_for_channel(PromiseRules(), country=None, timezone="Mars/Olympus")


# --- properties -------------------------------------------------------------------------------

QUICK = settings(max_examples=200, deadline=None)

ZONES = {
    "FI": "Europe/Helsinki",
    "PL": "Europe/Warsaw",
    "LT": "Europe/Vilnius",
    "DE": "Europe/Berlin",
    None: "America/New_York",
}

rules_st = st.builds(
    lambda country, handling, cutoff, transit_default, grace: PromiseRules(
        handling_days=handling,
        cutoff_hour=cutoff,
        default_delivery_days=transit_default,
        delivery_grace_days=grace,
        country=country,
        timezone=ZONES[country],
    ),
    st.sampled_from(list(ZONES)),
    st.integers(0, 10),
    st.integers(0, 24),
    st.integers(0, 10),
    st.integers(0, 3),
)
instants = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 1), timezones=st.just(UTC))


def oracle_is_business_day(day: date, country: str | None) -> bool:
    """Independent of the module under test: straight from the holidays library."""
    if day.weekday() >= 5:
        return False
    return country is None or day not in holidays.country_holidays(country, years=day.year)


def assert_is_local_midnight_after_a_business_day(deadline: datetime, rules: PromiseRules):
    local_deadline = deadline.astimezone(ZoneInfo(rules.timezone))
    assert local_deadline.time() == time(0)
    last_day = local_deadline.date() - timedelta(days=1)
    assert oracle_is_business_day(last_day, rules.country)
    assert promised_local_date(deadline, rules) == last_day


@QUICK
@given(rules_st, instants)
def test_ship_by_ends_a_business_day_that_is_no_weekend_or_holiday(rules, order_time):
    deadline = ship_by(order_time, rules)
    assert deadline.utcoffset() == timedelta(0)
    assert deadline > order_time
    assert_is_local_midnight_after_a_business_day(deadline, rules)


@QUICK
@given(rules_st, instants, st.integers(0, 10))
def test_deliver_by_ends_exactly_after_transit_plus_grace_business_days(rules, fulfilled, days):
    deadline = deliver_by(fulfilled, days, rules)
    assert deadline > fulfilled
    assert_is_local_midnight_after_a_business_day(deadline, rules)
    zone = ZoneInfo(rules.timezone)
    start, last = fulfilled.astimezone(zone).date(), promised_local_date(deadline, rules)
    counted = sum(
        oracle_is_business_day(start + timedelta(days=i), rules.country) for i in range(1, (last - start).days + 1)
    )
    assert counted == max(days + rules.delivery_grace_days, 0 if start == last else 1)


@QUICK
@given(rules_st, instants, st.timedeltas(timedelta(0), timedelta(days=20)))
def test_a_later_order_never_gets_an_earlier_ship_by(rules, first, gap):
    assert ship_by(first, rules) <= ship_by(first + gap, rules)


@QUICK
@given(rules_st, instants, st.timedeltas(timedelta(0), timedelta(days=20)), st.integers(0, 10))
def test_a_later_fulfilment_or_longer_transit_never_gets_an_earlier_deliver_by(rules, first, gap, days):
    assert deliver_by(first, days, rules) <= deliver_by(first + gap, days, rules)
    assert deliver_by(first, days, rules) <= deliver_by(first, days + 1, rules)


@QUICK
@given(rules_st, instants)
def test_shipping_at_the_last_moment_still_gets_a_deliver_by_after_the_ship_by(rules, order_time):
    shipped = ship_by(order_time, rules) - timedelta(microseconds=1)
    assert deliver_by(shipped, None, rules) >= ship_by(order_time, rules)


@QUICK
@given(rules_st, st.dates(date(2020, 1, 1), date(2035, 12, 1)), st.integers(1, 23))
def test_cutoff_switches_exactly_at_the_hour(rules, day, cutoff):
    rules = dataclasses.replace(rules, cutoff_hour=cutoff)
    zone = ZoneInfo(rules.timezone)
    before = datetime.combine(day, time(cutoff - 1, 59, 59, 999999), tzinfo=zone)
    at = datetime.combine(day, time(cutoff), tzinfo=zone)
    promised_before = promised_local_date(ship_by(before, rules), rules)
    promised_at = promised_local_date(ship_by(at, rules), rules)
    if is_business_day(day, rules.country):
        following = promised_before + timedelta(days=1)
        while not oracle_is_business_day(following, rules.country):
            following += timedelta(days=1)
        assert promised_at == following
    else:
        assert promised_at == promised_before


def _dst_window(year: int, month: int) -> st.SearchStrategy[datetime]:
    # The last Sunday of March / October, +-5 days, as local wall-clock times.
    last = date(year, month, 31)
    sunday = last - timedelta(days=(last.weekday() + 1) % 7)
    return st.datetimes(
        min_value=datetime.combine(sunday - timedelta(days=5), time(0)),
        max_value=datetime.combine(sunday + timedelta(days=5), time(0)),
    )


dst_wall_times = st.integers(2020, 2035).flatmap(lambda year: st.one_of(_dst_window(year, 3), _dst_window(year, 10)))


@QUICK
@given(dst_wall_times, st.integers(0, 5), st.integers(0, 24), st.integers(0, 5))
def test_helsinki_dst_transitions_do_not_shift_days(wall, handling, cutoff, transit):
    helsinki = PromiseRules(handling_days=handling, cutoff_hour=cutoff, country="FI", timezone="Europe/Helsinki")
    # The same wall-clock time in a zone without DST must give the same local dates.
    same_in_utc = dataclasses.replace(helsinki, timezone="UTC")
    in_helsinki = wall.replace(tzinfo=ZoneInfo("Europe/Helsinki"))
    in_utc = wall.replace(tzinfo=UTC)
    for deadline_h, deadline_u in [
        (ship_by(in_helsinki, helsinki), ship_by(in_utc, same_in_utc)),
        (deliver_by(in_helsinki, transit, helsinki), deliver_by(in_utc, transit, same_in_utc)),
    ]:
        assert_is_local_midnight_after_a_business_day(deadline_h, helsinki)
        assert promised_local_date(deadline_h, helsinki) == promised_local_date(deadline_u, same_in_utc)


@QUICK
@given(
    rules_st, instants, st.timedeltas(timedelta(0), timedelta(days=60)), st.timedeltas(timedelta(0), timedelta(days=30))
)
def test_business_days_late_starts_at_one_and_never_decreases(rules, order_time, after, more):
    deadline = ship_by(order_time, rules)
    assert business_days_late(deadline, deadline - timedelta(microseconds=1), rules) == 0
    assert business_days_late(deadline, deadline, rules) == 1
    earlier = business_days_late(deadline, deadline + after, rules)
    later = business_days_late(deadline, deadline + after + more, rules)
    assert 1 <= earlier <= later <= earlier + more.days + 1


def test_the_customer_is_told_the_delivery_promise_without_the_apps_grace_days():
    # Dispatched Monday 3 March 2025 with 3 delivery days: the promise is Thursday 6 March; the app waits
    # one grace day (Friday 7 March) before it calls the parcel late, but never tells the customer that day.
    rules = PromiseRules(delivery_grace_days=1, timezone="Europe/London")
    shipped = datetime(2025, 3, 3, 10, 0, tzinfo=timezone.utc)
    assert promised_local_date(deliver_by(shipped, 3, rules), rules) == date(2025, 3, 7)
    assert customer_delivery_date(shipped, 3, rules) == date(2025, 3, 6)
