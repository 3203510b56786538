from datetime import date, datetime, timezone

from saleor_cs_app.care.at_risk import assess
from saleor_cs_app.care.model import DeliveryState
from saleor_cs_app.care.transit import GAP, TRANSIT, Segment, distribution, gap_observation, roll_up, transit_observation

SEG = Segment.of("Standard", "DHL", "DE")
WEDNESDAY = datetime(2027, 9, 15, 12, tzinfo=timezone.utc)


def _dists(days, gap_hours=20):
    rows = [(TRANSIT, SEG, transit_observation(SEG, d).value, 1) for d in days]
    rows += [(GAP, SEG, gap_observation(SEG, gap_hours).value, 1)] * 100
    levels = roll_up(rows)
    return distribution(levels, TRANSIT, SEG), distribution(levels, GAP, SEG)


def _assess(transit, gaps, *, now, last_scan_at, promised=date(2027, 9, 20), state=DeliveryState.IN_TRANSIT):
    return assess(transit, gaps, state=state, shipped_at=WEDNESDAY, promised_date=promised,
                  last_scan_at=last_scan_at, now=now, country="DE")


def test_a_parcel_on_the_usual_pace_is_likely_on_time():
    transit, gaps = _dists([1, 2, 2, 3] * 50)
    risk = _assess(transit, gaps, now=WEDNESDAY.replace(day=16), last_scan_at=WEDNESDAY.replace(day=16, hour=8))
    assert risk.probability == 1.0 and risk.parcels == 200


def test_a_silent_parcel_near_its_deadline_is_at_risk_with_a_likely_date_the_data_backs():
    transit, gaps = _dists([2] * 150 + [3] * 50)
    # Promised Monday 20th (3 business days); Friday evening, not scanned since Wednesday afternoon.
    risk = _assess(transit, gaps, now=datetime(2027, 9, 17, 18, tzinfo=timezone.utc),
                   last_scan_at=datetime(2027, 9, 15, 15, tzinfo=timezone.utc))
    assert risk.probability < 0.5
    assert risk.likely_date is not None and risk.likely_date > date(2027, 9, 20)


def test_nothing_is_at_risk_without_data_after_the_promise_or_when_not_moving():
    transit, gaps = _dists([2] * 50)
    empty, _ = _dists([])
    friday = datetime(2027, 9, 17, 9, tzinfo=timezone.utc)
    assert _assess(empty, gaps, now=friday, last_scan_at=friday) is None
    assert _assess(transit, gaps, now=datetime(2027, 9, 21, 9, tzinfo=timezone.utc), last_scan_at=friday) is None
    assert _assess(transit, gaps, now=friday, last_scan_at=friday, state=DeliveryState.INFO_RECEIVED) is None
