"""The parcel's stage (care/stages.py), what a delivered parcel teaches about its stages, and P(on time) from
the stage it is in (care/transit.py, care/at_risk.py)."""

from datetime import date, datetime, timezone

import pytest

from saleor_cs_app.care.at_risk import assess
from saleor_cs_app.care.model import DeliveryState, Stage
from saleor_cs_app.care.stages import current, runs
from saleor_cs_app.care.transit import (
    GAP,
    TRANSIT,
    Segment,
    after_measure,
    distribution,
    learned_from_stages,
    likely_day_in_stage,
    p_by_deadline_in_stage,
    roll_up,
    stage_observations,
    stay_measure,
)
from saleor_cs_app.tracking.aftership.webhook import stage_of as aftership_stage
from saleor_cs_app.tracking.dhl.reading import report_from

SEG = Segment.of("Standard", "DHL", "DE")
WEDNESDAY = datetime(2027, 9, 15, 12, tzinfo=timezone.utc)


def at(day, hour=8):
    return datetime(2027, 9, day, hour, tzinfo=timezone.utc)


def test_a_stage_counts_from_the_first_scan_of_its_run_whatever_order_the_scans_come_in():
    scans = [(at(17), Stage.DESTINATION), (at(15), Stage.LINE_HAUL), (at(16), Stage.LINE_HAUL),
             (at(16, 9), None), (at(18), Stage.DESTINATION)]
    assert runs(scans) == [(Stage.LINE_HAUL, at(15)), (Stage.DESTINATION, at(17))]
    assert current(scans) == (Stage.DESTINATION, at(17))
    assert current([(at(15), None)]) is None


def test_a_delivered_parcel_teaches_its_stay_in_each_stage_and_the_time_after_it():
    found = stage_observations(SEG, [(Stage.LINE_HAUL, 0), (Stage.DESTINATION, 3), (Stage.OUT_FOR_DELIVERY, 4)], 4)
    assert [(o.measure, o.value) for o in found] == [
        ("stay_line_haul", 3), ("after_line_haul", 1), ("stay_destination", 1), ("after_destination", 0),
        ("stay_out_for_delivery", 0), ("after_out_for_delivery", 0),
    ]


def test_stays_are_counted_in_the_destinations_business_days():
    # In the line-haul from Friday, at the depot on Monday, delivered on Tuesday: the weekend is no stay.
    found = learned_from_stages(SEG, [(Stage.LINE_HAUL, at(17)), (Stage.DESTINATION, at(20, 18))], at(21, 11))
    assert [(o.measure, o.value) for o in found] == [
        ("stay_line_haul", 1), ("after_line_haul", 1), ("stay_destination", 1), ("after_destination", 0)
    ]


def _in_stage(stage, stays, afters):
    rows = [(stay_measure(stage), SEG, v, c) for v, c in stays.items()]
    rows += [(after_measure(stage), SEG, v, c) for v, c in afters.items()]
    levels = roll_up(rows)
    return distribution(levels, stay_measure(stage), SEG), distribution(levels, after_measure(stage), SEG)


def test_the_longer_a_parcel_stays_in_the_line_haul_the_less_likely_it_is_on_time():
    # 90 of 100 leave the line-haul after 1 day, 10 after 4; the depot then takes 1 day.
    stay, after = _in_stage(Stage.LINE_HAUL, {1: 90, 4: 10}, {1: 100})
    assert p_by_deadline_in_stage(stay, after, days_in_stage=0, deadline_days=3) == 0.9
    assert p_by_deadline_in_stage(stay, after, days_in_stage=2, deadline_days=3) == 0.0  # only the slow ones left
    assert p_by_deadline_in_stage(stay, after, days_in_stage=2, deadline_days=5) == 1.0
    assert likely_day_in_stage(stay, after, days_in_stage=0) == 2
    assert likely_day_in_stage(stay, after, days_in_stage=2) == 5
    assert p_by_deadline_in_stage(stay, after, days_in_stage=6, deadline_days=5) == 0.0, "longer than all: late"
    empty, _ = _in_stage(Stage.DESTINATION, {}, {})
    assert p_by_deadline_in_stage(empty, after, days_in_stage=0, deadline_days=3) is None


def test_a_parcel_still_between_hubs_is_at_risk_while_its_transit_alone_looks_fine():
    levels = roll_up([(TRANSIT, SEG, 2, 80), (TRANSIT, SEG, 6, 20), (GAP, SEG, 20, 100),
                      (stay_measure(Stage.LINE_HAUL), SEG, 1, 80), (stay_measure(Stage.LINE_HAUL), SEG, 5, 20),
                      (after_measure(Stage.LINE_HAUL), SEG, 1, 100)])
    transit, gaps = distribution(levels, TRANSIT, SEG), distribution(levels, GAP, SEG)
    in_stage = (distribution(levels, stay_measure(Stage.LINE_HAUL), SEG),
                distribution(levels, after_measure(Stage.LINE_HAUL), SEG))
    friday = at(17, 9)
    common = dict(state=DeliveryState.IN_TRANSIT, shipped_at=WEDNESDAY, promised_date=date(2027, 9, 21),
                  last_scan_at=at(17, 7), now=friday, country="DE")
    assert assess(transit, gaps, **common).probability == pytest.approx(0.8)  # 2 days have passed; 80 of 100 took 2
    risk = assess(transit, gaps, **common, stage=(Stage.LINE_HAUL, WEDNESDAY), in_stage=in_stage)
    # Two days between hubs already: only the slow fifth stays that long, and they need 6 days.
    assert risk.probability == 0.0 and risk.likely_date == date(2027, 9, 23) and risk.parcels == 100


def test_aftership_subtags_and_dhl_words_name_the_stage():
    assert aftership_stage("InTransit", "InTransit_003") is Stage.DESTINATION
    assert aftership_stage("InTransit", "InTransit_004") is Stage.LINE_HAUL  # the destination country, not the depot
    assert aftership_stage("OutForDelivery", "OutForDelivery_001") is Stage.OUT_FOR_DELIVERY
    assert aftership_stage("InfoReceived", None) is Stage.ORIGIN
    assert aftership_stage("Delivered", "Delivered_001") is None and aftership_stage(None, None) is None
    shipment = {"status": {"statusCode": "transit", "timestamp": "2027-09-17T08:00:00Z"}, "events": [
        {"statusCode": "pre-transit", "timestamp": "2027-09-15T09:00:00Z", "description": "Data received"},
        {"statusCode": "transit", "timestamp": "2027-09-15T20:00:00Z", "description": "Processed at hub"},
        {"statusCode": "transit", "timestamp": "2027-09-16T21:00:00Z", "description": "Arrived at Delivery Facility"},
        {"statusCode": "transit", "timestamp": "2027-09-17T07:00:00Z", "description": "With delivery courier"},
        {"statusCode": "delivered", "timestamp": "2027-09-17T12:00:00Z", "description": "Delivered"},
    ]}
    report = report_from(shipment, "F1", "JJD1")
    assert [s.stage for s in report.scans] == [
        Stage.ORIGIN, Stage.LINE_HAUL, Stage.DESTINATION, Stage.OUT_FOR_DELIVERY, None
    ]
