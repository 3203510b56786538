"""The evidence rule as a pure function, and the metadata source's reading of states."""

from datetime import datetime, timezone

import pytest

from saleor_cs_app.care.late_delivery import Parcel, judge
from saleor_cs_app.care.model import DeliveryState, IncidentKind, PromiseRules
from saleor_cs_app.tracking import metadata

SHIPPED = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)  # a Monday
RULES = PromiseRules(default_delivery_days=3, delivery_grace_days=1)


def verdict(followed: bool, state: DeliveryState | None = None, click_and_collect: bool = False):
    return judge(Parcel("F1", SHIPPED, followed, state), max_delivery_days=None, click_and_collect=click_and_collect, rules=RULES)


def test_a_parcel_nobody_follows_has_no_deadline_and_no_failure():
    assert verdict(False).deadline is None and not verdict(False).failed


def test_a_followed_parcel_in_transit_is_watched_until_its_deliver_by():
    watched = verdict(True, DeliveryState.IN_TRANSIT)
    assert watched.deadline == datetime(2026, 3, 7, tzinfo=timezone.utc) and not watched.failed


@pytest.mark.parametrize("state", [DeliveryState.DELIVERED, DeliveryState.AVAILABLE_FOR_PICKUP])
def test_an_arrived_parcel_is_no_longer_watched(state):
    assert verdict(True, state).deadline is None and not verdict(True, state).failed


@pytest.mark.parametrize(
    "state",
    [DeliveryState.EXCEPTION, DeliveryState.ATTEMPT_FAIL, DeliveryState.EXPIRED, DeliveryState.RETURNED, DeliveryState.LOST],
)
def test_a_reported_failure_is_late_at_once(state):
    assert verdict(True, state).failed


def test_click_and_collect_has_no_delivery_promise_even_when_followed():
    assert verdict(True, DeliveryState.EXCEPTION, click_and_collect=True).failed is False


@pytest.mark.parametrize(
    "written, state",
    [
        ("delivered", DeliveryState.DELIVERED),
        ("InTransit", DeliveryState.IN_TRANSIT),
        ("failed-attempt", DeliveryState.ATTEMPT_FAIL),
        ("Returned to sender", DeliveryState.RETURNED),
        ("ready_for_pickup", DeliveryState.AVAILABLE_FOR_PICKUP),
        ("something else", None),
    ],
)
def test_the_metadata_source_reads_states_as_integrations_spell_them(written, state):
    order = {"fulfillments": [{"id": "F1", "metadata": [{"key": "delivery.status", "value": written}]}, {"id": "F2"}]}
    (report,) = metadata.reports_from_order(order, "delivery.status")
    assert (report.fulfillment_id, report.state, report.source) == ("F1", state, "metadata")


def test_a_followed_parcel_the_source_never_reported_on_is_not_watched():
    """AfterShip "Pending" forever, or its webhook URL never pasted: silence is not evidence."""
    assert verdict(True, None).deadline is None and not verdict(True, None).failed


def test_a_parcel_that_reached_its_pickup_point_after_its_deliver_by_is_waiting_late():
    deliver_by = datetime(2026, 3, 7, tzinfo=timezone.utc)
    late = judge(
        Parcel("F1", SHIPPED, True, DeliveryState.AVAILABLE_FOR_PICKUP, state_at=deliver_by.replace(day=9)),
        max_delivery_days=None, click_and_collect=False, rules=RULES,
    )
    assert late.failure is IncidentKind.PICKUP_WAITING and late.deadline == deliver_by
    on_time = judge(
        Parcel("F1", SHIPPED, True, DeliveryState.AVAILABLE_FOR_PICKUP, state_at=deliver_by.replace(day=5)),
        max_delivery_days=None, click_and_collect=False, rules=RULES,
    )
    assert not on_time.failed and on_time.deadline is None  # the promise is kept: nothing to say


@pytest.mark.parametrize(
    "state, kind",
    [
        (DeliveryState.ATTEMPT_FAIL, IncidentKind.ATTEMPT_FAILED),
        (DeliveryState.EXCEPTION, IncidentKind.HELD),
        (DeliveryState.LOST, IncidentKind.LOST),
        (DeliveryState.RETURNED, IncidentKind.RETURNED),
        (DeliveryState.EXPIRED, IncidentKind.LATE_DELIVERY),
    ],
)
def test_each_reported_failure_is_the_situation_the_customer_lives(state, kind):
    assert verdict(True, state).failure is kind
