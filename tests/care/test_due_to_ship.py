"""The "due to ship" rule: which unshipped orders are due today, tomorrow or already late, in the shop's
time zone, grouped per warehouse and sorted by ship-by; and how a line's units split over its allocations."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from saleor_cs_app.care import promises
from saleor_cs_app.care.due_to_ship import (
    NO_WAREHOUSE,
    Allocation,
    Due,
    Item,
    LineToShip,
    OpenShipment,
    due_of,
    due_to_ship,
    still_to_ship,
)
from saleor_cs_app.care.model import PromiseRules

HELSINKI = PromiseRules(country="FI", timezone="Europe/Helsinki", handling_days=1)
UTC_SHOP = PromiseRules(country=None, timezone="UTC", handling_days=1)


def local(zone: str, *args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)


def end_of(day: tuple, rules: PromiseRules) -> datetime:
    """The ship-by of a promise kept through `day`: the next local midnight (exclusive, as promises.py)."""
    start = datetime(*day, tzinfo=ZoneInfo(rules.timezone)).date() + timedelta(days=1)
    return datetime(start.year, start.month, start.day, tzinfo=ZoneInfo(rules.timezone)).astimezone(timezone.utc)


def test_today_tomorrow_later_and_late_on_an_ordinary_wednesday():
    now = local("Europe/Helsinki", 2027, 9, 15, 15, 0)  # Wednesday afternoon in Helsinki
    assert due_of(end_of((2027, 9, 15), HELSINKI), now, HELSINKI) is Due.TODAY
    assert due_of(end_of((2027, 9, 16), HELSINKI), now, HELSINKI) is Due.TOMORROW
    assert due_of(end_of((2027, 9, 17), HELSINKI), now, HELSINKI) is None
    assert due_of(end_of((2027, 9, 14), HELSINKI), now, HELSINKI) is Due.LATE


def test_the_day_is_the_shop_s_not_utc_s():
    # 22:30 UTC on Wednesday is already 01:30 on Thursday in Helsinki.
    now = datetime(2027, 9, 15, 22, 30, tzinfo=timezone.utc)
    assert due_of(end_of((2027, 9, 15), HELSINKI), now, HELSINKI) is Due.LATE, "Wednesday ended there"
    assert due_of(end_of((2027, 9, 16), HELSINKI), now, HELSINKI) is Due.TODAY
    assert due_of(end_of((2027, 9, 17), HELSINKI), now, HELSINKI) is Due.TOMORROW
    # The same instant in a shop kept in UTC is still Wednesday evening.
    assert due_of(end_of((2027, 9, 15), UTC_SHOP), now, UTC_SHOP) is Due.TODAY
    assert due_of(end_of((2027, 9, 17), UTC_SHOP), now, UTC_SHOP) is None


def test_the_last_minute_of_the_ship_by_day_is_today_and_the_first_after_it_is_late():
    ship_by = end_of((2027, 9, 15), HELSINKI)
    assert due_of(ship_by, ship_by - timedelta(minutes=1), HELSINKI) is Due.TODAY
    assert due_of(ship_by, ship_by, HELSINKI) is Due.LATE


def test_a_25_hour_day_when_summer_time_ends_still_counts_monday_as_tomorrow():
    # Sunday 31 October 2027, 00:30 in Helsinki: the clocks go back at 04:00, so Sunday lasts 25 hours
    # and the end of Monday is 48.5 hours away, more than two 24-hour days.
    now = local("Europe/Helsinki", 2027, 10, 31, 0, 30)
    monday_ends = end_of((2027, 11, 1), HELSINKI)
    assert monday_ends - now == timedelta(hours=48, minutes=30)
    assert due_of(monday_ends, now, HELSINKI) is Due.TOMORROW
    assert due_of(end_of((2027, 11, 2), HELSINKI), now, HELSINKI) is None


def test_weekends_need_no_logic_of_their_own():
    monday_ends = end_of((2027, 9, 20), HELSINKI)
    friday = local("Europe/Helsinki", 2027, 9, 17, 10, 0)
    assert due_of(monday_ends, friday, HELSINKI) is None, "Monday is not tomorrow on a Friday"
    assert due_of(monday_ends, friday + timedelta(days=1), HELSINKI) is None, "nor on Saturday"
    assert due_of(monday_ends, friday + timedelta(days=2), HELSINKI) is Due.TOMORROW, "on Sunday it is"
    # The promise made by the calendar: an order paid on Friday afternoon (after the cut-off) ships by Monday
    # plus one business day, i.e. Tuesday; so on Monday it is tomorrow's.
    ship_by = promises.ship_by(local("Europe/Helsinki", 2027, 9, 17, 16, 0), HELSINKI)
    assert ship_by == end_of((2027, 9, 21), HELSINKI)
    assert due_of(ship_by, local("Europe/Helsinki", 2027, 9, 20, 9, 0), HELSINKI) is Due.TOMORROW


def shipment(number: str, warehouse: str | None, ship_by: datetime, name: str | None = None, **fields) -> OpenShipment:
    return OpenShipment(
        order_id=f"order-{number}",
        order_number=number,
        warehouse_id=warehouse,
        warehouse_name=name,
        ship_by=ship_by,
        rules=HELSINKI,
        items=(Item("T-shirt / M", 2),),
        **fields,
    )


def test_grouped_per_warehouse_by_name_then_no_warehouse_then_not_known_and_sorted_by_ship_by():
    now = local("Europe/Helsinki", 2027, 9, 15, 15, 0)
    today, tomorrow = end_of((2027, 9, 15), HELSINKI), end_of((2027, 9, 16), HELSINKI)
    late, later = end_of((2027, 9, 13), HELSINKI), end_of((2027, 9, 20), HELSINKI)
    groups = due_to_ship(
        [
            shipment("10", "wh-b", tomorrow, "Vantaa"),
            shipment("9", "wh-b", tomorrow, "Vantaa"),
            shipment("11", "wh-b", late, "Vantaa", late_incident_id="incident-1"),
            shipment("12", "wh-a", today, "Espoo"),
            shipment("13", "wh-a", later, "Espoo"),  # next week: not in the list
            shipment("14", NO_WAREHOUSE, today),
            shipment("15", None, tomorrow),
            shipment("10", "wh-a", tomorrow, "Espoo"),  # order 10's other units wait in Espoo
        ],
        now,
    )
    assert [(g.warehouse_id, g.warehouse_name) for g in groups] == [
        ("wh-a", "Espoo"), ("wh-b", "Vantaa"), (NO_WAREHOUSE, None), (None, None)
    ]
    espoo, vantaa, nowhere, unknown = groups
    assert [o.shipment.order_number for o in espoo.orders] == ["12", "10"]
    assert [(o.shipment.order_number, o.due) for o in vantaa.orders] == [
        ("11", Due.LATE), ("9", Due.TOMORROW), ("10", Due.TOMORROW)
    ], "the late first, then by ship-by; equal ship-bys by order number, 9 before 10"
    first = vantaa.orders[0]
    assert (first.minutes_left, first.business_days_late, first.shipment.late_incident_id) == (0, 2, "incident-1")
    assert str(first.ship_by_date) == "2027-09-13"
    assert espoo.orders[0].minutes_left == 9 * 60, "Helsinki's Wednesday ends nine hours after 15:00"
    assert [o.due for o in nowhere.orders + unknown.orders] == [Due.TODAY, Due.TOMORROW]


def test_nothing_due_is_an_empty_list():
    now = local("Europe/Helsinki", 2027, 9, 15, 15, 0)
    assert due_to_ship([shipment("1", "wh", end_of((2027, 9, 22), HELSINKI), "Espoo")], now) == []


def test_a_line_s_units_left_split_over_its_allocations():
    espoo, vantaa = Allocation("wh-a", "Espoo", 2), Allocation("wh-b", "Vantaa", 1)
    assert still_to_ship("l1", 3, 0, [espoo, vantaa]) == [
        LineToShip("l1", "wh-a", "Espoo", 2), LineToShip("l1", "wh-b", "Vantaa", 1)
    ]
    # Two fulfilled: Saleor lowered the allocations to the one unit left.
    assert still_to_ship("l1", 3, 2, [Allocation("wh-b", "Vantaa", 1)]) == [LineToShip("l1", "wh-b", "Vantaa", 1)]
    # An allocation not lowered yet is not counted beyond what is left.
    assert still_to_ship("l1", 3, 2, [espoo, vantaa]) == [LineToShip("l1", "wh-a", "Espoo", 1)]


def test_units_no_allocation_covers_wait_under_no_warehouse():
    assert still_to_ship("l1", 2, 0, []) == [LineToShip("l1", NO_WAREHOUSE, None, 2)], "stock not tracked"
    assert still_to_ship("l1", 3, 0, [Allocation("wh-a", "Espoo", 1), Allocation("wh-b", "Vantaa", 0)]) == [
        LineToShip("l1", "wh-a", "Espoo", 1), LineToShip("l1", NO_WAREHOUSE, None, 2)
    ]


def test_a_fulfilled_line_has_nothing_left():
    assert still_to_ship("l1", 2, 2, [Allocation("wh-a", "Espoo", 2)]) == []
    assert still_to_ship("l1", 2, 3, []) == []
