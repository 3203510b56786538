from datetime import date

from saleor_cs_app.care import promises
from saleor_cs_app.care.transit import (
    ANY,
    GAP,
    TRANSIT,
    Segment,
    distribution,
    gap_observation,
    likely_day,
    lost_days,
    p_by_deadline,
    roll_up,
    stall_after_hours,
    transit_observation,
)

EXPRESS_FI = Segment.of("Express", "DHL", "fi")
STANDARD_FI = Segment.of("Standard", "DHL", "FI")


def _rows(observations):
    return [(o.measure, o.segment, o.value, 1) for o in observations]


def test_a_segment_with_enough_parcels_speaks_for_itself():
    rows = _rows([transit_observation(EXPRESS_FI, 1)] * 200 + [transit_observation(STANDARD_FI, 5)] * 200)
    dist = distribution(roll_up(rows), TRANSIT, EXPRESS_FI)
    assert dist.basis == EXPRESS_FI
    assert dist.quantile(0.5) == 1
    # 20 pseudo-parcels borrowed from the carrier's mix, half of which took 5 days.
    assert 0.94 < dist.cdf(1) < 0.96


def test_a_small_segment_falls_back_to_its_carrier():
    rows = _rows([transit_observation(STANDARD_FI, 5)] * 300 + [transit_observation(EXPRESS_FI, 1)] * 2)
    dist = distribution(roll_up(rows), TRANSIT, EXPRESS_FI)
    assert dist.basis == Segment(ANY, "dhl", "FI")
    assert dist.quantile(0.5) == 5  # two express parcels do not outvote the carrier


def test_an_unknown_segment_uses_everything_and_no_data_answers_nothing():
    rows = _rows([transit_observation(STANDARD_FI, 3)] * 40)
    dist = distribution(roll_up(rows), TRANSIT, Segment.of("Boat", "Other", "SE"))
    assert dist.basis == Segment(ANY, ANY, ANY) and dist.quantile(0.5) == 3
    empty = distribution({}, TRANSIT, EXPRESS_FI)
    assert empty.empty and p_by_deadline(empty, elapsed_days=1, deadline_days=3) is None
    assert likely_day(empty, elapsed_days=1) is None


def test_probability_of_arriving_by_the_deadline_is_conditional_on_time_already_spent():
    # Half the parcels take 2 days, half 6.
    rows = _rows([transit_observation(STANDARD_FI, 2)] * 100 + [transit_observation(STANDARD_FI, 6)] * 100)
    dist = distribution(roll_up(rows), TRANSIT, STANDARD_FI)
    assert abs(p_by_deadline(dist, elapsed_days=0, deadline_days=3) - 0.5) < 1e-9
    # Still travelling on day 3: it is one of the slow ones.
    assert p_by_deadline(dist, elapsed_days=3, deadline_days=4) == 0.0
    assert likely_day(dist, elapsed_days=3) == 6
    assert likely_day(dist, elapsed_days=0) == 2


def test_days_lost_to_silence_push_the_journey_back():
    rows = _rows([transit_observation(STANDARD_FI, d) for d in (2, 3, 3, 4)] * 50)
    transit = distribution(roll_up(rows), TRANSIT, STANDARD_FI)
    gaps = distribution(roll_up(_rows([gap_observation(STANDARD_FI, 20)] * 100)), GAP, STANDARD_FI)
    assert lost_days(10, gaps) == 0
    assert lost_days(20 + 24 * 3, gaps) == 3
    assert lost_days(20 + 24 * 3 + 1, gaps) == 4  # a day begun counts
    fresh = p_by_deadline(transit, elapsed_days=2, deadline_days=4, lost=0)
    silent = p_by_deadline(transit, elapsed_days=2, deadline_days=4, lost=lost_days(20 + 48, gaps))
    assert fresh == 1.0 and silent < 0.5
    assert likely_day(transit, elapsed_days=2, lost=2) == 5


def test_a_stall_is_a_silence_longer_than_the_usual_longest_gap_and_the_floor():
    gaps = [gap_observation(STANDARD_FI, h) for h in range(1, 101)]  # 1..100 hours, uniform
    dist = distribution(roll_up(_rows(gaps)), GAP, STANDARD_FI)
    assert stall_after_hours(dist, floor_hours=24) == 100  # p99 = 99 h, so silent from the 100th hour
    assert stall_after_hours(dist, floor_hours=120) == 120
    assert stall_after_hours(distribution({}, GAP, STANDARD_FI), floor_hours=72) == 72


def test_observations_are_clamped_to_what_the_model_needs():
    assert transit_observation(STANDARD_FI, -1).value == 0
    assert transit_observation(STANDARD_FI, 400).value == 60
    assert gap_observation(STANDARD_FI, 10_000).value == 720


def test_business_days_between_is_the_inverse_of_adding_them():
    friday = date(2027, 9, 17)
    assert promises.business_days_between(friday, date(2027, 9, 20), "FI") == 1
    assert promises.business_days_between(friday, friday, "FI") == 0
    for days in range(0, 12):
        end = promises.add_business_days(friday, days, "FI")
        assert promises.business_days_between(friday, end, "FI") == max(days, 0)
    # Finnish Independence Day (Monday 6 December 2027) is not a business day.
    assert promises.business_days_between(date(2027, 12, 3), date(2027, 12, 7), "FI") == 1


def test_gaps_are_counted_in_business_hours_so_a_quiet_weekend_is_no_stall():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from saleor_cs_app.care.transit import after_business_hours, business_hours_between

    helsinki = ZoneInfo("Europe/Helsinki")
    friday_evening = datetime(2027, 9, 17, 18, tzinfo=helsinki)
    monday_morning = datetime(2027, 9, 20, 6, tzinfo=helsinki)
    assert business_hours_between(friday_evening, monday_morning, "FI") == 12
    assert after_business_hours(friday_evening, 12, "FI") == monday_morning
    assert business_hours_between(monday_morning, friday_evening, "FI") == 0
    # Independence Day (Monday 6 December 2027) is skipped like a Sunday.
    assert after_business_hours(datetime(2027, 12, 3, 12, tzinfo=helsinki), 24, "FI") == datetime(
        2027, 12, 7, 12, tzinfo=helsinki
    )
    observed = [o for o in __import__("saleor_cs_app.care.transit", fromlist=["learned"]).learned(
        STANDARD_FI, shipped_at=None, previous_scan_at=friday_evening, scan_at=monday_morning, delivered_at=None)]
    assert [(o.measure, o.value) for o in observed] == [("gap", 12)]
